import FluentKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@testable import Cairn

/// A report acknowledged to the reporter survives the server being killed outright.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "needs the built cairn binary"))
struct DurabilityTests {
    /// A `cairn serve` process on a free port.
    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-durability-\(UUID().uuidString).log").path
        var base: URL { URL(string: "http://127.0.0.1:\(port)")! }

        init(database: DatabaseURL, logLevel: String = "error") throws {
            port = Self.freePort()
            process.executableURL = CLI.binary
            process.arguments = ["serve", "--port", String(port), "--database", database.raw]
            var env = ProcessInfo.processInfo.environment
            env["CAIRN_TESTING"] = "1"
            env["CAIRN_REPORT_RATE_LIMIT"] = "1000000"
            env["CAIRN_LOG_LEVEL"] = logLevel
            env["CAIRN_RESOURCES"] = repositoryRoot.appendingPathComponent("Sources/Cairn/Resources").path
            process.environment = env
            process.currentDirectoryURL = FileManager.default.temporaryDirectory
            process.standardOutput = FileHandle.nullDevice
            FileManager.default.createFile(atPath: logPath, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: logPath)
            try process.run()
        }

        /// A port the kernel has just handed out as free (a random pick collided with other
        /// servers on a busy machine).
        static func freePort() -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            return bound ? Int(UInt16(bigEndian: address.sin_port)) : Int.random(in: 20_000...45_000)
        }

        func waitUntilHealthy() async throws {
            // Start-up migrates a fresh database; allow for a machine busy with parallel tests.
            for _ in 0..<1200 {
                if let (_, response) = try? await URLSession.shared.data(from: base.appendingPathComponent("health")),
                   (response as? HTTPURLResponse)?.statusCode == 200 { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw AppError(.serviceUnavailable, "cairn serve did not become healthy on port \(port) (running: \(process.isRunning)): \(log.suffix(2000))")
        }

        func terminate() {
            Foundation.kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }

        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { try? FileManager.default.removeItem(atPath: logPath) }
    }

    /// Submits one report; the reference if the server acknowledged it with 201.
    static func submit(_ base: URL, _ n: Int, phone: String? = nil) async -> String? {
        var request = URLRequest(url: base.appendingPathComponent("api/v1/public/reports"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let phones = phone.map { #","phones":"\#($0)""# } ?? ""
        request.httpBody = Data(#"{"description":"Durability check \#(n): people sleeping at the back of the shop","language":"en","postcode":"WM1 4AB"\#(phones)}"#.utf8)
        request.timeoutInterval = 5
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              (response as? HTTPURLResponse)?.statusCode == 201,
              let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return body["reference"] as? String
    }

    /// A fresh test database for `body`, removed afterwards whatever happens.
    static func withDatabase(_ body: (TestDatabase) async throws -> Void) async throws {
        // Requests in flight when the server stops would otherwise end the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let database = try await TestDatabase.make()
        let result: Result<Void, any Error>
        do {
            try await body(database)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        await database.cleanup()
        try result.get()
    }

    /// 16 clients submit as fast as they can; once `count` reports are acknowledged, `stop`
    /// stops the server. The references acknowledged with 201.
    static func burst(_ server: Server, phone: String? = nil, until count: Int, then stop: @escaping @Sendable () -> Void) async throws -> [String] {
        let acknowledged = LockedList()
        let base = server.base
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<16 {
                group.addTask {
                    for i in 0..<400 {
                        guard let reference = await Self.submit(base, client * 1000 + i, phone: phone) else { return }
                        acknowledged.append(reference)
                    }
                }
            }
            group.addTask {
                while acknowledged.count < count { try await Task.sleep(for: .milliseconds(5)) }
                stop()
            }
            try await group.waitForAll()
        }
        return acknowledged.items
    }

    /// Opens the database the server used (one connection) for `body` to look at.
    static func inspect(_ url: DatabaseURL, _ body: (AppServices) async throws -> Void) async throws {
        var config = testConfig(url, demo: false)
        config.databasePoolSize = 1
        let services = try AppServices(config: config, logger: TestDatabase.logger)
        do {
            try await services.database.connect()
            try await body(services)
        } catch {
            await services.database.shutdown()
            throw error
        }
        await services.database.shutdown()
    }

    @Test func everyAcknowledgedReportSurvivesSIGKILL() async throws {
        try await Self.withDatabase { database in
            let server = try Server(database: database.url)
            defer { if server.process.isRunning { server.kill() } }
            try await server.waitUntilHealthy()

            // The server is killed mid-burst: some reports are committed but not linked yet.
            let references = try await Self.burst(server, phone: "07700 900456", until: 120) { server.kill() }
            #expect(references.count >= 120)
            #expect(!server.process.isRunning)
            #expect(server.process.terminationReason == .uncaughtSignal)

            // Restart on the same database: it recovers, and every acknowledged report is there.
            let restarted = try Server(database: database.url)
            defer { if restarted.process.isRunning { restarted.kill() } }
            try await restarted.waitUntilHealthy()
            try await Self.inspect(database.url) { services in
                let stored = Set(try await Report.query(on: services.database.db).all().map(\.reference))
                let missing = references.filter { !stored.contains($0) }
                #expect(missing.isEmpty, "\(missing.count) of \(references.count) acknowledged reports were lost")
                #expect(Set(references).count == references.count)
                let verification = try await services.audit.verify()
                #expect(verification.isIntact)
            }
            // It links every report the killed server left unlinked: all share the phone, so all
            // end in one network and the phone counts every one of them.
            var waiting = -1
            for _ in 0..<600 where waiting != 0 {
                try await Self.inspect(database.url) { services in waiting = try await LinkPendingRow.query(on: services.database.db).count() }
                if waiting != 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(waiting == 0, "reports left unlinked after the restart")
            try await Self.inspect(database.url) { services in
                let db = services.database.db
                let stored = try await Report.query(on: db).count()
                #expect(try await ReportNetwork.query(on: db).count() == stored)
                #expect(try await LinkKeyRow.find("phone|+447700900456", on: db)?.reports == stored)
                let logged = try await LinkLogRow.query(on: db).filter(\.$kind == LinkLogKind.report.rawValue).all().compactMap(\.subjectID)
                #expect(logged.count == stored && Set(logged).count == stored, "each report linked once")
            }
            // The restarted server takes new reports.
            #expect(await Self.submit(restarted.base, 99_999) != nil)
        }
    }

    /// SIGTERM during a burst: the server stops taking requests, finishes linking every report
    /// it stored, and only then closes the database and exits cleanly.
    @Test func sigtermFinishesLinkingBeforeClosingTheDatabase() async throws {
        try await Self.withDatabase { database in
            let server = try Server(database: database.url, logLevel: "warning")
            defer { if server.process.isRunning { server.kill() } }
            try await server.waitUntilHealthy()
            let acknowledged = try await Self.burst(server, phone: "07700 900123", until: 150) { server.terminate() }
            #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0, "\(server.log.suffix(3000))")
            #expect(!server.log.contains("runtime failure") && !server.log.contains("Fatal error"), "\(server.log.suffix(3000))")
            #expect(!server.log.contains("failed"), "nothing fails while shutting down: \(server.log.suffix(3000))")

            try await Self.inspect(database.url) { services in
                let stored = try await Report.query(on: services.database.db).count()
                #expect(stored >= acknowledged.count)
                // Every stored report was linked: all are in the one network and counted on the phone.
                #expect(try await ReportNetwork.query(on: services.database.db).count() == stored)
                #expect(try await LinkKeyRow.find("phone|+447700900123", on: services.database.db)?.reports == stored)
            }
        }
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.lock(); storage.append(item); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return storage.count }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}
