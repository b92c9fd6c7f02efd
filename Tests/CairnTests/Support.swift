import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing

@testable import Cairn

/// A fresh database for one test: a SQLite file in a temporary folder, or — when
/// `CAIRN_TEST_DATABASE_URL` names a PostgreSQL server — a new database on that server.
struct TestDatabase {
    let url: DatabaseURL
    let cleanup: @Sendable () async -> Void

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// A fresh database; with `demo`, a copy of the demo partnership loaded once for the whole
    /// run (`DemoTemplate`) instead of loading it again for each test.
    static func make(demo: Bool = false) async throws -> TestDatabase {
        let name = "cairn_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let template = demo ? try await DemoTemplate.shared.location() : nil
        if let server = ProcessInfo.processInfo.environment["CAIRN_TEST_DATABASE_URL"], !server.isEmpty {
            let admin = try CairnDatabase(url: try DatabaseURL(parsing: server), poolSize: 1, logger: logger)
            if let template {
                try await DemoTemplate.copy(template, to: String(name), on: admin)
            } else {
                try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
            }
            await admin.shutdown()
            var components = URLComponents(string: server)!
            components.path = "/\(name)"
            let url = try DatabaseURL(parsing: components.string!)
            return TestDatabase(url: url) {
                guard let admin = try? CairnDatabase(url: try DatabaseURL(parsing: server), poolSize: 1, logger: logger) else { return }
                try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
                await admin.shutdown()
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-tests").appendingPathComponent(String(name))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("cairn.sqlite").path
        if let template { try DemoTemplate.copy(template, to: file) }
        return TestDatabase(url: .sqlite(path: file)) {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static var isPostgres: Bool { !(ProcessInfo.processInfo.environment["CAIRN_TEST_DATABASE_URL"] ?? "").isEmpty }
}

func testConfig(_ url: DatabaseURL, demo: Bool = true) -> AppConfig {
    var config = AppConfig()
    config.database = url
    config.demo = demo
    config.bcryptCost = 4
    config.databasePoolSize = 2
    return config
}

/// Builds the real application on a fresh database and runs `body` against it.
func withApp(
    demo: Bool = true, configure: (inout AppConfig) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, BuiltApplication) async throws -> Void
) async throws {
    try await withServices(demo: demo, configure: configure) { services, _ in
        let (app, built) = try await buildApplication(services: services, logger: TestDatabase.logger)
        try await app.test(.router) { client in try await body(client, built) }
    }
}

/// Services on a fresh migrated database, without HTTP; the database is closed and removed
/// afterwards whether `body` succeeds or not.
func withServices(
    demo: Bool = false, configure: (inout AppConfig) -> Void = { _ in },
    _ body: (AppServices, TestDatabase) async throws -> Void
) async throws {
    let database = try await TestDatabase.make(demo: demo)
    var config = testConfig(database.url, demo: demo)
    configure(&config)
    let services = try AppServices(config: config, logger: TestDatabase.logger)
    let result: Result<Void, any Error>
    do {
        try await services.prepare(logger: TestDatabase.logger)
        try await body(services, database)
        result = .success(())
    } catch {
        result = .failure(error)
    }
    await services.shutdown()
    await database.cleanup()
    try result.get()
}

/// A cookie-keeping client, like a browser, for the HTML pages.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    @discardableResult
    func get(_ path: String) async throws -> TestResponse {
        try await send(path, method: .get, body: nil)
    }

    /// Posts a form, adding the page's CSRF token unless `csrf` is given explicitly.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)] = [], csrf: String? = nil) async throws -> TestResponse {
        var all = fields
        all.append(("_csrf", csrf ?? self.csrf))
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(path, method: .post, body: body, contentType: "application/x-www-form-urlencoded")
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    func send(_ path: String, method: HTTPRequest.Method, body: String?, contentType: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), v = pair.count > 1 ? String(pair[1]) : ""
            if v.isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = v }
        }
        let text = String(buffer: response.body)
        if let range = text.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) {
            csrf = String(text[range]).components(separatedBy: "value=\"")[1].dropLast().description
        }
        return response
    }

    /// Signs in through the real form and returns the response of the POST.
    @discardableResult
    func signIn(_ email: String, password: String = DemoPartnership.password) async throws -> TestResponse {
        try await get("/sign-in")
        let response = try await post("/sign-in", [("email", email), ("password", password), ("next", "/")])
        // Like a browser, follow the redirect, which also picks up the new session's form token.
        if let location = response.location { try await get(location) }
        return response
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
}

/// Sends JSON to the API with a bearer token.
func api(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil, rawBody: [UInt8]? = nil) async throws -> TestResponse {
    var headers: HTTPFields = [:]
    if let token { headers[.authorization] = "Bearer \(token)" }
    if json != nil || rawBody != nil { headers[.contentType] = "application/json" }
    let body = rawBody.map { ByteBuffer(bytes: $0) } ?? json.map { ByteBuffer(string: $0) }
    return try await client.execute(uri: path, method: method, headers: headers, body: body)
}

func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
}

func token(for email: String, _ built: BuiltApplication) async throws -> String {
    let services = built.services
    guard let user = try await services.accounts.user(email: email) else { throw AppError.notFound("user") }
    return try await services.auth.createAPIToken(for: user, name: "test", actor: .system, address: "test")
}

/// The repository root, for tests that run the built `cairn` binary.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
