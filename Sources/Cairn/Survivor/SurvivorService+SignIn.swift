import CairnCore
import FluentKit
import Foundation
import SQLKit

/// Activating the view with the one-time code, signing in with reference and passphrase (or
/// the safe passphrase), and the sessions and short-lived tokens that follow. The same lockout
/// as staff accounts (`AccountLockout` on `survivor_accounts`) and the same per-address limit
/// (the caller's `AddressThrottle`).
extension SurvivorService {
    enum SignInOutcome: Sendable {
        case signedIn(token: String, safe: Bool)
        case invalid
        case locked(minutes: Int)
    }

    /// Activates the view: checks the code (single use, 72 hours) and the passphrase, and gives
    /// the survivor their reference. Errors are in `language`; nothing changes on any error.
    /// The view stays in the language it was offered in unless the survivor `chose` another.
    /// `reference` is for the demo only, whose reference is printed in the README.
    func activate(code: String, passphrase: String, confirm: String, language: PublicLanguage, chose: Bool = true, address: String,
                  now: Date = Date(), reference fixed: String? = nil) async throws -> String {
        let t = SurvivorText(language: language)
        var problems: [AppError.FieldError] = []
        let plainCode = Self.normalisedCode(code)
        if plainCode.isEmpty { problems.append(.init("activationCode", t("error.required"))) }
        problems += t.passphraseProblems(passphrase, confirm: confirm, field: "passphrase")
        if !problems.isEmpty { throw AppError.invalid(problems) }
        let codeHash = Secrets.sha256Hex(plainCode)
        guard let account = try await SurvivorAccount.query(on: db).filter(\.$activationCodeHash == codeHash).first(),
              account.viewStatus == .offered, let expires = account.activationExpiresAt, expires > now else {
            try await audit.append(AuditEvent(actor: .anonymous, action: "survivor_view.activation_failed", recordType: "case", address: address,
                                              detail: "unknown, used or expired code"))
            throw t.invalid("activationCode", "error.codeInvalid")
        }
        let hash = try await hasher.hash(passphrase)
        let accountID = try account.requireID()
        let kept = chose ? language : account.publicLanguage
        let sql = try db.sqlDatabase()
        for _ in 0..<8 {
            let reference = fixed ?? Self.newReference()
            if try await SurvivorAccount.query(on: db).filter(\.$reference == reference).first() != nil { continue }
            // One statement: of two uses of one code at once, only one finds it still unused.
            let row = try await sql.raw("""
                UPDATE survivor_accounts SET status = \(bind: SurvivorViewStatus.active.rawValue), reference = \(bind: reference),
                  passphrase_hash = \(bind: hash), activation_code_hash = NULL, activation_expires_at = NULL,
                  activated_at = \(bind: now), updated_at = \(bind: now), language = \(bind: kept.rawValue), failed_sign_ins = 0
                WHERE id = \(bind: accountID) AND activation_code_hash = \(bind: codeHash) AND status = \(bind: SurvivorViewStatus.offered.rawValue)
                RETURNING id
                """).first()
            guard row != nil else { throw t.invalid("activationCode", "error.codeInvalid") }
            try await audit.append(AuditEvent(actor: AuditActor(id: accountID, name: "survivor view"), action: "survivor_view.activated",
                                              recordType: "case", recordID: account.caseID.uuidString, address: address))
            return reference
        }
        throw AppError(.serviceUnavailable, t("error.generic"))
    }

    /// Checks a reference and passphrase. Every path checks two bcrypt hashes (the passphrase
    /// and the safe passphrase, or the decoy in their place), so neither the time taken nor
    /// the answer says whether the reference exists, is locked, or which passphrase was used.
    /// A sign-in with the safe passphrase opens the harmless view, and records the warning
    /// sign after the answer is given (so it takes no longer).
    func signIn(reference: String, passphrase: String, kind: SurvivorIdentity.Kind, address: String,
                admission: PasswordHasher.Admission, now: Date = Date()) async throws -> SignInOutcome {
        let normalised = Self.normalisedReference(reference)
        func check(_ hash: String?) async throws -> Bool {
            let decoy = try await hasher.decoyHash()
            let right = try await hasher.verify(passphrase, hash: hash ?? decoy, in: admission)
            return hash != nil && right
        }
        guard !normalised.isEmpty, let account = try await SurvivorAccount.query(on: db).filter(\.$reference == normalised).first(),
              account.viewStatus == .active, let accountID = account.id else {
            _ = try await check(nil)
            _ = try await check(nil)
            try await audit.append(AuditEvent(actor: .anonymous, action: "survivor_view.sign_in_failed", recordType: "case", address: address,
                                              detail: "unknown reference or view not active"))
            return .invalid
        }
        let actor = AuditActor(id: accountID, name: "survivor view")
        switch try await lockout.begin(accountID, now: now) {
        case .locked:
            _ = try await check(account.passphraseHash)
            _ = try await check(account.safePassphraseHash)
            try await audit.append(AuditEvent(actor: actor, action: "survivor_view.sign_in_locked", recordType: "case",
                                              recordID: account.caseID.uuidString, address: address))
            return .locked(minutes: lockout.minutes)
        case .counted:
            break
        }
        let normal: Bool, safe: Bool
        do {
            normal = try await check(account.passphraseHash)
            safe = try await check(account.safePassphraseHash)
        } catch {
            try? await lockout.abandoned(accountID)
            throw error
        }
        guard normal || safe else {
            let locked = try await lockout.failed(accountID, now: now)
            try await audit.append(AuditEvent(actor: actor, action: "survivor_view.sign_in_failed", recordType: "case",
                                              recordID: account.caseID.uuidString, address: address, detail: locked ? "locked" : "wrong passphrase"))
            return locked ? .locked(minutes: lockout.minutes) : .invalid
        }
        guard try await lockout.succeeded(accountID, now: now) else { return .locked(minutes: lockout.minutes) }
        let token = try await createSession(accountID: accountID, kind: kind, safe: safe && !normal, now: now)
        // The same entry either way: the log must not tell whoever reads it over a shoulder.
        try await audit.append(AuditEvent(actor: actor, action: "survivor_view.signed_in", recordType: "case",
                                          recordID: account.caseID.uuidString, address: address, detail: kind.rawValue))
        if safe && !normal {
            let cases = cases, caseID = account.caseID
            Task { try? await cases.safePassphraseUsed(caseID, address: address) }
        }
        return .signedIn(token: token, safe: safe && !normal)
    }

