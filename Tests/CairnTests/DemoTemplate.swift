import FluentKit
import Foundation
import SQLKit

@testable import Cairn

/// The demo partnership, loaded once per test run into a template database that each test
/// with `demo: true` copies (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on
/// PostgreSQL). Loading the demo takes seconds; copying it takes milliseconds. A copy starts
/// like a restarted server on an existing database: the demo loader sees the accounts and
/// leaves it alone.
actor DemoTemplate {
    static let shared = DemoTemplate()

    enum Location: Sendable {
        case file(String)
        case database(String)
    }

    private var made: Task<Location, any Error>?

    func location() async throws -> Location {
        if let made { return try await made.value }
        let task = Task { try await Self.build() }
        made = task
        return try await task.value
    }

    private static func build() async throws -> Location {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let url: DatabaseURL
        let location: Location
        if let server = ProcessInfo.processInfo.environment["CAIRN_TEST_DATABASE_URL"], !server.isEmpty {
            // The name carries its making time, so a run drops only templates earlier runs left
            // (a run cannot drop its own at exit), never one another run is using now.
            let made = Int(Date().timeIntervalSince1970)
            let name = "cairn_tpl_\(made)_\(suffix)"
            let admin = try CairnDatabase(url: try DatabaseURL(parsing: server), poolSize: 1, logger: TestDatabase.logger)
            let old = try await admin.sql.raw("SELECT datname FROM pg_database WHERE datname LIKE 'cairn_tpl_%'").all()
            for row in old {
                guard let stale = try? row.decode(column: "datname", as: String.self) else { continue }
                let parts = stale.split(separator: "_")
                let age = parts.count == 4 ? Int(parts[2]).map { made - $0 } : nil
                if age.map({ $0 > 3 * 3600 }) ?? true {
                    try? await admin.sql.raw("DROP DATABASE IF EXISTS \(ident: stale) WITH (FORCE)").run()
                }
            }
            try await admin.sql.raw("CREATE DATABASE \(ident: name)").run()
            await admin.shutdown()
            guard var components = URLComponents(string: server) else { throw TemplateError.badURL }
            components.path = "/\(name)"
            guard let string = components.string else { throw TemplateError.badURL }
            url = try DatabaseURL(parsing: string)
            location = .database(name)
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-tests").appendingPathComponent("template-\(suffix)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("cairn.sqlite").path
            url = .sqlite(path: file)
            location = .file(file)
        }
        let services = try AppServices(config: testConfig(url, demo: true), logger: TestDatabase.logger)
        do {
            try await services.prepare(logger: TestDatabase.logger)
        } catch {
            await services.shutdown()
            throw error
        }
        await services.shutdown()
        return location
    }

    enum TemplateError: Error { case badURL, notAFile }

    /// A copy of the template's SQLite file (and its write-ahead log, if one was left).
    static func copy(_ template: Location, to file: String) throws {
        guard case .file(let source) = template else { throw TemplateError.notAFile }
        let manager = FileManager.default
        try manager.copyItem(atPath: source, toPath: file)
        if manager.fileExists(atPath: source + "-wal") {
            try manager.copyItem(atPath: source + "-wal", toPath: file + "-wal")
        }
    }

    /// A new PostgreSQL database copied from the template. PostgreSQL refuses while another
    /// session is connected to the template; none is after `build`, but a copy running at the
    /// same moment can hold it briefly, so this tries again.
    static func copy(_ template: Location, to name: String, on admin: CairnDatabase) async throws {
        guard case .database(let source) = template else { throw TemplateError.notAFile }
        var attempt = 0
        while true {
            do {
                try await admin.sql.raw("CREATE DATABASE \(ident: name) TEMPLATE \(ident: source)").run()
                return
            } catch {
                attempt += 1
                if attempt >= 20 { throw error }
                try await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }
}
