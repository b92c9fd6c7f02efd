import Crypto
import FluentKit
import Foundation
import SQLKit

/// Who did something, as the audit log records it.
public struct AuditActor: Sendable, Equatable {
    public var id: UUID?
    public var name: String
    public init(id: UUID?, name: String) {
        self.id = id
        self.name = name
    }
    /// Work done from the command line on the server itself.
    public static func commandLine(_ what: String = "cli") -> AuditActor {
        AuditActor(id: nil, name: "\(what):\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")")
    }
    public static let system = AuditActor(id: nil, name: "system")
    public static let anonymous = AuditActor(id: nil, name: "anonymous")
}

public struct AuditEvent: Sendable {
    public var actor: AuditActor
    public var action: String
    public var recordType: String
    public var recordID: String
    public var address: String
    public var detail: String

    public init(actor: AuditActor, action: String, recordType: String = "", recordID: String = "", address: String = "", detail: String = "") {
        self.actor = actor
        self.action = action
        self.recordType = recordType
        self.recordID = recordID
        self.address = address
        self.detail = detail
    }
}

public struct AuditLog: Sendable {
    public static let genesisHash = String(repeating: "0", count: 64)
    let database: CairnDatabase

    public init(database: CairnDatabase) { self.database = database }

    /// Appends an entry. Pass the transaction's database when the audited change is made in
    /// one, so the change and its entry are committed together or not at all.
    @discardableResult
    public func append(_ event: AuditEvent, on db: (any Database)? = nil) async throws -> Int {
        let db = db ?? database.db
        if db.inTransaction { return try await Self.appendLocked(event, on: db) }
        return try await db.transaction { tx in try await Self.appendLocked(event, on: tx) }
    }

    private static func appendLocked(_ event: AuditEvent, on db: any Database) async throws -> Int {
        try await appendBatch([event], on: db)
    }

    /// Appends several entries in order within the caller's transaction, with one update of the
    /// chain head and one insert: what intake uses when it commits several reports together.
    /// Returns the sequence number of the last entry.
    @discardableResult
    static func appendBatch(_ events: [AuditEvent], on db: any Database) async throws -> Int {
        precondition(db.inTransaction, "audit entries are appended inside a transaction")
        let sql = try db.sqlDatabase()
        guard !events.isEmpty else { return 0 }
        // Updating the head first takes the lock before anything is read.
        guard let row = try await sql.raw("UPDATE audit_head SET seq = seq + \(bind: events.count) WHERE id = 1 RETURNING seq, hash").first() else {
            throw AuditError.missingHead
        }
        let last = try row.decode(column: "seq", as: Int.self)
        let chain = chained(events, last: last, previous: try row.decode(column: "hash", as: String.self))
        try await SQLRows.insert(into: AuditEntry.schema, columns: entryColumns, rows: chain.rows, on: sql)
        try await sql.raw("UPDATE audit_head SET hash = \(bind: chain.head) WHERE id = 1").run()
        return last
    }

    /// `appendBatch` within a transaction on the direct SQLite path (`SQLiteDirect`): the same
    /// statements, the same rows.
    @discardableResult
    static func appendBatch(_ events: [AuditEvent], direct: SQLiteDirect) throws -> Int {
        guard !events.isEmpty else { return 0 }
        guard let row = try direct.rows("UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash", [SQLValue(events.count)]).first,
              row.count == 2, let last = row[0].int, let previous = row[1].string else {
            throw AuditError.missingHead
        }
        let chain = chained(events, last: last, previous: previous)
        try direct.insert(into: AuditEntry.schema, columns: entryColumns, rows: chain.rows)
        try direct.execute("UPDATE audit_head SET hash = ? WHERE id = 1", [SQLValue(chain.head)])
        return last
    }

    static let entryColumns = ["seq", "at_ms", "actor_id", "actor", "action", "record_type", "record_id", "address", "detail", "prev_hash", "hash"]

    /// The rows for `events`, numbered to end at `last` and each linked to the one before,
    /// starting from the head's hash `previous`; and the new head's hash.
    static func chained(_ events: [AuditEvent], last: Int, previous: String) -> (rows: [[SQLValue]], head: String) {
        var previous = previous
        let at = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(events.count)
        for (offset, event) in events.enumerated() {
            let entry = AuditEntry()
            let id = last - events.count + 1 + offset
            entry.id = id
            entry.atMilliseconds = at
            entry.actorID = event.actor.id
            entry.actor = String(event.actor.name.prefix(200))
            entry.action = String(event.action.prefix(100))
            entry.recordType = String(event.recordType.prefix(100))
            entry.recordID = String(event.recordID.prefix(100))
            entry.address = String(event.address.prefix(100))
            entry.detail = String(event.detail.prefix(500))
            entry.previousHash = previous
            entry.hash = hash(entry.canonicalText)
            previous = entry.hash
            rows.append([
                SQLValue(id), SQLValue(entry.atMilliseconds), SQLValue(entry.actorID), SQLValue(entry.actor),
                SQLValue(entry.action), SQLValue(entry.recordType), SQLValue(entry.recordID), SQLValue(entry.address),
                SQLValue(entry.detail), SQLValue(entry.previousHash), SQLValue(entry.hash),
            ])
        }
        return (rows, previous)
    }

