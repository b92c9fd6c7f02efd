import FluentKit
import Foundation
import SQLKit
import Synchronization

/// The rate-limit counts on PostgreSQL, shared by every instance on the database: one row per
/// scope and address holding the time its allowance is full again (see `RateRule`). Checking
/// and counting are a single `INSERT … ON CONFLICT DO UPDATE … WHERE`, which PostgreSQL runs
/// under the row's lock, so concurrent requests on any instance queue on the row and exactly
/// `limit` of a burst get through. Measured against an advisory-lock transaction doing the same
/// (BENCHMARKS.md, "Shared rate limits"), the single statement costs less.
///
/// The table is UNLOGGED: its rows are worth nothing after a crash (at worst a client gets a
/// fresh allowance), so its writes skip the write-ahead log and its commits wait for no flush.
final class SharedRateLimits: RateLimitStore {
    /// Each statement takes a connection from any event loop's pool.
    let database: CairnDatabase
    /// When this instance last removed rows whose allowance is full again.
    private let lastPrune = Mutex<Int64>(0)
    static let pruneEvery: Int64 = 60 * 1_000_000_000

    init(database: CairnDatabase) { self.database = database }

    func take(scope: String, key: String, rule: RateRule, now: Int64) async throws -> Int64? {
        let taken = try await database.sql.raw("""
            INSERT INTO rate_limits (scope, key, full_at) VALUES (\(bind: scope), \(bind: key), \(bind: now + rule.interval))
            ON CONFLICT (scope, key) DO UPDATE SET full_at = GREATEST(rate_limits.full_at, \(bind: now)) + \(bind: rule.interval)
            WHERE GREATEST(rate_limits.full_at, \(bind: now)) + \(bind: rule.interval) <= \(bind: now + rule.window)
            RETURNING full_at
            """).first()
        pruneIfDue(now: now)
        if taken != nil { return nil }
        // Refused: how long until the next one is allowed.
        let row = try await database.sql.raw("SELECT full_at FROM rate_limits WHERE scope = \(bind: scope) AND key = \(bind: key)").first()
        let fullAt = try row?.decode(column: "full_at", as: Int64.self) ?? now
        return rule.wait(fullAt: fullAt, now: now)
    }

    func giveBack(scope: String, key: String, rule: RateRule, now: Int64) async throws {
        try await database.sql.raw("""
            UPDATE rate_limits SET full_at = full_at - \(bind: rule.interval) WHERE scope = \(bind: scope) AND key = \(bind: key)
            """).run()
    }

    /// Rows whose allowance is full again say nothing a missing row does not; each instance
    /// removes them about once a minute, in the background.
    private func pruneIfDue(now: Int64) {
        let due = lastPrune.withLock { last in
            guard now - last >= Self.pruneEvery else { return false }
            last = now
            return true
        }
        guard due else { return }
        let sql = database.sql
        Task { try? await sql.raw("DELETE FROM rate_limits WHERE full_at < \(bind: now)").run() }
    }
}
