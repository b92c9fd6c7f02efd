import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// One run at a time, once a day, however many instances; the daily job, its setting, and
/// `cairn retention run`.
@Suite struct RetentionJobTests {
    static func ran(_ outcome: RetentionService.Outcome) -> RetentionReport? {
        if case .ran(let report) = outcome { return report }
        return nil
    }

    /// Two instances wake at once: the schedule runs once between them. (Two servers on one
    /// SQLite file is not a supported deployment; there `cairn retention run` beside the server
    /// is kept apart by its claimed row, below.)
    @Test(.enabled(if: TestDatabase.isPostgres, "several instances share PostgreSQL"))
    func twoInstancesRunTheDailyScheduleOnce() async throws {
        try await withServices(demo: true) { services, database in
            _ = try await RetentionFixture.make(services)
            try await RetentionFixture.setDefaults(services)
            try await LinkCoordinationTests.withOtherInstance(database) { other in
                async let first = services.retention.run(.daily, actor: .system)
                async let second = other.retention.run(.daily, actor: .system)
                let outcomes = [try await first, try await second]
                let reports = outcomes.compactMap(Self.ran)
                #expect(reports.count == 1)
                #expect(reports.first?.removed == 5)
                #expect(try await RetentionTests.audits("retention.run", services).count == 1)
                // Later the same day, neither runs again.
                #expect(Self.ran(try await other.retention.run(.daily, actor: .system)) == nil)
                #expect(Self.ran(try await services.retention.run(.daily, actor: .system)) == nil)
                // An administrator's run is not held back by the day.
                #expect(Self.ran(try await services.retention.run(.administrator, actor: .system))?.removed == 0)
            }
        }
    }

    @Test func aRunUnderWayElsewhereMakesAnotherWait() async throws {
        try await withServices(demo: false) { services, _ in
            let sql = services.database.sql
            if TestDatabase.isPostgres {
                // Another instance holds the lock for its run.
                try await services.database.db.transaction { tx in
                    try await tx.sqlDatabase().raw("SELECT pg_advisory_xact_lock(\(bind: RetentionService.lockKey))").run()
                    let outcome = try await services.retention.run(.administrator, actor: .system)
                    #expect(Self.ran(outcome) == nil)
                }
                // A run an instance left marked as running when it stopped does not block the next.
                try await sql.insert(into: RetentionService.runsSchema).columns("id", "source", "actor", "started_at", "outcome", "summary")
                    .values(SQLBind(UUID()), SQLBind("daily"), SQLBind("system"), SQLBind(Date()), SQLBind("running"), SQLBind("")).run()
                #expect(Self.ran(try await services.retention.run(.administrator, actor: .system)) != nil)
                #expect(try await services.retention.runs().map(\.outcome).sorted() == ["completed", "interrupted"])
            } else {
                // `cairn retention run` beside the server: its claimed row stops a second run.
                let stuck = UUID()
                try await sql.insert(into: RetentionService.runsSchema).columns("id", "source", "actor", "started_at", "outcome", "summary")
                    .values(SQLBind(stuck), SQLBind("command_line"), SQLBind("cli"), SQLBind(Date()), SQLBind("running"), SQLBind("")).run()
                #expect(Self.ran(try await services.retention.run(.administrator, actor: .system)) == nil)
                // Six hours on, the row is taken to be from a run that stopped.
                try await sql.update(RetentionService.runsSchema).set("started_at", to: SQLBind(Date().addingTimeInterval(-7 * 3600)))
                    .where("id", .equal, SQLBind(stuck)).run()
                #expect(Self.ran(try await services.retention.run(.administrator, actor: .system)) != nil)
            }
            // In one process, a run under way makes another wait.
            #expect(services.retention.gate.enter())
            #expect(Self.ran(try await services.retention.run(.administrator, actor: .system)) == nil)
            services.retention.gate.leave()
            // A dry run never waits and never records.
            let runs = try await services.retention.runs().count
            #expect(services.retention.gate.enter())
            #expect(Self.ran(try await services.retention.run(.administrator, actor: .system, dryRun: true)) != nil)
            services.retention.gate.leave()
            #expect(try await services.retention.runs().count == runs)
        }
    }

