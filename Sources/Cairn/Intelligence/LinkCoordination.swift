import FluentKit
import Foundation
import SQLKit

// How linking stays right when several instances share one PostgreSQL database, and after a
// crash:
//
// - Intake writes a `link_pending` row with each report, in the same transaction. The linker
//   deletes it in the transaction that stores the report's links, so a report committed just
//   before a crash is still marked as waiting when the server comes back, and is linked then
//   (`ReportLinker.sweep`, at start-up and periodically, by whichever instance gets there first).
// - Every linking pass, feedback and rebuild holds one lock across all instances for the whole
//   of its work (on PostgreSQL an advisory lock held by the pass's transaction, released by
//   PostgreSQL if the instance dies; SQLite is single-instance, see `cairn serve`), so two
//   instances never link at once and none links a report another has already linked.
// - Each of those writes `link_log` rows, numbered without gaps: a linked report, an analyst's
//   feedback, a rebuild. Before it links, an instance replays the rows it has not seen into its
//   in-memory person index, in the order they were written, so its index holds every person
//   any instance has linked (in the same order, hence the same clusters) and reflects every
//   analyst's decision.

/// A report stored and not linked yet.
final class LinkPendingRow: Model, @unchecked Sendable {
    static let schema = "link_pending"
    @ID(custom: "report_id", generatedBy: .user) var id: UUID?
    @Field(key: "received_at") var receivedAt: Date

    init() {}
}

/// One change to what the person index must hold, in the order instances made them.
final class LinkLogRow: Model, @unchecked Sendable {
    static let schema = "link_log"
    @ID(custom: "seq", generatedBy: .user) var id: Int64?
    /// `LinkLogKind` raw value.
    @Field(key: "kind") var kind: String
    /// The report linked, or the feedback row applied.
    @OptionalField(key: "subject_id") var subjectID: UUID?
    @Field(key: "at") var at: Date

    init() {}
}

enum LinkLogKind: String, Sendable {
    /// A report was linked: its person mentions joined the index.
    case report
    /// An analyst's judgement (`link_feedback`) was applied to the index.
    case feedback
    /// Everything was re-linked: the index is built again from the database.
    case rebuild
    /// A report was anonymised under the retention schedule: the person mention named leaves
    /// the index's clusters and links to nothing more; without a subject, identifier values
    /// changed and what an instance holds of them is read again (`ReportLinker+Retention.swift`).
    case erase
}

/// Where one linking pass reads and writes: on PostgreSQL, the transaction that holds the lock
/// shared by every instance; on SQLite, the reading connection and the writer (one instance).
struct LinkSession: Sendable {
    let read: any SQLDatabase
    /// For Fluent work in the pass (PostgreSQL: the session's transaction, so `transaction` on it
    /// joins that one; SQLite: the database).
    let db: any Database
    private let writeSteps: @Sendable (SQLWriteSteps) async throws -> Void

    /// Writes every step in one transaction (PostgreSQL: the session's own, committed when the
    /// pass ends; SQLite: its own, committed now, in one trip).
    func write(_ steps: SQLWriteSteps) async throws { try await writeSteps(steps) }

