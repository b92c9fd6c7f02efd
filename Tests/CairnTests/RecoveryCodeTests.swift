import FluentKit
import Foundation
import Testing

@testable import Cairn

/// Two-factor recovery codes: ten, shown once, stored hashed, each usable once, regenerable,
/// every use and regeneration audited; and the set-up page's QR code.
@Suite struct RecoveryCodeTests {
    /// Signs `email` in, sets up two-factor, and returns the secret and the codes shown.
    func setUp(_ browser: Browser, _ email: String, db: any Database) async throws -> (secret: String, codes: [String]) {
        try await browser.signIn(email)
        let page = try await browser.get("/account/two-factor")
        // The QR code is drawn on the server as an inline SVG, with no inline style.
        #expect(page.text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"totp-qr\""))
        #expect(!page.text.contains("style="))
        let secret = try #require(try await SessionRecord.query(on: db).filter(\.$pendingTOTPSecret != nil).first()?.pendingTOTPSecret)
        let done = try await browser.post("/account/two-factor", [("code", code(secret, Date()))])
        #expect(done.status == .ok)
        #expect(done.headers[.cacheControl] == "no-store")
        let codes = Self.codes(in: done.text)
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        try await browser.get("/account")
        return (secret, codes)
    }

    static func codes(in html: String) -> [String] {
        html.matches(of: /<li><code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code><\/li>/).map { String($0.output.1) }
    }

    /// Signs out and back in with the password, arriving at the two-factor step.
    func toCodeStep(_ browser: Browser, _ email: String) async throws {
        try await browser.post("/sign-out")
        #expect(try await browser.signIn(email).location == "/sign-in/two-factor")
    }

    @Test func aRecoveryCodeWorksOnceAndIsStoredOnlyAsAHash() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let browser = Browser(client)
            let (_, codes) = try await setUp(browser, "trainer@demo.invalid", db: db)
            let stored = try await RecoveryCode.query(on: db).all()
            #expect(stored.count == 10)
            #expect(stored.allSatisfy { row in !codes.contains { row.codeHash.contains($0.replacingOccurrences(of: "-", with: "")) } && row.codeHash.count == 64 })
            #expect(try await browser.get("/account").text.contains("You have 10 of 10 recovery codes left"))

            try await toCodeStep(browser, "trainer@demo.invalid")
            // Typed loosely: lower case, spaces instead of dashes.
            let typed = codes[3].lowercased().replacingOccurrences(of: "-", with: " ")
            let used = try await browser.post("/sign-in/two-factor", [("recoveryCode", typed)])
            #expect(used.status == .seeOther)
            #expect(used.location == "/")
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("you have 9 recovery codes left"))
            #expect(try await browser.get("/account").text.contains("You have 9 of 10 recovery codes left"))

            // The same code a second time is refused, and counts as a failure.
            try await toCodeStep(browser, "trainer@demo.invalid")
            let again = try await browser.post("/sign-in/two-factor", [("recoveryCode", codes[3])])
            #expect(again.status == .unauthorized)
            #expect(again.text.contains("not right, or has already been used"))
            #expect(try await browser.get("/").location == "/sign-in/two-factor")
            // Not a code at all: a clear message, nothing spent.
            let junk = try await browser.post("/sign-in/two-factor", [("recoveryCode", "hello")])
            #expect(junk.status == .unprocessableContent)
            #expect(junk.text.contains("12 letters and numbers"))
            #expect(try await built.services.auth.recoveryCodesRemaining(userID: try #require(try await built.services.accounts.user(email: "trainer@demo.invalid")?.id)) == 9)
            // Another code still works.
            #expect(try await browser.post("/sign-in/two-factor", [("recoveryCode", codes[0])]).location == "/")

            let actions = try await AuditEntry.query(on: db).filter(\.$actor == "trainer@demo.invalid").sort(\.$id).all().map(\.action)
            #expect(actions.filter { $0 == "auth.recovery_code.used" }.count == 2)
            #expect(actions.filter { $0 == "account.recovery_codes.generated" }.count == 1)
            let uses = try await AuditEntry.query(on: db).filter(\.$action == "auth.recovery_code.used").sort(\.$id).all().map(\.detail)
            #expect(uses == ["remaining: 9", "remaining: 8"])
            #expect(try await AuditEntry.query(on: db).filter(\.$detail == "wrong recovery code (attempt 1)").count() == 1)
        }
    }

    @Test func regeneratingInvalidatesTheOldCodes() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let browser = Browser(client)
            let (_, old) = try await setUp(browser, "trainer@demo.invalid", db: db)
            let regenerated = try await browser.post("/account/recovery-codes")
            #expect(regenerated.status == .ok)
            let fresh = Self.codes(in: regenerated.text)
            #expect(fresh.count == 10)
            #expect(Set(fresh).isDisjoint(with: old))
            #expect(regenerated.text.contains("Your earlier codes no longer work"))
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "account.recovery_codes.generated").count() == 2)

            try await toCodeStep(browser, "trainer@demo.invalid")
            #expect(try await browser.post("/sign-in/two-factor", [("recoveryCode", old[0])]).status == .unauthorized)
            #expect(try await browser.post("/sign-in/two-factor", [("recoveryCode", fresh[0])]).location == "/")
        }
    }

    @Test func codesGoWhenTwoFactorIsTurnedOffOrReset() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let browser = Browser(client)
            _ = try await setUp(browser, "trainer@demo.invalid", db: db)
            #expect(try await RecoveryCode.query(on: db).count() == 10)
            #expect(try await browser.post("/account/two-factor/remove").status == .seeOther)
            #expect(try await RecoveryCode.query(on: db).count() == 0)
            // Without two-factor there is nothing to regenerate.
            #expect(try await browser.post("/account/recovery-codes").location == "/account")
            #expect(try await RecoveryCode.query(on: db).count() == 0)

            _ = try await setUp(Browser(client), "trainer@demo.invalid", db: db)
            let user = try #require(try await built.services.accounts.user(email: "trainer@demo.invalid"))
            try await built.services.accounts.resetTwoFactor(id: try user.requireID(), actor: .system, address: "test")
            #expect(try await RecoveryCode.query(on: db).count() == 0)
        }
    }

    @Test func oneCodeSpentByTwoRequestsAtOnceSignsInOnlyOnce() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let (_, codes) = try await setUp(Browser(client), "trainer@demo.invalid", db: db)
            let userID = try #require(try await built.services.accounts.user(email: "trainer@demo.invalid")?.id)
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await built.services.auth.spendRecoveryCode(codes[5], userID: userID) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            #expect(try await built.services.auth.recoveryCodesRemaining(userID: userID) == 9)
        }
    }
}
