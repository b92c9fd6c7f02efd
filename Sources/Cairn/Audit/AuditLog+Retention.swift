import CairnCore
import FluentKit
import Foundation
import SQLKit

// Removing the oldest audit entries without weakening the chain.
//
// Each entry's hash covers the hash of the one before, so removing the oldest entries would
// leave `verify` with nothing to start from. A removal therefore anchors the chain first, in
// one transaction: it appends an `audit.pruned` entry (in the chain, like any other) that says
// which entries go and the hash the first kept entry links to, and writes the same two values
// to `audit_anchor`. Only then are the old entries deleted, in batches. `verify` starts at the
// anchor, with its hash, and checks that the anchor says exactly what the chained entry says:
// moving the anchor on (to hide more removed entries) or editing the entry breaks the chain as
// any other change does, and so does deleting the anchor (the walk then starts at entry 1).
// While the batches run, and if a run stops part-way, the entries not yet deleted lie before
// the anchor and are simply not walked.

/// Where the chain starts: entry 1 after the genesis hash, or the anchor left by a removal.
struct AuditChainStart: Sendable, Equatable {
    /// The first entry kept.
    let seq: Int
    /// The hash that entry links to (the removed entry before it).
    let previousHash: String
    /// The `audit.pruned` entry that records the removal, when there was one.
    let recordedBy: Int?

    static let genesis = AuditChainStart(seq: 1, previousHash: AuditLog.genesisHash, recordedBy: nil)
}

extension AuditLog {
    static let pruneAction = "audit.pruned"
    static let anchorSchema = "audit_anchor"

    /// What the `audit.pruned` entry says, word for word: `verify` compares the anchor with it.
    static func pruneDetail(removedFrom first: Int, keptFrom seq: Int, previousHash: String, cutoff: Date) -> String {
        let before = ISO8601DateFormatter().string(from: cutoff)
        return "retention: entries \(first) to \(seq - 1) written before \(before) removed; chain starts at entry \(seq) after hash \(previousHash)"
    }

    /// The chain's start: the anchor's, or entry 1. A database without the anchor table (a backup
    /// from before it existed, checked before it is migrated) has had nothing removed; should the
    /// read fail for another reason the walk starts at entry 1 and reports any removed entry as
    /// missing, so a failure can only make the log look broken, never intact.
    func chainStart(on db: any Database) async -> AuditChainStart {
        guard let sql = db as? any SQLDatabase,
              let row = try? await sql.select().columns("first_seq", "prev_hash", "entry_seq").from(Self.anchorSchema)
                .where("id", .equal, SQLBind(1)).first(),
              let first = try? row.decode(column: "first_seq", as: Int.self),
              let hash = try? row.decode(column: "prev_hash", as: String.self),
              let entry = try? row.decode(column: "entry_seq", as: Int.self) else { return .genesis }
        return AuditChainStart(seq: first, previousHash: hash, recordedBy: entry)
    }

    /// Checks an entry against the anchor it was written with: nil when it agrees, else why not.
    static func anchorProblem(_ entry: AuditEntry, start: AuditChainStart) -> String? {
        guard entry.action == pruneAction,
              entry.detail.hasSuffix("chain starts at entry \(start.seq) after hash \(start.previousHash)") else {
            return "entry \(entry.id ?? 0) should record the removal of the entries before \(start.seq), and does not: the anchor was moved or the entry changed"
        }
        return nil
    }

