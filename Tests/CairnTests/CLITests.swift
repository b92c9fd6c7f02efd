import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// Runs the real `cairn` binary, as an operator would.
struct CLI {
    static var binary: URL { repositoryRoot.appendingPathComponent(".build/debug/cairn") }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["CAIRN_TESTING"] = "1"
        env["CAIRN_BCRYPT_COST"] = "4"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension DatabaseURL {
    var raw: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let url): url
        }
    }
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "needs the built cairn binary"))
struct CLITests {
    @Test func everyCommandHasHelp() throws {
        let commands = [[], ["serve"], ["migrate"], ["demo"], ["user"], ["user", "create"], ["user", "list"], ["user", "disable"], ["user", "reset-password"],
                        ["user", "reset-2fa"], ["agency"], ["agency", "create"], ["agency", "list"], ["token", "create"], ["backup"], ["restore"],
                        ["audit", "verify"], ["audit", "search"], ["link"], ["link", "dedupe"], ["link", "rebuild"], ["demo", "generate"]]
        for command in commands {
            let result = try CLI.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE"), "\(command)")
        }
        #expect(try CLI.run(["backup", "--help"]).stdout.contains("pg_dump"))
    }

    @Test func userCreateRefusesADuplicateAndChangesNothing() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.cleanup() } }
        let db = ["--database", database.url.raw]
        let agency = try CLI.run(["agency", "create", "--name", "Test Police", "--type", "police", "--area", "Testshire", "--first-responder"] + db)
        #expect(agency.status == 0, "\(agency.stderr)")
        let first = try CLI.run(["user", "create", "--email", "sam@example.org", "--name", "Sam", "--agency", "Test Police", "--roles", "analyst,viewer"] + db)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Temporary password"))
        let second = try CLI.run(["user", "create", "--email", "SAM@example.org", "--name", "Sam Again", "--agency", "Test Police", "--roles", "viewer"] + db)
        #expect(second.status != 0)
        #expect(second.stderr.contains("already exists"))
        let badRole = try CLI.run(["user", "create", "--email", "x@example.org", "--name", "X", "--agency", "Test Police", "--roles", "emperor"] + db)
        #expect(badRole.status != 0)
        #expect(badRole.stderr.contains("not a role"))
        let list = try CLI.run(["user", "list"] + db)
        #expect(list.stdout.contains("1 account."))
        let badType = try CLI.run(["agency", "create", "--name", "Odd", "--type", "spaceship", "--area", "x"] + db)
        #expect(badType.status != 0)
        #expect(badType.stderr.contains("Agency type must be one of"))
    }

    @Test func linkRebuildRelinksTheDatabaseAndSaysWhatItFound() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.cleanup() } }
        let db = ["--database", database.url.raw]
        #expect(try CLI.run(["demo"] + db).status == 0)
        let connection = try CairnDatabase(url: database.url, logger: TestDatabase.logger)
        try await connection.connect()
        let before = Set(try await ReportLink.query(on: connection.db).all().map { "\($0.earlierReportID)>\($0.laterReportID)" })
        let reports = try await Report.query(on: connection.db).count()
        try await connection.sql.raw("DELETE FROM report_links").run()
        await connection.shutdown()

        let result = try CLI.run(["link", "rebuild"] + db)
        #expect(result.status == 0, "\(result.stderr)")
        // Every demo report (33: 24 of them closed history that names no one and links to nothing).
        #expect(reports == 33 && result.stdout.contains("Re-linked \(reports) reports"), "\(result.stdout)")
        #expect(result.stdout.contains("2 links between reports; 1 network."), "\(result.stdout)")
        let reopened = try CairnDatabase(url: database.url, logger: TestDatabase.logger)
        try await reopened.connect()
        let after = Set(try await ReportLink.query(on: reopened.db).all().map { "\($0.earlierReportID)>\($0.laterReportID)" })
        #expect(after == before && after.count == 2)
        #expect(try await AuditEntry.query(on: reopened.db).filter(\.$action == "links.rebuilt").count() == 1)
        await reopened.shutdown()
        #expect(try CLI.run(["link", "rebuild", "--database", "mysql://nope"]).status != 0)
    }

    @Test func badDatabaseURLIsNamed() throws {
        let result = try CLI.run(["migrate", "--database", "mysql://localhost/cairn"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\"mysql\" is not supported"))
        let missing = try CLI.run(["migrate", "--database", "sqlite:///no/such/folder/cairn.sqlite"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test func tokenCreatePrintsOnlyTheTokenAndAuditVerifyDetectsTampering() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.cleanup() } }
        let db = ["--database", database.url.raw]
        #expect(try CLI.run(["demo"] + db).status == 0)
        let token = try CLI.run(["token", "create", "--user", "analyst@demo.invalid"] + db)
        #expect(token.status == 0)
        let lines = token.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("cairn_") == true)
        let intact = try CLI.run(["audit", "verify"] + db)
        #expect(intact.status == 0, "\(intact.stderr)")
        #expect(intact.stdout.contains("intact"))
        let services = try CairnDatabase(url: database.url, logger: TestDatabase.logger)
        try await services.sql.raw("UPDATE audit_entries SET actor = 'someone else' WHERE seq = 2").run()
        await services.shutdown()
        let broken = try CLI.run(["audit", "verify"] + db)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("entry 2"))
    }

    @Test func auditSearchByReferenceFromTheCommandLine() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.cleanup() } }
        let db = ["--database", database.url.raw]
        #expect(try CLI.run(["demo"] + db).status == 0)
        let services = try CairnDatabase(url: database.url, logger: TestDatabase.logger)
        let report = try #require(try await Report.query(on: services.db).first())
        let id = try report.requireID().uuidString
        try await AuditLog(database: services).append(AuditEvent(actor: .system, action: "test.cli_search", recordType: "report", recordID: id))
        await services.shutdown()
        let found = try CLI.run(["audit", "search", "--reference", report.reference.lowercased()] + db)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("test.cli_search"))
        #expect(found.stdout.split(separator: "\n").dropLast().allSatisfy { $0.contains(id) })
        let bad = try CLI.run(["audit", "search", "--reference", "banana"] + db)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("CRN-7K4P-Q2"))
    }

    @Test func backupAndRestoreRoundTrip() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.cleanup() } }
        let db = ["--database", database.url.raw]
        #expect(try CLI.run(["demo"] + db).status == 0)
        guard case .sqlite(let path) = database.url else {
            let advice = try CLI.run(["backup", "/tmp/x.sqlite"] + db)
            #expect(advice.status != 0)
            #expect(advice.stderr.contains("pg_dump"))
            return
        }
        let backup = path + ".backup"
        let made = try CLI.run(["backup", backup] + db)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try CLI.run(["backup", backup] + db).stderr.contains("already exists"))
        // Change the live database, then restore: the change is gone.
        #expect(try CLI.run(["agency", "create", "--name", "After Backup", "--type", "ngo", "--area", "x"] + db).status == 0)
        let refused = try CLI.run(["restore", backup] + db)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--force"))
        let restored = try CLI.run(["restore", backup, "--force"] + db)
        #expect(restored.status == 0, "\(restored.stderr)")
        let agencies = try CLI.run(["agency", "list"] + db)
        #expect(!agencies.stdout.contains("After Backup"))
        #expect(agencies.stdout.contains("Westmere Constabulary"))
        let notCairn = path + ".junk"
        try "hello".write(toFile: notCairn, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["restore", notCairn, "--force"] + db).stderr.contains("not a SQLite database"))
    }

    @Test func backupIsConsistentWhileTheServerWrites() async throws {
        try await withServices(demo: true) { services, database in
            guard case .sqlite(let path) = database.url else { return }
            // Writes keep coming while the backup is taken.
            let writer = Task {
                for i in 0..<200 { try await services.audit.append(AuditEvent(actor: .system, action: "test.write", recordID: "\(i)")) }
            }
            try await Task.sleep(for: .milliseconds(20))
            try await Backup.backup(services.database, to: path + ".live-backup")
            try await writer.value
            let copy = try CairnDatabase(url: .sqlite(path: path + ".live-backup"), logger: TestDatabase.logger)
            let verification = try await AuditLog(database: copy).verify()
            await copy.shutdown()
            #expect(verification.isIntact)
            #expect(verification.checked >= 1)
        }
    }
}
