import CairnCore
import FluentKit
import Foundation
import SQLKit

// One run of the schedule at a time, however many instances share the database.
//
// - In one process, `RetentionGate`.
// - On PostgreSQL, as the linker does (`LinkSession.exclusive`), an advisory lock held by a
//   transaction for the whole run: another instance's attempt finds it taken and gives up at
//   once (it does not wait), and PostgreSQL releases it if the instance dies. Holding it, a row
//   still marked as running was left by an instance that stopped, and is marked interrupted.
// - On SQLite (one server, but `cairn retention run` may run beside it), the run's row is
//   claimed by one statement that inserts it only if no run started in the last six hours is
//   still marked as running; SQLite does one write at a time, so two cannot both claim.
//
// A daily run also does nothing when a run finished within the day (checked after taking the
// lock, so two instances that wake together run it once).

extension RetentionService {
    /// Key of the PostgreSQL advisory lock a run holds ("CairnRet", in ASCII).
    static let lockKey: Int64 = 0x4361_6972_6E52_6574
    /// A run still marked as running after this long is taken to have stopped (SQLite).
    static let staleRun: TimeInterval = 6 * 3600

    /// A run of the schedule as the history lists it.
    struct Run: Sendable {
        let source: RetentionSource?
        let actor: String
        let startedAt: Date
        let finishedAt: Date?
        /// running, completed, failed or interrupted.
        let outcome: String
        let summary: String
    }

    /// The latest runs, newest first.
    func runs(limit: Int = 10) async throws -> [Run] {
        try await database.sql.select().columns("source", "actor", "started_at", "finished_at", "outcome", "summary").from(Self.runsSchema)
            .orderBy("started_at", .descending).limit(limit).all()
            .map { row in
                Run(source: RetentionSource(rawValue: try row.decode(column: "source", as: String.self)), actor: try row.decode(column: "actor", as: String.self),
                    startedAt: try row.decode(column: "started_at", as: Date.self), finishedAt: try row.decode(column: "finished_at", as: Date?.self),
                    outcome: try row.decode(column: "outcome", as: String.self), summary: try row.decode(column: "summary", as: String.self))
            }
    }

    /// Runs `body` as the only run of the schedule on the database, recorded in `retention_runs`;
    /// `.busy` if another is under way, `.notDue` if `idleSince` is given and a run finished
    /// after it.
    func exclusively(source: RetentionSource, actor: AuditActor, now: Date, idleSince: Date?,
                     _ body: @escaping @Sendable () async throws -> RetentionReport) async throws -> Outcome {
        guard gate.enter() else { return .busy }
        defer { gate.leave() }
        if database.isSQLite {
            return try await claimed(source: source, actor: actor, now: now, idleSince: idleSince, body)
        }
        return try await database.db.transaction { tx -> Outcome in
            let sql = try tx.sqlDatabase()
            guard let row = try await sql.raw("SELECT pg_try_advisory_xact_lock(\(bind: Self.lockKey)) AS locked").first(),
                  try row.decode(column: "locked", as: Bool.self) else { return .busy }
            // The run's own rows are written outside this transaction, so others see them at once.
            try await database.sql.update(Self.runsSchema).set("outcome", to: SQLBind("interrupted")).set("finished_at", to: SQLBind(now))
                .where("outcome", .equal, SQLBind("running")).run()
            return try await claimed(source: source, actor: actor, now: now, idleSince: idleSince, body)
        }
    }

    private func claimed(source: RetentionSource, actor: AuditActor, now: Date, idleSince: Date?,
                         _ body: @escaping @Sendable () async throws -> RetentionReport) async throws -> Outcome {
        let sql = database.sql
        if let idleSince {
            let row = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("started_at")), as: "latest").from(Self.runsSchema)
                .where("outcome", .equal, SQLBind("completed")).first()
            if let latest = try row?.decode(column: "latest", as: Date?.self), latest > idleSince { return .notDue }
        }
        let id = UUID()
        let runs = Self.runsSchema
        try await sql.raw("""
            INSERT INTO \(ident: runs) (\(ident: "id"), \(ident: "source"), \(ident: "actor"), \(ident: "started_at"), \(ident: "outcome"), \(ident: "summary"))
            SELECT \(bind: id), \(bind: source.rawValue), \(bind: String(actor.name.prefix(200))), \(bind: now), \(bind: "running"), \(bind: "")
            WHERE NOT EXISTS (SELECT 1 FROM \(ident: runs) WHERE \(ident: "outcome") = \(bind: "running") AND \(ident: "started_at") > \(bind: now.addingTimeInterval(-Self.staleRun)))
            """).run()
        guard try await sql.select().column("id").from(Self.runsSchema).where("id", .equal, SQLBind(id)).first() != nil else { return .busy }
        // Claimed: any other row still marked as running is from a run that stopped.
        try await sql.update(Self.runsSchema).set("outcome", to: SQLBind("interrupted")).set("finished_at", to: SQLBind(now))
            .where("outcome", .equal, SQLBind("running")).where("id", .notEqual, SQLBind(id)).run()
        do {
            let report = try await body()
            try await finish(id, outcome: report.failed ? "failed" : "completed", summary: report.summary)
            return .ran(report)
        } catch {
            try? await finish(id, outcome: "failed", summary: "stopped by an error")
            throw error
        }
    }

    private func finish(_ id: UUID, outcome: String, summary: String) async throws {
        try await database.sql.update(Self.runsSchema).set("outcome", to: SQLBind(outcome)).set("finished_at", to: SQLBind(Date()))
            .set("summary", to: SQLBind(String(summary.prefix(1000)))).where("id", .equal, SQLBind(id)).run()
    }
}
