import CairnCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

@Suite struct OperationsTests {
    @Test func healthMetricsAndSecurityHeaders() async throws {
        try await withApp { client, built in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(String(buffer: health.body).contains(#""database":"ok""#))
            let page = try await client.execute(uri: "/sign-in", method: .get)
            let csp = page.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(csp.contains("script-src 'self'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] != nil)
            // Metrics: not for anonymous remote callers; for administrators.
            let anonymous = try await client.execute(uri: "/metrics", method: .get)
            #expect(anonymous.status == .seeOther)
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let metrics = try await admin.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains(#"cairn_http_requests_total{method="GET",route="/health",status="200"}"#))
            #expect(metrics.text.contains("cairn_http_request_duration_seconds_bucket"))
            #expect(metrics.text.contains("cairn_database_pool_max_connections"))
            #expect(metrics.text.contains("cairn_database_up"))
            // The demo's reports are all linked before the server answers.
            #expect(metrics.text.contains("cairn_linking_backlog_reports 0"))
            let css = try await client.execute(uri: "/assets/cairn.css", method: .get)
            #expect(css.status == .ok)
            let missing = try await client.execute(uri: "/no/such/page", method: .get)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("Not found"))
        }
    }

    @Test func oversizedFormIsRefusedWith413() async throws {
        try await withApp(configure: { $0.maxBodyBytes = 2048 }) { client, _ in
            let browser = Browser(client)
            try await browser.get("/sign-in")
            let response = try await browser.post("/sign-in", [("email", String(repeating: "a", count: 5000)), ("password", "x")])
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test func htmlIsEscaped() async throws {
        try await withApp { client, built in
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let created = try await admin.post("/admin/agencies", [("name", "<script>alert(1)</script>"), ("type", "ngo"), ("area", "\"><img src=x>")])
            #expect(created.status == .seeOther)
            let list = try await admin.get("/agencies")
            #expect(!list.text.contains("<script>alert(1)</script>"))
            #expect(list.text.contains("&lt;script&gt;"))
        }
    }
}

@Suite struct ConfigTests {
    @Test func everyProblemIsListedAtOnce() {
        do {
            _ = try AppConfig.load(flags: ["port": "eighty", "database": "mysql://x"], environment: ["CAIRN_SESSION_IDLE_MINUTES": "0", "CAIRN_SECURE_COOKIES": "sometimes"])
            Issue.record("expected a configuration error")
        } catch let error as AppConfig.Invalid {
            #expect(error.problems.count == 4)
            #expect(error.description.contains("--port"))
            #expect(error.description.contains("mysql"))
            #expect(error.description.contains("CAIRN_SESSION_IDLE_MINUTES"))
            #expect(error.description.contains("CAIRN_SECURE_COOKIES"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func flagsBeatEnvironmentBeatDotEnv() throws {
        let config = try AppConfig.load(flags: ["port": "9001"], environment: ["CAIRN_PORT": "9002", "CAIRN_HOST": "0.0.0.0"],
                                        dotEnv: ["CAIRN_PORT": "9003", "CAIRN_HOST": "10.0.0.1", "CAIRN_DATABASE_URL": "sqlite://other.sqlite"])
        #expect(config.port == 9001)
        #expect(config.host == "0.0.0.0")
        #expect(config.database == .sqlite(path: "other.sqlite"))
    }

    @Test func databaseURLs() throws {
        #expect(try DatabaseURL(parsing: "sqlite://data/cairn.sqlite") == .sqlite(path: "data/cairn.sqlite"))
        #expect(try DatabaseURL(parsing: "postgres://u:secret@db:5432/cairn").isSQLite == false)
        #expect(try DatabaseURL(parsing: "postgres://u:secret@db:5432/cairn").description.contains("secret") == false)
        for bad in ["", "sqlite://", "postgres://db:5432/cairn", "postgres://u@db:5432/", "http://example.org"] {
            #expect(throws: DatabaseURL.Invalid.self) { try DatabaseURL(parsing: bad) }
        }
    }

    @Test func dotEnvParsing() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-\(UUID().uuidString).env")
        try "# comment\nCAIRN_PORT=8181\nexport CAIRN_HOST=\"0.0.0.0\"\n\nbroken line\n".write(to: file, atomically: true, encoding: .utf8)
        let values = AppConfig.readDotEnv(at: file.path)
        #expect(values == ["CAIRN_PORT": "8181", "CAIRN_HOST": "0.0.0.0"])
        try? FileManager.default.removeItem(at: file)
    }

    @Test func responseDeadlinesAndRoutingRulesAreConfigurable() throws {
        let config = try AppConfig.load(environment: ["CAIRN_RESPONSE_DEADLINES": "emergency=2h, low=10wd", "CAIRN_REPORT_RATE_LIMIT": "3"])
        #expect(config.responseDeadlines.emergency == .hours(2))
        #expect(config.responseDeadlines.low == .workingDays(10))
        #expect(config.responseDeadlines.high == .hours(24))
        #expect(config.reportRateLimit == 3)
        do {
            _ = try AppConfig.load(environment: ["CAIRN_RESPONSE_DEADLINES": "urgent=1h,high=soon,medium=5y", "CAIRN_REPORT_RATE_LIMIT": "0"])
            Issue.record("expected a configuration error")
        } catch let error as AppConfig.Invalid {
            #expect(error.problems.count == 4)
            #expect(error.description.contains("urgent=1h"))
        }

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("routing-\(UUID().uuidString).json")
        try #"{"defaultDestination":"support_charity","rules":[{"id":"child","description":"Children to children's services.","conditions":{"child":true},"destination":"childrens_services"}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let routed = try AppConfig.load(environment: ["CAIRN_ROUTING_FILE": file.path])
        #expect(routed.routing.rules.map(\.id) == ["child"])
        #expect(routed.routing.defaultDestination == .supportCharity)
        try #"{"defaultDestination":"fire_brigade","rules":[]}"#.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(environment: ["CAIRN_ROUTING_FILE": file.path]) }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(environment: ["CAIRN_ROUTING_FILE": "/no/such/file.json"]) }
        try? FileManager.default.removeItem(at: file)
    }
}