    func createSession(accountID: UUID, kind: SurvivorIdentity.Kind, safe: Bool, now: Date = Date()) async throws -> String {
        let token = (kind == .api ? "sv_" : "") + Secrets.token()
        let session = SurvivorSession()
        session.id = Secrets.sha256Hex(token)
        session.accountID = accountID
        session.kind = kind.rawValue
        session.safe = safe
        session.csrfToken = Secrets.token(bytes: 24)
        session.createdAt = now
        session.lastSeenAt = now
        session.expiresAt = now.addingTimeInterval(kind == .api ? Self.tokenLifetime : Self.browserLifetime)
        try await session.create(on: db)
        return token
    }

    /// The signed-in survivor for a cookie or token, enforcing the 10-minute idle timeout,
    /// the session's lifetime and the view's state (suspended or ended: nobody).
    func identity(forToken token: String, kind: SurvivorIdentity.Kind, now: Date = Date()) async throws -> SurvivorIdentity? {
        let hash = Secrets.sha256Hex(token)
        guard let session = try await SurvivorSession.find(hash, on: db), session.kind == kind.rawValue else { return nil }
        if session.expiresAt <= now || now.timeIntervalSince(session.lastSeenAt) > Self.idleTimeout {
            try await session.delete(on: db)
            return nil
        }
        guard let account = try await SurvivorAccount.find(session.accountID, on: db), account.viewStatus == .active else {
            try await session.delete(on: db)
            return nil
        }
        // A write per request would make each page a write; 30 seconds' slack on 10 minutes is enough.
        if now.timeIntervalSince(session.lastSeenAt) > 30 {
            session.lastSeenAt = now
            try await session.save(on: db)
        }
        return SurvivorIdentity(accountID: session.accountID, caseID: account.caseID, safe: session.safe, language: account.publicLanguage,
                                sessionHash: hash, csrfToken: session.csrfToken, kind: kind)
    }

    func signOut(_ s: SurvivorIdentity, address: String) async throws {
        try await SurvivorSession.query(on: db).filter(\.$id == s.sessionHash).delete()
        try await log(s, "survivor_view.signed_out", address)
    }

    /// The survivor's second passphrase, which opens only the harmless view and tells the team.
    func setSafePassphrase(_ s: SurvivorIdentity, passphrase: String, confirm: String, address: String, now: Date = Date()) async throws {
        guard !s.safe else { throw AppError.notFound() }
        let t = SurvivorText(language: s.language)
        let account = try await account(s)
        var problems = t.passphraseProblems(passphrase, confirm: confirm, field: "safePassphrase")
        if problems.isEmpty, let normal = account.passphraseHash, try await hasher.verify(passphrase, hash: normal) {
            problems.append(.init("safePassphrase", t("error.passphraseSame")))
        }
        if !problems.isEmpty { throw AppError.invalid(problems) }
        account.safePassphraseHash = try await hasher.hash(passphrase)
        account.updatedAt = now
        try await account.save(on: db)
        try await log(s, "survivor_view.safe_passphrase_set", address)
    }

    /// The survivor ends their own view: signed out everywhere; only a new offer opens it again.
    func endOwnView(_ s: SurvivorIdentity, address: String, now: Date = Date()) async throws {
        guard !s.safe else { throw AppError.notFound() }
        try await db.transaction { tx in
            let account = try await account(s, on: tx)
            try Self.end(account)
            account.updatedAt = now
            try await account.save(on: tx)
            try await SurvivorSession.query(on: tx).filter(\.$accountID == s.accountID).delete()
            try await cases.notifyTeam(s.caseID, message: "The survivor closed their own view of their case.", on: tx, now: now)
            try await log(s, "survivor_view.end", address, "by the survivor", on: tx)
        }
    }
}