    static func hash(_ text: String) -> String {
        Secrets.sha256Hex(text)
    }

    public struct Verification: Sendable {
        public var checked: Int
        /// Sequence number of the first entry that does not fit the chain, if any.
        public var firstBroken: Int?
        public var reason: String?
        /// The first entry kept when the retention schedule has removed older ones (the chain
        /// is checked from there; see `AuditLog+Retention.swift`), else nil.
        public var startsAt: Int? = nil
        public var isIntact: Bool { firstBroken == nil && reason == nil }
    }

    /// Walks the whole chain, from entry 1 or from where the retention schedule anchored it.
    /// Detects an edited entry (its hash no longer matches), a deleted one (a gap in the sequence
    /// or a broken link), a re-ordered one (links out of order), a removed tail (the head no
    /// longer matches the last entry) and an anchor that does not say what its chained entry says.
    public func verify(batchSize: Int = 2000) async throws -> Verification {
        let db = database.db
        let start = await chainStart(on: db)
        var expectedSeq = start.seq
        var previousHash = start.previousHash
        var checked = 0
        if let recordedBy = start.recordedBy, recordedBy < start.seq {
            return Verification(checked: 0, firstBroken: start.seq,
                                reason: "the chain's anchor names entry \(recordedBy), before the first entry kept (\(start.seq)): the anchor was changed")
        }
        while true {
            let batch = try await AuditEntry.query(on: db)
                .filter(\.$id >= expectedSeq)
                .sort(\.$id, .ascending)
                .limit(batchSize)
                .all()
            if batch.isEmpty { break }
            for entry in batch {
                let seq = entry.id ?? -1
                if seq != expectedSeq {
                    return Verification(checked: checked, firstBroken: expectedSeq,
                                        reason: "entry \(expectedSeq) is missing (the next entry present is \(seq))")
                }
                if entry.previousHash != previousHash {
                    return Verification(checked: checked, firstBroken: seq,
                                        reason: "entry \(seq) does not follow entry \(seq - 1): its link to the previous hash is broken (deleted or re-ordered)")
                }
                if Self.hash(entry.canonicalText) != entry.hash {
                    return Verification(checked: checked, firstBroken: seq,
                                        reason: "entry \(seq) has been altered: its content no longer matches its hash")
                }
                if seq == start.recordedBy, let problem = Self.anchorProblem(entry, start: start) {
                    return Verification(checked: checked, firstBroken: seq, reason: problem)
                }
                previousHash = entry.hash
                expectedSeq += 1
                checked += 1
            }
        }
        guard let head = try await AuditHead.find(1, on: db) else {
            return Verification(checked: checked, firstBroken: nil, reason: "the chain head is missing")
        }
        let lastSeen = start.seq - 1 + checked
        if head.seq != lastSeen || head.hash != previousHash {
            return Verification(checked: checked, firstBroken: lastSeen + 1,
                                reason: "the log ends at entry \(lastSeen) but \(head.seq) entries were written: entries after \(lastSeen) were removed")
        }
        if let recordedBy = start.recordedBy, recordedBy > lastSeen {
            return Verification(checked: checked, firstBroken: recordedBy,
                                reason: "entry \(recordedBy), which should record the removal of the entries before \(start.seq), is missing")
        }
        return Verification(checked: checked, firstBroken: nil, reason: nil, startsAt: start.recordedBy == nil ? nil : start.seq)
    }

    public struct Search: Sendable {
        public var actor: String = ""
        public var action: String = ""
        public var record: String = ""
        public var from: Date?
        public var to: Date?
        /// Only entries about these records (from a reference: `AuditReader`); none match an empty list.
        public var records: [AuditRecordKey]?
        public var page = 1
        public var perPage = 50
        public init() {}
    }

    /// Milliseconds since 1970, clamped so a date far outside any log cannot overflow.
    static func milliseconds(_ date: Date) -> Int64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        guard ms.isFinite else { return ms > 0 ? .max : .min }
        return Int64(min(max(ms, -9.0e18), 9.0e18))
    }

    public func search(_ search: Search) async throws -> (entries: [AuditEntry], total: Int) {
        var query = AuditEntry.query(on: database.db)
        if !search.actor.isEmpty { query = query.filter(SQLLike(column: "actor", .contains, search.actor).filter) }
        if !search.action.isEmpty { query = query.filter(SQLLike(column: "action", .prefix, search.action).filter) }
        if !search.record.isEmpty {
            let term = search.record
            query = query.group(.or) { $0.filter(\.$recordID == term).filter(\.$recordType == term) }
        }
        if let records = search.records {
            guard !records.isEmpty else { return ([], 0) }
            query = query.group(.or) { any in
                for key in records.prefix(100) {
                    any.group(.and) { $0.filter(\.$recordType == key.type).filter(\.$recordID == key.id) }
                }
            }
        }
        if let from = search.from { query = query.filter(\.$atMilliseconds >= Self.milliseconds(from)) }
        if let to = search.to { query = query.filter(\.$atMilliseconds < Self.milliseconds(to)) }
        let total = try await query.copy().count()
        let entries = try await query.sort(\.$id, .descending)
            .range(Pagination.rows(page: search.page, perPage: search.perPage))
            .all()
        return (entries, total)
    }
}

enum AuditError: Error {
    case missingHead
    case missingEntry(Int)
}