    /// Runs `body` in a transaction (PostgreSQL: the session's own; SQLite: a new one).
    func transaction(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw LinkCoordinationError.notSQL }
            try await body(sql)
        }
    }

    /// Key of the PostgreSQL advisory lock every linking pass holds ("Cairn link", in ASCII).
    static let lockKey: Int64 = 0x4361_6972_6E4C_6E6B

    /// Runs `body` as the only linking work on the database: on PostgreSQL inside one
    /// transaction holding the advisory lock (waiting for another instance to finish its pass),
    /// so what it reads cannot change under it and what it writes commits together at the end.
    static func exclusive<T: Sendable>(_ database: CairnDatabase, _ body: @escaping @Sendable (LinkSession) async throws -> T) async throws -> T {
        if database.isSQLite {
            let db = database.db
            return try await body(LinkSession(read: database.reader, db: db, writeSteps: { steps in try await steps.run(on: db) }))
        }
        return try await database.db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw LinkCoordinationError.notSQL }
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: lockKey))").run()
            return try await body(LinkSession(read: sql, db: tx, writeSteps: { steps in try await steps.run(in: sql) }))
        }
    }

    /// Drops log rows older than `before`, always keeping the latest (it numbers the next). An
    /// instance whose position is among those dropped builds its index again (`catchUp`).
    static func pruneLog(_ database: CairnDatabase, before: Date) async throws {
        let sql = database.sql
        guard let last = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "last").from(LinkLogRow.schema).first(),
              let seq = try last.decode(column: "last", as: Int64?.self) else { return }
        try await sql.delete(from: LinkLogRow.schema).where("at", .lessThan, SQLBind(before)).where("seq", .lessThan, SQLBind(seq)).run()
    }

    /// Reports waiting to be linked that were received before `before`, oldest first (read
    /// without the lock: a sweep then links them in a pass of its own, which checks again).
    static func pendingIDs(_ database: CairnDatabase, before: Date, limit: Int) async throws -> [UUID] {
        try await database.reader.select().column("report_id").from(LinkPendingRow.schema)
            .where("received_at", .lessThan, SQLBind(before))
            .orderBy("received_at").orderBy("report_id").limit(limit).all()
            .map { try $0.decode(column: "report_id", as: UUID.self) }
    }

    // MARK: Reads

    /// Which of these reports are still waiting to be linked.
    func stillPending(_ ids: [UUID]) async throws -> Set<UUID> {
        var found = Set<UUID>()
        for chunk in SQLRows.chunks(ids) {
            for row in try await read.select().column("report_id").from(LinkPendingRow.schema)
                .where("report_id", .in, SQLBind.group(chunk)).all() {
                found.insert(try row.decode(column: "report_id", as: UUID.self))
            }
        }
        return found
    }

    /// Every report waiting to be linked (a handful, unless linking is far behind).
    func allPending() async throws -> [UUID] {
        try await read.select().column("report_id").from(LinkPendingRow.schema).all()
            .map { try $0.decode(column: "report_id", as: UUID.self) }
    }

    struct LogEntry: Sendable {
        let seq: Int64
        let kind: LinkLogKind?
        let subjectID: UUID?
    }

    /// Log rows after `seq`, in order.
    func log(after seq: Int64, limit: Int) async throws -> [LogEntry] {
        try await read.select().columns("seq", "kind", "subject_id").from(LinkLogRow.schema)
            .where("seq", .greaterThan, SQLBind(seq)).orderBy("seq").limit(limit).all()
            .map { row in
                LogEntry(seq: try row.decode(column: "seq", as: Int64.self),
                         kind: LinkLogKind(rawValue: try row.decode(column: "kind", as: String.self)),
                         subjectID: try row.decode(column: "subject_id", as: UUID?.self))
            }
    }

    /// The latest log position and the earliest still kept (0 when the log is empty).
    func logBounds() async throws -> (first: Int64, last: Int64) {
        guard let row = try await read.select()
            .column(SQLFunction("MIN", args: SQLColumn("seq")), as: "first")
            .column(SQLFunction("MAX", args: SQLColumn("seq")), as: "last")
            .from(LinkLogRow.schema).first() else { return (0, 0) }
        return (try row.decode(column: "first", as: Int64?.self) ?? 0, try row.decode(column: "last", as: Int64?.self) ?? 0)
    }
}

enum LinkCoordinationError: Error {
    case notSQL
}

extension SQLWriteSteps {
    /// Marks reports as linked and logs them, numbered from `after + 1` in the given order.
    mutating func logLinked(_ reports: [UUID], after seq: Int64, at now: Date) {
        delete(from: LinkPendingRow.schema, where: "report_id", in: reports.map { SQLValue($0) })
        insert(into: LinkLogRow.schema, columns: ["seq", "kind", "subject_id", "at"], rows: reports.enumerated().map { n, id in
            [SQLValue(seq + Int64(n) + 1), SQLValue(LinkLogKind.report.rawValue), SQLValue(id), SQLValue(now)]
        })
    }

    /// Logs one feedback or rebuild as `seq`.
    mutating func log(_ kind: LinkLogKind, subject: UUID?, seq: Int64, at now: Date) {
        insert(into: LinkLogRow.schema, columns: ["seq", "kind", "subject_id", "at"],
               rows: [[SQLValue(seq), SQLValue(kind.rawValue), subject.map { SQLValue($0) } ?? .null, SQLValue(now)]])
    }
}
