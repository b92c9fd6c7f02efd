import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// `cairn demo generate` as an operator runs it: the real binary, a real database.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "needs the built cairn binary"))
struct GenerateCLITests {
    @Test func generateFillsTheDatabaseShowsProgressAndRefusesToFillItTwice() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.cleanup() } }
        let db = ["--database", database.url.raw]
        let first = try CLI.run(["demo", "generate", "--reports", "400", "--cases", "12", "--months", "6", "--seed", "3"] + db)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains(" 50%  200 reports"))
        #expect(first.stdout.contains("100%  400 reports, 12 cases"))
        #expect(first.stdout.contains("reports                400"))
        #expect(first.stdout.contains("cases                  12"))
        #expect(first.stdout.contains("Created 17 agencies"))
        #expect(first.stdout.contains("cairn link rebuild"))

        // Already holds reports: refused, with the reason and a non-zero exit, and nothing added.
        let again = try CLI.run(["demo", "generate", "--reports", "400", "--cases", "12", "--months", "6"] + db)
        #expect(again.status != 0)
        #expect(again.stderr.contains("already holds reports") && again.stderr.contains("--append"))
        let appended = try CLI.run(["demo", "generate", "--reports", "100", "--cases", "0", "--months", "2", "--append", "--link"] + db)
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(appended.stdout.contains("Linked: "))

        let services = try AppServices(config: testConfig(database.url, demo: false), logger: TestDatabase.logger)
        do {
            try await services.database.connect()
            #expect(try await Report.query(on: services.database.db).count() == 500)
            #expect(try await SupportCase.query(on: services.database.db).count() == 12)
            #expect(try await Agency.query(on: services.database.db).count() == 17)
        } catch {
            await services.shutdown()
            throw error
        }
        await services.shutdown()
    }

    @Test func badOptionsAreRefusedWithTheirReason() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.cleanup() } }
        let db = ["--database", database.url.raw]
        for (arguments, message) in [
            (["--reports", "0"], "--reports must be between 1 and 5,000,000"),
            (["--reports", "5000001"], "--reports must be between 1 and 5,000,000"),
            (["--reports=-3"], "--reports must be between 1 and 5,000,000"),
            (["--cases=-1"], "--cases must be between 0 and 1,000,000"),
            (["--reports", "10", "--cases", "6"], "--cases must be at most half of --reports"),
            (["--months", "0"], "--months must be between 1 and 240"),
            (["--months", "300"], "--months must be between 1 and 240"),
            (["--as-of", "2999-01-01"], "--as-of cannot be in the future"),
            (["--as-of", "yesterday"], "--as-of must be a date written as YYYY-MM-DD"),
            (["--seed", "-1"], "seed"),
            (["--years", "0"], "--years must be between 1 and 20"),
            (["--years", "21"], "--years must be between 1 and 20"),
            (["--years", "2", "--months", "6"], "give --years or --months, not both"),
        ] {
            let result = try CLI.run(["demo", "generate"] + arguments + db)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        // Nothing was written, not even the schema's agencies.
        let services = try AppServices(config: testConfig(database.url, demo: false), logger: TestDatabase.logger)
        try await services.database.connect()
        let agencies = try? await services.database.sql.select().column("id").from("agencies").all().count
        #expect((agencies ?? 0) == 0)
        await services.shutdown()
    }
}
