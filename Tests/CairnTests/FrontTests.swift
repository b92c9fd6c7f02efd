import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Cairn

/// Who the client is, who may read /metrics, HSTS, Secure cookies and redirect targets.
@Suite struct FrontTests {
    static let loopback = "127.0.0.1, ::1"

    /// A failed sign-in sent with these extra headers; returns the address the audit log recorded.
    func failedSignInAddress(_ client: any TestClientProtocol, _ built: BuiltApplication, headers extra: [(String, String)]) async throws -> String? {
        let browser = Browser(client)
        try await browser.get("/sign-in")
        var headers: HTTPFields = [.cookie: browser.cookieHeader, .contentType: "application/x-www-form-urlencoded"]
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let body = "email=nobody%40demo.invalid&password=wrong-password&_csrf=\(browser.csrf)"
        let response = try await client.execute(uri: "/sign-in", method: .post, headers: headers, body: ByteBuffer(string: body))
        #expect(response.status == .unauthorized)
        let db = built.services.database.db
        return try await AuditEntry.query(on: db).filter(\.$action == "auth.sign_in.failure").sort(\.$id, .descending).first()?.address
    }

    @Test func forwardedForIsNobodysWordUnlessThePeerIsATrustedProxy() async throws {
        try await withLiveApp { client, built in
            // No proxies configured: a client cannot pick its address.
            let plain = try await failedSignInAddress(client, built, headers: [("X-Forwarded-For", "198.51.100.4")])
            #expect(plain == "127.0.0.1" || plain == "::1")
            let forged = try await failedSignInAddress(client, built, headers: [("X-Forwarded-For", "127.0.0.1, 203.0.113.50")])
            #expect(forged == plain)
        }
        try await withLiveApp(configure: { $0.trustedProxies = trusted(Self.loopback) }) { client, built in
            // The proxy (the test client's loopback peer) appended 203.0.113.50; the client
            // wrote 127.0.0.1 itself and is not believed.
            let appended = try await failedSignInAddress(client, built, headers: [("X-Forwarded-For", "127.0.0.1, 203.0.113.50")])
            #expect(appended == "203.0.113.50")
            let mapped = try await failedSignInAddress(client, built, headers: [("X-Forwarded-For", "::ffff:198.51.100.7")])
            #expect(mapped == "198.51.100.7")
            // Proxies in a chain are skipped.
            let chain = try await failedSignInAddress(client, built, headers: [("X-Forwarded-For", "6.6.6.6, 198.51.100.9, ::1, 127.0.0.1")])
            #expect(chain == "198.51.100.9")
        }
    }