    /// The entries written before `cutoff` that are still held: `first..<end` (empty when none).
    /// Entries are numbered in the order they were written, and each is stamped after it took the
    /// chain's head, so their times rise with their numbers except for clock differences between
    /// instances: the boundary is found by bisection on the sequence (a handful of look-ups by
    /// key), then every entry before it is checked, so none written at or after the cutoff is ever
    /// counted, whatever the clocks did.
    func retentionDue(before cutoff: Date) async throws -> (first: Int, end: Int) {
        let sql = database.sql
        let start = await chainStart(on: database.db)
        let cut = Self.milliseconds(cutoff)
        guard let head = try await sql.select().column("seq").from(AuditHead.schema).where("id", .equal, SQLBind(1)).first(),
              let last = try? head.decode(column: "seq", as: Int.self),
              let firstRow = try await sql.select().column("seq").from(AuditEntry.schema)
                .where("seq", .greaterThanOrEqual, SQLBind(start.seq)).orderBy("seq").limit(1).first(),
              let first = try? firstRow.decode(column: "seq", as: Int.self), first <= last else { return (start.seq, start.seq) }
        // The first entry (from `first`) stamped at or after the cutoff, assuming times rise.
        func stamp(atOrAfter seq: Int) async throws -> Int64? {
            guard let row = try await sql.select().column("at_ms").from(AuditEntry.schema)
                .where("seq", .greaterThanOrEqual, SQLBind(seq)).orderBy("seq").limit(1).first() else { return nil }
            return try row.decode(column: "at_ms", as: Int64.self)
        }
        var low = first, high = last + 1
        while low < high {
            let middle = low + (high - low) / 2
            if let at = try await stamp(atOrAfter: middle), at < cut { low = middle + 1 } else { high = middle }
        }
        var end = low
        // Any entry before the boundary stamped at or after the cutoff (another instance's clock
        // ahead) moves the boundary back to it: only the entries before it go.
        if end > first, let row = try await sql.select().column(SQLFunction("MIN", args: SQLColumn("seq")), as: "seq").from(AuditEntry.schema)
            .where("seq", .greaterThanOrEqual, SQLBind(first)).where("seq", .lessThan, SQLBind(end))
            .where("at_ms", .greaterThanOrEqual, SQLBind(cut)).first(),
           let early = try row.decode(column: "seq", as: Int?.self) {
            end = early
        }
        return (first, end)
    }

    /// How many entries are due (`retentionDue`).
    func retentionCount(before cutoff: Date) async throws -> Int {
        let (first, end) = try await retentionDue(before: cutoff)
        return max(0, end - first)
    }

    /// The due entries as the preview shows them: one line for the whole range (it names no one).
    func retentionPreview(before cutoff: Date) async throws -> [RetentionDue] {
        let (first, end) = try await retentionDue(before: cutoff)
        guard end > first else { return [] }
        let row = try await database.sql.select().column("at_ms").from(AuditEntry.schema).where("seq", .equal, SQLBind(end - 1)).first()
        let latest = try row?.decode(column: "at_ms", as: Int64.self) ?? Self.milliseconds(cutoff)
        return [RetentionDue(reference: "Entries \(first) to \(end - 1)", since: Date(timeIntervalSince1970: Double(latest) / 1000))]
    }

    /// Removes the entries written before `cutoff` (see the top of this file): anchors the chain at
    /// the first entry kept, with an `audit.pruned` entry by `actor`, then deletes the old entries
    /// `batch` at a time (with any a stopped removal left behind). Returns how many were removed.
    func prune(before cutoff: Date, actor: AuditActor, batch: Int = 5_000) async throws -> Int {
        let (first, end) = try await retentionDue(before: cutoff)
        guard end > first else { return 0 }
        try await database.db.transaction { tx in
            let sql = try tx.sqlDatabase()
            // Entry `end` links to the hash of entry `end - 1`, whether it was already there or is
            // the entry appended now (when every earlier entry is due).
            guard let row = try await sql.select().column("hash").from(AuditEntry.schema).where("seq", .equal, SQLBind(end - 1)).first() else {
                throw AuditError.missingEntry(end - 1)
            }
            let previous = try row.decode(column: "hash", as: String.self)
            let event = AuditEvent(actor: actor, action: Self.pruneAction, recordType: "audit_log",
                                   detail: Self.pruneDetail(removedFrom: first, keptFrom: end, previousHash: previous, cutoff: cutoff))
            let seq = try await Self.appendBatch([event], on: tx)
            try await sql.delete(from: Self.anchorSchema).run()
            try await sql.insert(into: Self.anchorSchema).columns("id", "first_seq", "prev_hash", "entry_seq", "at_ms")
                .values(SQLBind(1), SQLBind(end), SQLBind(previous), SQLBind(seq), SQLBind(Self.milliseconds(Date()))).run()
        }
        let sql = database.sql
        let lowest = try await sql.select().column(SQLFunction("MIN", args: SQLColumn("seq")), as: "seq").from(AuditEntry.schema).first()
            .flatMap { try $0.decode(column: "seq", as: Int?.self) } ?? first
        var from = min(lowest, first)
        while from < end {
            let to = min(end, from + max(1, batch))
            try await sql.delete(from: AuditEntry.schema).where("seq", .greaterThanOrEqual, SQLBind(from)).where("seq", .lessThan, SQLBind(to)).run()
            from = to
        }
        return end - first
    }
}

extension AuditLog.Verification {
    /// ", from entry N (those before it were removed under the retention schedule)", or nothing.
    public var retentionNote: String {
        startsAt.map { ", from entry \($0) (those before it were removed under the retention schedule)" } ?? ""
    }
}