    /// The daily job, as `cairn serve` starts it: it runs the schedule on its own, once.
    @Test func theDailyJobRunsTheSchedule() async throws {
        try await withServices(demo: true) { services, _ in
            let f = try await RetentionFixture.make(services)
            try await RetentionFixture.setDefaults(services)
            await services.retention.job.start(services.retention, delay: .zero, every: .milliseconds(50))
            var waited = 0
            while try await services.retention.runs().first?.outcome != "completed", waited < 600 {
                try await Task.sleep(for: .milliseconds(100))
                waited += 1
            }
            await services.retention.job.stop()
            #expect(try await SessionRecord.find(f.sessionDue, on: services.database.db) == nil)
            #expect(try await services.retention.runs().count == 1)
            #expect(try await services.retention.runs().first?.source == .daily)
        }
    }

    @Test func theDailyJobCanBeTurnedOff() throws {
        #expect(AppConfig().retentionJob)
        #expect(try AppConfig.load(environment: ["CAIRN_RETENTION_JOB": "false"]).retentionJob == false)
        #expect(try AppConfig.load(flags: ["retention-job": "true"], environment: ["CAIRN_RETENTION_JOB": "false"]).retentionJob)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(environment: ["CAIRN_RETENTION_JOB": "sometimes"]) }
        do {
            _ = try AppConfig.load(environment: ["CAIRN_RETENTION_JOB": "sometimes"])
        } catch let error as AppConfig.Invalid {
            #expect(error.description.contains("CAIRN_RETENTION_JOB is \"sometimes\"; it must be true or false"))
        }
    }
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "needs the built cairn binary"))
struct RetentionCommandTests {
    @Test func retentionRunPrintsWhatItDidKindByKind() async throws {
        try await withServices(demo: true) { services, database in
            let f = try await RetentionFixture.make(services)
            for command in [["retention", "--help"], ["retention", "run", "--help"]] {
                let help = try CLI.run(command)
                #expect(help.status == 0 && help.stdout.contains("USAGE"), "\(command)")
            }
            // Nothing set: nothing done, and it says so.
            var result = try CLI.run(["retention", "run", "--database", database.url.raw])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Sign-in sessions: not set by an administrator, so nothing was done"))
            #expect(result.stdout.contains("0 records removed or anonymised."))
            try await RetentionFixture.setDefaults(services)

            result = try CLI.run(["retention", "run", "--dry-run", "--database", database.url.raw])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("dry run: nothing was changed"))
            #expect(result.stdout.contains("Reports closed with no further action (24 months after the report was closed): 1 would be anonymised; 1 kept because a case was opened from them"))
            #expect(result.stdout.contains("5 records would be removed or anonymised."))
            #expect(try await Report.find(f.nfaDue.id, on: services.database.db)?.narrative.isEmpty == false)

            result = try CLI.run(["retention", "run", "--database", database.url.raw])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Closed cases (6 years after the case was closed): 1 anonymised"))
            #expect(result.stdout.contains("Sign-in sessions (30 days after the session expired): 1 deleted"))
            #expect(result.stdout.contains("5 records removed or anonymised."))
            #expect(try await Report.find(f.nfaDue.id, on: services.database.db)?.narrative.isEmpty == true)
            let run = try #require(try await RetentionTests.audits("retention.run", services).last)
            #expect(run.actor.hasPrefix("cairn retention run:") && run.address == "command_line")
            let verify = try CLI.run(["audit", "verify", "--database", database.url.raw])
            #expect(verify.status == 0, "\(verify.stderr)")
        }
    }
}
