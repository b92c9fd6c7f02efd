import FluentKit
import Foundation
import Testing

@testable import Cairn

/// An SQLite database has one server: `cairn restore` and a second `cairn serve` refuse while
/// one runs (issue 14: a restore under a running server exited 0, and the reports the server
/// acknowledged afterwards vanished at its next start). Through the real binary.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "needs the built cairn binary"))
struct DatabaseLockTests {
    /// Runs the binary; kills it if it has not finished within `seconds` (a server that should
    /// have refused to start but did not).
    static func run(_ arguments: [String], seconds: Double = 120) async throws -> (status: Int32, stderr: String, timedOut: Bool) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["CAIRN_TESTING"] = "1"
        env["CAIRN_BCRYPT_COST"] = "4"
        env["CAIRN_RESOURCES"] = repositoryRoot.appendingPathComponent("Sources/Cairn/Resources").path
        process.environment = env
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-lock-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: err) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let timedOut = process.isRunning
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: err, encoding: .utf8)) ?? "", timedOut)
    }

    @Test func restoreAndASecondServerRefuseWhileAServerHoldsTheDatabase() async throws {
        try await DurabilityTests.withDatabase { database in
            guard case .sqlite(let path) = database.url else { return }
            let db = ["--database", database.url.raw]
            #expect(try CLI.run(["demo"] + db).status == 0)
            let backup = path + ".backup"
            #expect(try CLI.run(["backup", backup] + db).status == 0)

            let server = try DurabilityTests.Server(database: database.url)
            defer { if server.process.isRunning { server.kill() } }
            try await server.waitUntilHealthy()
            let pid = server.process.processIdentifier

            // Restore is refused, says why and by whom, and changes nothing.
            let restore = try await Self.run(["restore", backup, "--force"] + db)
            #expect(restore.status != 0)
            #expect(restore.stderr.contains("a Cairn server (pid \(pid)) is using sqlite://"), "\(restore.stderr)")
            #expect(restore.stderr.contains("stop it first"), "\(restore.stderr)")
            #expect(!FileManager.default.fileExists(atPath: path + ".restoring"))

            // So does a second server on the same file, at once.
            let second = try await Self.run(["serve", "--port", String(DurabilityTests.Server.freePort())] + db, seconds: 60)
            #expect(!second.timedOut, "a second server started on the same SQLite file")
            #expect(second.status != 0)
            #expect(second.stderr.contains("a Cairn server (pid \(pid)) is using"), "\(second.stderr)")
            #expect(second.stderr.contains("run several on PostgreSQL"), "\(second.stderr)")

            // The first server is untouched: what it acknowledges now is still there after a restart.
            let reference = try #require(await DurabilityTests.submit(server.base, 1))
            server.terminate()
            #expect(server.process.terminationStatus == 0)
            let restarted = try DurabilityTests.Server(database: database.url)
            defer { if restarted.process.isRunning { restarted.kill() } }
            try await restarted.waitUntilHealthy()
            try await DurabilityTests.inspect(database.url) { services in
                let kept = try await Report.query(on: services.database.db).filter(\.$reference == reference).count()
                #expect(kept == 1)
            }
            restarted.terminate()

            // With no server running, restore works (and a killed server leaves no lock behind).
            let killed = try DurabilityTests.Server(database: database.url)
            try await killed.waitUntilHealthy()
            killed.kill()
            let restored = try await Self.run(["restore", backup, "--force"] + db)
            #expect(restored.status == 0, "\(restored.stderr)")
            try await DurabilityTests.inspect(database.url) { services in
                let kept = try await Report.query(on: services.database.db).filter(\.$reference == reference).count()
                #expect(kept == 0)
            }
        }
    }

    /// PostgreSQL is where several instances run: no lock, both serve.
    @Test func severalServersShareAPostgreSQLDatabase() async throws {
        guard TestDatabase.isPostgres else { return }
        try await DurabilityTests.withDatabase { database in
            let first = try DurabilityTests.Server(database: database.url)
            defer { if first.process.isRunning { first.kill() } }
            try await first.waitUntilHealthy()
            let second = try DurabilityTests.Server(database: database.url)
            defer { if second.process.isRunning { second.kill() } }
            try await second.waitUntilHealthy()
            #expect(await DurabilityTests.submit(first.base, 1) != nil)
            #expect(await DurabilityTests.submit(second.base, 2) != nil)
            first.terminate()
            second.terminate()
        }
    }

    @Test func theLockFileIsTheDatabasePathHoweverItIsWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let direct = folder.appendingPathComponent("cairn.sqlite").path
        let roundabout = folder.appendingPathComponent("sub/../cairn.sqlite").path
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        #expect(DatabaseLock.lockPath(for: .sqlite(path: direct)) == DatabaseLock.lockPath(for: .sqlite(path: roundabout)))
        #expect(DatabaseLock.lockPath(for: .postgres(url: "postgres://u@h/d")) == nil)
        // In one process too: a second lock on the same file is refused until the first goes.
        var first = try DatabaseLock.acquire(.sqlite(path: direct), for: .serve)
        let held = first != nil
        #expect(held)
        #expect(throws: DatabaseLock.Busy.self) { try DatabaseLock.acquire(.sqlite(path: roundabout), for: .restore) }
        first = nil
        #expect(try DatabaseLock.acquire(.sqlite(path: roundabout), for: .restore) != nil)
    }
}