    @Test func metricsOpenToThisHostButNotToAForwardedRequest() async throws {
        try await withLiveApp { client, _ in
            let direct = try await client.execute(uri: "/metrics", method: .get)
            #expect(direct.status == .ok)
            #expect(direct.text.contains("cairn_database_up"))
            // A header can only close it.
            for (name, value) in [("X-Forwarded-For", "127.0.0.1"), ("Forwarded", "for=127.0.0.1"), ("X-Real-IP", "127.0.0.1")] {
                let forwarded = try await client.execute(uri: "/metrics", method: .get, headers: [HTTPField.Name(name)!: value])
                #expect(forwarded.status == .seeOther, "\(name)")
                #expect(forwarded.location?.hasPrefix("/sign-in") == true)
                #expect(!forwarded.text.contains("cairn_"))
            }
        }
        // Behind a proxy on this host, the proxy's connections are everybody's.
        try await withLiveApp(configure: { $0.trustedProxies = trusted(Self.loopback) }) { client, _ in
            for headers: HTTPFields in [[:], [HTTPField.Name("X-Forwarded-For")!: "127.0.0.1"], [HTTPField.Name("X-Forwarded-For")!: "::1"]] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                #expect(response.status == .seeOther)
                #expect(!response.text.contains("cairn_"))
            }
            // Administrators still may.
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            #expect(try await admin.get("/metrics").status == .ok)
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            #expect(try await analyst.get("/metrics").status == .forbidden)
        }
    }

    @Test func aMetricsTokenIsTheScrapersOnlyKey() async throws {
        let token = String(repeating: "k", count: 40)
        try await withLiveApp(configure: { $0.metricsToken = token }) { client, _ in
            let right = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(right.status == .ok)
            #expect(right.text.contains("cairn_database_up"))
            for wrong in ["Bearer \(token)x", "Bearer ", "Basic \(token)", token, "bearer \(String(repeating: "j", count: 40))"] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: wrong])
                #expect(response.status == .unauthorized, "\(wrong)")
                #expect(!response.text.contains("cairn_"))
            }
            // With a token configured, being on this host is not enough.
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .seeOther)
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            #expect(try await admin.get("/metrics").status == .ok)
        }
    }

    func waitForPort(_ built: BuiltApplication) async throws -> Int {
        for _ in 0..<2000 {
            if let port = built.metricsPort.value { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw AppError.notFound("metrics listener")
    }

    @Test func metricsOnAListenerOfItsOwn() async throws {
        try await withLiveApp(configure: { $0.metricsPort = 0 }) { client, built in
            let port = try await waitForPort(built)
            // The main listener no longer serves it, to anyone.
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            #expect(try await admin.get("/metrics").status == .notFound)
            try await TestClient.withClient(host: "127.0.0.1", port: port) { metrics in
                let response = try await metrics.get("/metrics")
                #expect(response.status == .ok)
                #expect((response.body.map { String(buffer: $0) } ?? "").contains("cairn_http_requests_total"))
                #expect(try await metrics.get("/health").status == .notFound)
                #expect(try await metrics.get("/reports").status == .notFound)
            }
        }
        let token = String(repeating: "t", count: 32)
        try await withLiveApp(configure: { $0.metricsPort = 0; $0.metricsToken = token }) { _, built in
            let port = try await waitForPort(built)
            try await TestClient.withClient(host: "127.0.0.1", port: port) { metrics in
                #expect(try await metrics.get("/metrics").status == .unauthorized)
                #expect(try await metrics.get("/metrics", headers: [.authorization: "Bearer nope"]).status == .unauthorized)
                let response = try await metrics.get("/metrics", headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .ok)
                #expect((response.body.map { String(buffer: $0) } ?? "").contains("cairn_database_up"))
            }
        }
    }

    @Test func metricsSettingsAreValidated() throws {
        let config = try AppConfig.load(environment: ["CAIRN_METRICS_TOKEN": String(repeating: "a", count: 32), "CAIRN_METRICS_PORT": "9100",
                                                      "CAIRN_HSTS_MAX_AGE": "600"])
        #expect(config.metricsToken?.count == 32)
        #expect(config.metricsPort == 9100)
        #expect(config.hstsMaxAge == 600)
        do {
            _ = try AppConfig.load(environment: ["CAIRN_METRICS_TOKEN": "short", "CAIRN_METRICS_PORT": "8080", "CAIRN_HSTS_MAX_AGE": "-1"])
            Issue.record("expected a configuration error")
        } catch let error as AppConfig.Invalid {
            #expect(error.problems.count == 3)
            #expect(error.description.contains("CAIRN_METRICS_TOKEN must be at least 32"))
            #expect(error.description.contains("same as the main port"))
            #expect(error.description.contains("CAIRN_HSTS_MAX_AGE"))
        }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(environment: ["CAIRN_METRICS_TOKEN": String(repeating: "a", count: 31) + " "]) }
    }

    @Test func hstsOnlyForRequestsThatCameOverTLS() async throws {
        let proto: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https"]
        let hsts = HTTPField.Name("Strict-Transport-Security")!
        try await withLiveApp(configure: { $0.trustedProxies = trusted(Self.loopback) }) { client, _ in
            let health = try await client.execute(uri: "/health", method: .get, headers: proto)
            #expect(health.headers[hsts] == "max-age=31536000")
            let page = try await client.execute(uri: "/sign-in", method: .get, headers: proto)
            #expect(page.headers[hsts] == "max-age=31536000")
            let plain = try await client.execute(uri: "/health", method: .get)
            #expect(plain.headers[hsts] == nil)
        }
        try await withLiveApp(configure: { $0.trustedProxies = trusted(Self.loopback); $0.hstsMaxAge = 600 }) { client, _ in
            let missing = try await client.execute(uri: "/no/such/page", method: .get, headers: proto)
            #expect(missing.headers[hsts] == "max-age=600")
        }
        try await withLiveApp(configure: { $0.trustedProxies = trusted(Self.loopback); $0.hstsMaxAge = 0 }) { client, _ in
            let health = try await client.execute(uri: "/health", method: .get, headers: proto)
            #expect(health.headers[hsts] == nil)
        }
        // From a peer that is not a proxy, the header is not believed.
        try await withLiveApp { client, _ in
            let health = try await client.execute(uri: "/health", method: .get, headers: proto)
            #expect(health.headers[hsts] == nil)
        }
    }

    /// Every Set-Cookie of a response, by cookie name.
    func cookies(_ response: TestResponse) -> [String: String] {
        Dictionary(response.headers[values: .setCookie].map { (String($0.split(separator: "=")[0]), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Sets the language, signs in, shows a flash and signs out, collecting every cookie set.
    func everyCookie(_ client: any TestClientProtocol, headers extra: HTTPFields) async throws -> [String: String] {
        var seen: [String: String] = [:]
        func send(_ path: String, _ method: HTTPRequest.Method, _ body: String? = nil, cookies: String) async throws -> TestResponse {
            var headers = extra
            headers[.cookie] = cookies
            if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
            let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            seen.merge(self.cookies(response)) { a, _ in a }
            return response
        }
        _ = try await send("/report?lang=sq", .get, cookies: "")
        let page = try await send("/sign-in", .get, cookies: "")
        let csrf = try #require(cookies(page)["cairn_csrf"]?.split(separator: ";")[0].split(separator: "=")[1])
        let signedIn = try await send("/sign-in", .post, "email=admin%40demo.invalid&password=demo-password&_csrf=\(csrf)", cookies: "cairn_csrf=\(csrf)")
        #expect(signedIn.status == .seeOther)
        let session = try #require(cookies(signedIn)["cairn_session"]?.split(separator: ";")[0].split(separator: "=")[1])
        let home = try await send("/", .get, cookies: "cairn_session=\(session)")
        let token = try #require(home.text.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression).map {
            String(home.text[$0].split(separator: "\"")[3])
        })
        _ = try await send("/sign-out", .post, "_csrf=\(token)", cookies: "cairn_session=\(session)")
        return seen
    }

    @Test func everyCookieIsSecureWhenTheSessionCookieIs() async throws {
        let names = ["cairn_lang", "cairn_csrf", "cairn_session", "cairn_flash"]
        try await withLiveApp(configure: { $0.trustedProxies = trusted(Self.loopback) }) { client, _ in
            let overTLS = try await everyCookie(client, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            for name in names {
                let cookie = try #require(overTLS[name], "\(name) was set")
                #expect(cookie.contains("; Secure"), "\(cookie)")
            }
            let plain = try await everyCookie(client, headers: [:])
            for name in names {
                let cookie = try #require(plain[name], "\(name) was set")
                #expect(!cookie.contains("Secure"), "\(cookie)")
            }
        }
        try await withApp(configure: { $0.secureCookies = .always }) { client, _ in
            let always = try await everyCookie(client, headers: [:])
            for name in names { #expect(always[name]?.contains("; Secure") == true, "\(name)") }
            #expect(always.values.allSatisfy { $0.components(separatedBy: "Secure").count == 2 }, "Secure once")
        }
    }

    @Test func nextAndBackAcceptOnlyAPathOnThisSite() async throws {
        for good in ["/", "/reports", "/reports?inbox=made&q=a%2Fb", "/cases/1#notes", "/a//b", "/a\\b", "/é"] {
            #expect(LocalRedirect.path(good) == good, "\(good)")
        }
        for bad in [nil, "", "reports", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1",
                    "/reports\t", "/\u{0}", "/\u{7f}", "/\u{85}x", "\\\\evil.example", "https://evil.example", " /reports",
                    "/" + String(repeating: "a", count: 3000)] {
            #expect(LocalRedirect.path(bad) == nil, "\(String(describing: bad).prefix(30))")
        }
        try await withApp { client, _ in
            for (next, expected) in [("/%09/evil.example", "/"), ("/%5Cevil.example", "/"), ("//evil.example", "/"), ("/reports?inbox=made", "/reports?inbox=made")] {
                let browser = Browser(client)
                let page = try await browser.get("/sign-in?next=\(next)")
                // A control character in the address is refused outright (`InputCheckMiddleware`).
                #expect(page.status == (next.contains("%09") ? .badRequest : .ok), "\(next)")
                if page.status != .ok { try await browser.get("/sign-in") }
                let response = try await browser.post("/sign-in", [("email", "admin@demo.invalid"), ("password", "demo-password"),
                                                                   ("next", next.removingPercentEncoding ?? next)])
                #expect(response.location == expected, "\(next)")
            }
        }
    }
}
