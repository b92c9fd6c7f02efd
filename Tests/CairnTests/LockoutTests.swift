import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Cairn

/// The account lockout under concurrency, the same answer for every kind of failed sign-in,
/// and password hashing that cannot hold up the rest of the server.
@Suite struct LockoutTests {
    /// Browsers that have each loaded the sign-in form (and so hold a form token).
    static func browsers(_ count: Int, _ client: any TestClientProtocol) async throws -> [Browser] {
        var browsers: [Browser] = []
        for _ in 0..<count {
            let browser = Browser(client)
            try await browser.get("/sign-in")
            browsers.append(browser)
        }
        return browsers
    }

    static func post(_ browsers: [Browser], email: String, password: @escaping @Sendable (Int) -> String) async throws -> [TestResponse] {
        try await withThrowingTaskGroup(of: TestResponse.self) { group in
            for (n, browser) in browsers.enumerated() {
                group.addTask { try await browser.post("/sign-in", [("email", email), ("password", password(n)), ("next", "/")]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func twentyWrongPasswordsAtOnceLockTheAccountAndTheRightOneIsThenRefused() async throws {
        // Room in the hashing queue for all twenty, so none is turned away before the lockout decides.
        try await withApp(configure: { $0.hashingQueue = 32 }) { client, built in
            let responses = try await Self.post(try await Self.browsers(20, client), email: "viewer@demo.invalid") { "wrong-password-\($0)" }
            #expect(responses.allSatisfy { $0.status == .unauthorized })
            let db = built.services.database.db
            // Only as many were checked as the threshold allows; the rest found the account locked.
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "auth.sign_in.failure").count() == 5)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "auth.sign_in.locked").count() == 15)
            let viewer = try #require(try await built.services.accounts.user(email: "viewer@demo.invalid"))
            #expect(try #require(viewer.lockedUntil) > Date())

            let right = try await Browser(client).signIn("viewer@demo.invalid")
            #expect(right.status == .unauthorized)
            #expect(right.location == nil)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "auth.sign_in.locked").count() == 16)
            #expect(try await SessionRecord.query(on: db).count() == 0)
        }
    }

    @Test func aRightPasswordCheckedWhileTheAccountLocksDoesNotSignIn() async throws {
        try await withServices(demo: true) { services, _ in
            let lockout = services.auth.lockout
            let viewer = try #require(try await services.accounts.user(email: "viewer@demo.invalid")?.id)
            // The right password's attempt is counted first; four wrong ones follow while it is checked.
            #expect(try await lockout.begin(viewer) == .counted(1))
            for n in 2...5 { #expect(try await lockout.begin(viewer) == .counted(n)) }
            #expect(try await lockout.begin(viewer) == .locked(justNow: true), "more at once than the threshold locks")
            #expect(try await lockout.failed(viewer) == false, "already locked")
            #expect(try await lockout.succeeded(viewer) == false)
            // The lock ends on time, with the count cleared.
            let later = Date().addingTimeInterval(16 * 60)
            #expect(try await lockout.begin(viewer, now: later) == .counted(1))
            #expect(try await lockout.succeeded(viewer, now: later))
        }
    }

    @Test func unknownWrongAndLockedAccountsGetTheSameAnswer() async throws {
        try await withApp { client, _ in
            for n in 1...5 { try await Browser(client).signIn("viewer@demo.invalid", password: "wrong-password-\(n)") }
            let cases = [("nobody@demo.invalid", "whatever-password"), ("admin@demo.invalid", "whatever-password"),
                         ("viewer@demo.invalid", "whatever-password"), ("viewer@demo.invalid", DemoPartnership.password)]
            var pages: [String] = []
            for (email, password) in cases {
                let browser = Browser(client)
                try await browser.get("/sign-in")
                let token = browser.csrf
                let response = try await browser.post("/sign-in", [("email", email), ("password", password), ("next", "/")])
                #expect(response.status == .unauthorized)
                #expect(response.headers[.retryAfter] == nil)
                #expect(response.text.contains("The email address or password is not right."))
                // Apart from the address typed in and the form token, the pages are identical.
                pages.append(response.text.replacingOccurrences(of: #"value="\#(email)""#, with: "EMAIL").replacingOccurrences(of: token, with: "TOKEN")
                    .replacingOccurrences(of: browser.csrf, with: "TOKEN"))
            }
            #expect(Set(pages).count == 1)
        }
    }

    @Test func theDecoyHashUsesTheConfiguredCost() async throws {
        for cost in [5, 6] {
            try await withServices(configure: { $0.bcryptCost = cost }) { services, _ in
                let decoy = try await services.auth.hasher.decoyHash()
                #expect(decoy.hasPrefix("$2b$0\(cost)$"))
                #expect(try await services.auth.hashPassword("a real password here").hasPrefix("$2b$0\(cost)$"))
                #expect(try await services.auth.hasher.decoyHash() == decoy, "made once")
            }
        }
    }

    @Test func twoFactorCodesCountTowardsTheLockout() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            try await browser.get("/account/two-factor")
            let secret = try #require(try await SessionRecord.query(on: db).first()?.pendingTOTPSecret)
            let now = Date()
            let setUp = try await browser.post("/account/two-factor", [("code", code(secret, now))])
            #expect(setUp.status == .ok)
            try await browser.get("/account")
            try await browser.post("/sign-out")
            #expect(try await browser.signIn("trainer@demo.invalid").location == "/sign-in/two-factor")
            // Twenty wrong codes at once on the part-signed-in session (none of them a code of the
            // minutes around now).
            let valid = Set((-4...4).map { code(secret, Date().addingTimeInterval(Double($0) * 30)) })
            let wrong = (0..<100).map { String(format: "%06d", ($0 * 7919 + 13) % 1_000_000) }.filter { !valid.contains($0) }.prefix(20)
            let cookie = browser.cookieHeader, token = browser.csrf
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for guess in wrong {
                    group.addTask {
                        let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
                        return try await client.execute(uri: "/sign-in/two-factor", method: .post, headers: headers,
                                                        body: .init(string: "code=\(guess)&_csrf=\(token)"))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Refused, or (once the lock has ended the session) sent back to sign in.
            #expect(answers.allSatisfy { $0.status == .unauthorized || $0.location == "/sign-in" })
            let trainer = try #require(try await built.services.accounts.user(email: "trainer@demo.invalid"))
            #expect(try #require(trainer.lockedUntil) > Date())
            let failures = try await AuditEntry.query(on: db).filter(\.$action == "auth.two_factor.failure").all()
            #expect(failures.filter { $0.detail.hasPrefix("wrong two-factor code") }.count == 5)
            #expect(failures.contains { $0.detail.contains("locked for 15 minutes") })
            // The part-signed-in session is gone, and the right password is refused while locked.
            #expect(try await SessionRecord.query(on: db).filter(\.$user.$id == trainer.id!).count() == 0)
            let again = try await Browser(client).signIn("trainer@demo.invalid")
            #expect(again.status == .unauthorized)
        }
    }

    @Test func aSignInFloodGets429WhileOtherRoutesKeepAnswering() async throws {
        try await withApp(configure: { $0.hashingThreads = 1; $0.hashingQueue = 1 }) { client, built in
            let hasher = built.services.auth.hasher
            let release = DispatchSemaphore(value: 0)
            // Two checks hold the pool: one running, one waiting.
            let held = (0..<2).map { _ in Task { try await hasher.run(bounded: true) { release.wait() } } }
            while hasher.admitted < 2 { try await Task.sleep(for: .milliseconds(10)) }

            let browser = Browser(client)
            try await browser.get("/sign-in")
            let refused = try await browser.post("/sign-in", [("email", "admin@demo.invalid"), ("password", DemoPartnership.password), ("next", "/")])
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(refused.text.contains("Many people are signing in right now"))
            #expect(refused.text.contains(#"<a href="/sign-in">try again</a>"#))
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await Browser(client).get("/report").status == .ok)
            let db = built.services.database.db
            let admin = try #require(try await built.services.accounts.user(email: "admin@demo.invalid"))
            #expect(admin.failedSignIns == 0, "an attempt that was never checked does not count")
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "auth.sign_in.failure").count() == 0)

            for _ in 0..<2 { release.signal() }
            for task in held { _ = try await task.value }
            let signedIn = try await browser.signIn("admin@demo.invalid")
            #expect(signedIn.status == .seeOther)
        }
    }
}
