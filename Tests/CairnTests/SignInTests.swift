import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdOTP
import HummingbirdTesting
import Testing

@testable import Cairn

@Suite struct SignInTests {
    @Test func signInRotatesTheSessionAndSetsSafeCookies() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            let page = try await browser.get("/sign-in")
            #expect(page.text.contains("demo-password"), "demo mode is announced on the sign-in page")
            browser.cookies["cairn_session"] = "planted-by-an-attacker"
            let response = try await browser.signIn("admin@demo.invalid")
            #expect(response.status == .seeOther)
            #expect(response.location == "/")
            let setCookie = response.headers[values: .setCookie].first { $0.hasPrefix("cairn_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            #expect(browser.cookies["cairn_session"] != "planted-by-an-attacker")
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("Welcome, Alex Admin"))
            let entries = try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "auth.sign_in.success").count()
            #expect(entries == 1)
        }
    }

    @Test func secureCookieBehindTLSProxy() async throws {
        try await withLiveApp(configure: { $0.trustedProxies = trusted("127.0.0.1, ::1") }) { client, _ in
            let browser = Browser(client)
            try await browser.get("/sign-in")
            var headers: HTTPFields = [.cookie: browser.cookieHeader, .contentType: "application/x-www-form-urlencoded"]
            headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let body = "email=admin%40demo.invalid&password=demo-password&_csrf=\(browser.csrf)"
            let response = try await client.execute(uri: "/sign-in", method: .post, headers: headers, body: .init(string: body))
            let setCookie = response.headers[values: .setCookie].first { $0.hasPrefix("cairn_session=") } ?? ""
            #expect(setCookie.contains("Secure"))
        }
    }

    @Test func wrongPasswordIsRefusedAuditedAndLocksAfterRepeatedFailures() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            for attempt in 1...5 {
                let response = try await browser.signIn("viewer@demo.invalid", password: "wrong-password-\(attempt)")
                // The lock that the fifth brings looks like any failure: nobody learns an account exists.
                #expect(response.status == .unauthorized)
                #expect(response.text.contains("There is a problem"))
                #expect(response.text.contains("The email address or password is not right."))
            }
            // Locked: even the right password is refused for now.
            let locked = try await browser.signIn("viewer@demo.invalid")
            #expect(locked.status == .unauthorized)
            #expect(locked.text.contains("The email address or password is not right."))
            #expect(browser.cookies["cairn_session"] == nil)
            let db = built.services.database.db
            // The audit log records the truth.
            let failures = try await AuditEntry.query(on: db).filter(\.$action == "auth.sign_in.failure").sort(\.$id).all()
            #expect(failures.count == 5)
            #expect(failures.last?.detail == "failed attempts: 5; locked for 15 minutes")
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "auth.sign_in.locked").count() == 1)
            // An administrator's password reset unlocks the account.
            let viewer = try #require(try await built.services.accounts.user(email: "viewer@demo.invalid"))
            let temporary = try await built.services.accounts.resetPassword(id: viewer.id!, actor: .system, address: "test")
            let again = try await Browser(client).signIn("viewer@demo.invalid", password: temporary)
            #expect(again.location == "/account/password")
        }
    }

    @Test func unknownEmailGetsTheSameAnswerAsAWrongPassword() async throws {
        try await withApp { client, _ in
            let unknown = try await Browser(client).signIn("nobody@demo.invalid", password: "whatever-password")
            let wrong = try await Browser(client).signIn("admin@demo.invalid", password: "whatever-password")
            #expect(unknown.status == wrong.status)
            #expect(unknown.text.contains("The email address or password is not right"))
            #expect(wrong.text.contains("The email address or password is not right"))
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefusedAndChangeNothing() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("admin@demo.invalid")
            let before = try await Agency.query(on: built.services.database.db).count()
            let fields = [("name", "Forged Agency"), ("type", "ngo"), ("area", "Anywhere")]
            let missing = try await browser.post("/admin/agencies", fields, csrf: "")
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("Form expired"))
            let wrong = try await browser.post("/admin/agencies", fields, csrf: "not-the-token-at-all-0123456789")
            #expect(wrong.status == .forbidden)
            #expect(try await Agency.query(on: built.services.database.db).count() == before)
            // The anonymous sign-in form is protected too.
            let anonymous = Browser(client)
            try await anonymous.get("/sign-in")
            let forged = try await anonymous.post("/sign-in", [("email", "admin@demo.invalid"), ("password", "demo-password")], csrf: "forged-token-forged-token-0000")
            #expect(forged.status == .forbidden)
            // With the right token the same form works.
            let ok = try await browser.post("/admin/agencies", fields)
            #expect(ok.status == .seeOther)
            #expect(try await Agency.query(on: built.services.database.db).count() == before + 1)
        }
    }

    @Test func idleAndAbsoluteTimeoutsEndTheSession() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            #expect(try await browser.get("/").status == .ok)
            let db = built.services.database.db
            let session = try #require(try await SessionRecord.query(on: db).first())
            session.lastSeenAt = Date().addingTimeInterval(-31 * 60)
            try await session.save(on: db)
            let idle = try await browser.get("/")
            #expect(idle.status == .seeOther)
            #expect(idle.location?.hasPrefix("/sign-in") == true)
            #expect(try await SessionRecord.query(on: db).count() == 0)

            try await browser.signIn("analyst@demo.invalid")
            let second = try #require(try await SessionRecord.query(on: db).first())
            second.expiresAt = Date().addingTimeInterval(-1)
            try await second.save(on: db)
            #expect(try await browser.get("/").status == .seeOther)
        }
    }

    @Test func signOutAndSignOutEverywhere() async throws {
        try await withApp { client, built in
            let first = Browser(client), second = Browser(client)
            try await first.signIn("trainer@demo.invalid")
            try await second.signIn("trainer@demo.invalid")
            #expect(try await second.get("/").status == .ok)
            let everywhere = try await first.post("/account/sign-out-everywhere")
            #expect(everywhere.location == "/sign-in")
            #expect(try await first.get("/").status == .seeOther)
            #expect(try await second.get("/").status == .seeOther)
            try await first.signIn("trainer@demo.invalid")
            let out = try await first.post("/sign-out")
            #expect(out.status == .seeOther)
            #expect(try await first.get("/").status == .seeOther)
            #expect(try await SessionRecord.query(on: built.services.database.db).count() == 0)
        }
    }

    @Test func twoFactorSetUpThenRequiredAtSignIn() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            let setup = try await browser.get("/account/two-factor")
            #expect(setup.text.contains("totp-secret"))
            let pending = try #require(try await SessionRecord.query(on: db).first()?.pendingTOTPSecret)
            // The page shows the same secret, base32-encoded, as authenticator apps expect.
            #expect(setup.text.contains(AuthService.displaySecret(pending)))
            let wrong = try await browser.post("/account/two-factor", [("code", "000000")])
            #expect(wrong.status == .unprocessableContent)
            let now = Date()
            let ok = try await browser.post("/account/two-factor", [("code", code(pending, now))])
            // The answer shows the recovery codes, once, and carries the rotated session.
            #expect(ok.status == .ok)
            #expect(ok.text.contains("save your recovery codes"))
            #expect(try await built.services.accounts.user(email: "trainer@demo.invalid")?.hasTwoFactor == true)
            // The session was rotated: load the next page, as a browser would, before using its forms.
            try await browser.get("/account")
            #expect(try await browser.post("/sign-out").location == "/sign-in")

            let password = try await browser.signIn("trainer@demo.invalid")
            #expect(password.location == "/sign-in/two-factor")
            // Part-signed-in: no page beyond the code is reachable.
            let blocked = try await browser.get("/admin/users")
            #expect(blocked.location == "/sign-in/two-factor")
            let home = try await browser.get("/")
            #expect(home.location == "/sign-in/two-factor")
            // The code already used at set-up cannot be replayed.
            let replay = try await browser.post("/sign-in/two-factor", [("code", code(pending, now))])
            #expect(replay.status == .unauthorized)
            let next = try await browser.post("/sign-in/two-factor", [("code", code(pending, now.addingTimeInterval(30)))])
            #expect(next.status == .seeOther)
            #expect(next.location == "/")
            #expect(try await browser.get("/").status == .ok)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "auth.two_factor.failure").count() == 1)
        }
    }

    @Test func administratorCanRequireTwoFactorForARole() async throws {
        try await withApp { client, built in
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let saved = try await admin.post("/admin/security", [("twoFactorRoles", "analyst")])
            #expect(saved.status == .seeOther)
            #expect(try await built.services.auth.twoFactorRequired(for: [.analyst]))
            #expect(try await !built.services.auth.twoFactorRequired(for: [.viewer]))
            let analyst = Browser(client)
            let response = try await analyst.signIn("analyst@demo.invalid")
            #expect(response.location == "/account/two-factor")
            #expect(try await analyst.get("/agencies").location == "/account/two-factor")
            let bad = try await admin.post("/admin/security", [("twoFactorRoles", "emperor")])
            #expect(bad.status == .badRequest)
        }
    }

    @Test func temporaryPasswordMustBeChangedFirst() async throws {
        try await withApp { client, built in
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let agency = try #require(try await built.services.accounts.agencies().first)
            let created = try await admin.post("/admin/users", [
                ("email", "New.Person@Demo.Invalid"), ("displayName", "New Person"), ("agencyId", agency.id!.uuidString),
                ("roles", "analyst"), ("roles", "viewer"), ("password", ""),
            ])
            #expect(created.status == .created)
            let temporary = try #require(created.text.firstMatch(of: /id="temporary-password">([^<]+)</)?.1).description
            let user = try #require(try await built.services.accounts.user(email: "new.person@demo.invalid"))
            #expect(user.roles == [.analyst, .viewer])
            let person = Browser(client)
            let signIn = try await person.signIn("new.person@demo.invalid", password: temporary)
            #expect(signIn.location == "/account/password")
            #expect(try await person.get("/").location == "/account/password")
            let weak = try await person.post("/account/password", [("password", "short"), ("confirm", "short")])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains("at least 12 characters"))
            let changed = try await person.post("/account/password", [("password", "a much longer passphrase"), ("confirm", "a much longer passphrase")])
            #expect(changed.status == .seeOther)
            #expect(changed.location == "/", "finishing a forced change carries on to home")
            #expect(try await person.get("/").status == .ok)
        }
    }
}

func code(_ secret: String, _ date: Date) -> String {
    String(format: "%06d", TOTP(secret: secret).compute(date: date))
}
