import CairnCore
import FluentKit
import Foundation
import HummingbirdOTP
import SQLKit

/// Passwords, sessions, lockout, two-factor and API tokens.
public struct AuthService: Sendable {
    public enum Stage: String, Sendable {
        case complete
        case twoFactor = "two_factor"
        case twoFactorSetup = "two_factor_setup"
        case changePassword = "change_password"
    }

    public enum SignInOutcome: Sendable {
        case signedIn(token: String, stage: Stage)
        case invalid
        case locked(minutes: Int)
    }

    public struct SessionState: Sendable {
        public var record: SessionRecord
        public var user: User
        public var agency: Agency
        public var stage: Stage { Stage(rawValue: record.stage) ?? .complete }
    }

    let database: CairnDatabase
    let audit: AuditLog
    let config: AppConfig
    /// bcrypt on its own bounded pool of threads.
    public let hasher: PasswordHasher
    let lockout: AccountLockout

    public init(database: CairnDatabase, audit: AuditLog, config: AppConfig, hasher: PasswordHasher) {
        self.database = database
        self.audit = audit
        self.config = config
        self.hasher = hasher
        lockout = AccountLockout(database: database, threshold: config.lockoutThreshold, minutes: config.lockoutMinutes)
    }

    // MARK: Passwords

    /// bcrypt is deliberately slow, so it runs on the hasher's own threads.
    public func hashPassword(_ password: String) async throws -> String {
        try await hasher.hash(password)
    }

    /// Throws 429 (`PasswordHasher.busy`) when too many checks are waiting already.
    public func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await hasher.verify(password, hash: hash)
    }

    public static func passwordProblems(_ password: String, email: String) -> [String] {
        var problems: [String] = []
        if password.count < 12 { problems.append("Password must be at least 12 characters") }
        if password.count > 200 { problems.append("Password must be 200 characters or fewer") }
        if password.lowercased() == email.lowercased() { problems.append("Password must not be your email address") }
        if CommonPasswords.isCommon(password) { problems.append("Password is too common; choose another") }
        return problems
    }

    /// A temporary password an administrator passes on; the person must change it at sign-in.
    public static func temporaryPassword() -> String {
        let words = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heath", "inlet", "juniper", "kestrel", "larch", "meadow", "nettle", "orchid", "pebble", "quarry", "rowan", "sorrel", "thistle", "upland", "valley", "willow", "yarrow"]
        var rng = SystemRandomNumberGenerator()
        let picked = (0..<3).map { _ in words.randomElement(using: &rng)! }
        return picked.joined(separator: "-") + "-" + String(Int.random(in: 100...999, using: &rng))
    }

    // MARK: Sign-in

    /// Checks an email address and password. Every path checks one bcrypt hash at the
    /// configured cost — the decoy for an unknown or disabled address, the account's own hash
    /// when it is locked — so the time taken says nothing about whether the account exists or
    /// is locked; `SignInController` gives `.invalid` and `.locked` the same answer. The audit
    /// log records which it was.
    ///
    /// The caller gets `admission` from `hasher.admitted` first, so a flood of sign-ins beyond
    /// what the hashing threads can take is refused before it costs a query.
    public func signIn(email: String, password: String, address: String, admission: PasswordHasher.Admission) async throws -> SignInOutcome {
        let normalised = email.trimmingCharacters(in: .whitespaces).lowercased()
        let db = database.db
        func check(_ hash: String) async throws -> Bool { try await hasher.verify(password, hash: hash, in: admission) }
        guard let user = try await User.query(on: db).filter(\.$email == normalised).first(), !user.disabled, let userID = user.id else {
            _ = try await check(try await hasher.decoyHash())
            // The typed email is not recorded: it may be a mistyped password or someone else's address.
            try await audit.append(AuditEvent(actor: .anonymous, action: "auth.sign_in.failure", recordType: "user", address: address, detail: "unknown or disabled account"))
            return .invalid
        }
        let actor = AuditActor(id: userID, name: user.email)
        let attempt: Int
        switch try await lockout.begin(userID) {
        case .locked(let justNow):
            _ = try await check(user.passwordHash)
            try await audit.append(AuditEvent(actor: actor, action: "auth.sign_in.locked", recordType: "user", recordID: userID.uuidString, address: address,
                                              detail: justNow ? "more attempts at once than the threshold; locked for \(config.lockoutMinutes) minutes" : ""))
            return .locked(minutes: config.lockoutMinutes)
        case .counted(let number):
            attempt = number
        }
        let right: Bool
        do {
            right = try await check(user.passwordHash)
        } catch {
            // Never checked (cancelled, or the server is stopping): the attempt does not count.
            try? await lockout.abandoned(userID)
            throw error
        }
        guard right else {
            let locked = try await lockout.failed(userID)
            try await audit.append(AuditEvent(actor: actor, action: "auth.sign_in.failure", recordType: "user", recordID: userID.uuidString, address: address,
                                              detail: "failed attempts: \(attempt)" + (locked ? "; locked for \(config.lockoutMinutes) minutes" : "")))
            return locked ? .locked(minutes: config.lockoutMinutes) : .invalid
        }
        guard try await lockout.succeeded(userID) else {
            // Locked by other attempts while this one was checked: the right password does not help.
            try await audit.append(AuditEvent(actor: actor, action: "auth.sign_in.locked", recordType: "user", recordID: userID.uuidString, address: address,
                                              detail: "right password while locked"))
            return .locked(minutes: config.lockoutMinutes)
        }
        let stage: Stage
        if user.mustChangePassword {
            stage = .changePassword
        } else if user.hasTwoFactor {
            stage = .twoFactor
        } else if try await twoFactorRequired(for: user.roles) {
            stage = .twoFactorSetup
        } else {
            stage = .complete
        }
        let token = try await createSession(userID: (try user.requireID()), stage: stage, address: address, replacing: nil)
        if stage == .complete { try await markSignedIn(user) }
        try await audit.append(AuditEvent(actor: actor, action: stage == .complete ? "auth.sign_in.success" : "auth.sign_in.password_ok",
                                          recordType: "user", recordID: (try user.requireID()).uuidString, address: address,
                                          detail: stage == .complete ? "" : "next step: \(stage.rawValue)"))
        return .signedIn(token: token, stage: stage)
    }

    func markSignedIn(_ user: User) async throws {
        user.lastSignInAt = Date()
        try await user.save(on: database.db)
    }

    /// Issues a new session token (and CSRF token), deleting the one it replaces: every step
    /// of signing in rotates the session, so a token seen before sign-in is worthless after.
    public func createSession(userID: UUID, stage: Stage, address: String, replacing oldHash: String?) async throws -> String {
        let token = Secrets.token()
        let record = SessionRecord()
        record.id = Secrets.sha256Hex(token)
        record.$user.id = userID
        record.stage = stage.rawValue
        record.csrfToken = Secrets.token(bytes: 24)
        let now = Date()
        record.createdAt = now
        record.lastSeenAt = now
        // A part-signed-in session only lasts long enough to finish signing in.
        record.expiresAt = now.addingTimeInterval(stage == .complete ? config.sessionAbsoluteTimeout : 15 * 60)
        record.address = address
        try await database.db.transaction { tx in
            if let oldHash { try await SessionRecord.query(on: tx).filter(\.$id == oldHash).delete() }
            try await record.create(on: tx)
        }
        return token
    }

    /// Finds a live session for a cookie token, enforcing the idle and absolute timeouts.
    public func session(forToken token: String) async throws -> SessionState? {
        let hash = Secrets.sha256Hex(token)
        let db = database.db
        guard let record = try await SessionRecord.find(hash, on: db) else { return nil }
        let now = Date()
        if record.expiresAt <= now || now.timeIntervalSince(record.lastSeenAt) > config.sessionIdleTimeout {
            try await record.delete(on: db)
            return nil
        }
        guard let user = try await User.find(record.$user.id, on: db), !user.disabled,
              let agency = try await Agency.find(user.$agency.id, on: db) else {
            try await record.delete(on: db)
            return nil
        }
        // Writing on every request would make each page view a write; a minute's slack is enough.
        if now.timeIntervalSince(record.lastSeenAt) > 60 {
            record.lastSeenAt = now
            try await record.save(on: db)
        }
        return SessionState(record: record, user: user, agency: agency)
    }

    public func signOut(tokenHash: String, actor: AuditActor, address: String) async throws {
        try await SessionRecord.query(on: database.db).filter(\.$id == tokenHash).delete()
        try await audit.append(AuditEvent(actor: actor, action: "auth.sign_out", recordType: "user", recordID: actor.id?.uuidString ?? "", address: address))
    }

    /// Ends every session of the person, on every device and every instance.
    public func signOutEverywhere(userID: UUID, actor: AuditActor, address: String, reason: String = "") async throws {
        let count = try await SessionRecord.query(on: database.db).filter(\.$user.$id == userID).count()
        try await SessionRecord.query(on: database.db).filter(\.$user.$id == userID).delete()
        try await audit.append(AuditEvent(actor: actor, action: "auth.sign_out_everywhere", recordType: "user", recordID: userID.uuidString, address: address,
                                          detail: "sessions ended: \(count)\(reason.isEmpty ? "" : "; \(reason)")"))
    }

    // MARK: Two-factor

    public func twoFactorRequired(for roles: Set<Role>) async throws -> Bool {
        let required = try await RoleSecurityPolicy.query(on: database.db).filter(\.$requireTwoFactor == true).all().compactMap { $0.id.flatMap(Role.init(rawValue:)) }
        return !Set(required).isDisjoint(with: roles)
    }

    /// Checks a 6-digit code against the secret, allowing one 30-second step of clock drift
    /// either way, and refusing a step already used (replay).
    static func acceptedStep(code: String, secret: String, lastStep: Int?, now: Date = Date()) -> Int? {
        let digits = code.filter(\.isNumber)
        guard digits.count == 6, let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let current = Int(now.timeIntervalSince1970 / 30)
        for step in [current, current - 1, current + 1] {
            if let lastStep, step <= lastStep { continue }
            if totp.compute(date: Date(timeIntervalSince1970: Double(step) * 30 + 1)) == value { return step }
        }
        return nil
    }

    /// Completes a two-factor sign-in. Returns the new (rotated) session token, or nil for a
    /// wrong or replayed code, or a locked account. Wrong codes count towards the lockout like
    /// wrong passwords, in the same atomic steps.
    public func verifyTwoFactor(session: SessionState, code: String, address: String) async throws -> String? {
        let user = session.user
        guard let userID = user.id, let sessionID = session.record.id else { return nil }
        let actor = AuditActor(id: userID, name: user.email)
        let attempt: Int
        switch try await lockout.begin(userID) {
        case .locked(let justNow):
            try await SessionRecord.query(on: database.db).filter(\.$id == sessionID).delete()
            try await audit.append(AuditEvent(actor: actor, action: "auth.two_factor.failure", recordType: "user", recordID: userID.uuidString, address: address,
                                              detail: justNow ? "more attempts at once than the threshold; locked for \(config.lockoutMinutes) minutes" : "account locked"))
            return nil
        case .counted(let number):
            attempt = number
        }
        if let secret = user.totpSecret, let step = Self.acceptedStep(code: code, secret: secret, lastStep: user.totpLastStep),
           try await lockout.acceptedCode(userID, step: step) {
            let token = try await createSession(userID: userID, stage: .complete, address: address, replacing: sessionID)
            try await markSignedIn(user)
            try await audit.append(AuditEvent(actor: actor, action: "auth.sign_in.success", recordType: "user", recordID: userID.uuidString, address: address, detail: "with two-factor"))
            return token
        }
        var detail = "wrong two-factor code (attempt \(attempt))"
        if try await lockout.failed(userID) {
            detail += "; locked for \(config.lockoutMinutes) minutes"
            try await SessionRecord.query(on: database.db).filter(\.$id == sessionID).delete()
        }
        try await audit.append(AuditEvent(actor: actor, action: "auth.two_factor.failure", recordType: "user", recordID: userID.uuidString, address: address, detail: detail))
        return nil
    }

    /// A new secret for the person to add to their authenticator app; kept on the session until confirmed.
    public func beginTwoFactorSetup(session: SessionRecord) async throws -> String {
        if let pending = session.pendingTOTPSecret { return pending }
        // 20 random letters and digits: their bytes are the HMAC key (160 bits of text, ~119 bits of entropy).
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        let secret = String((0..<20).map { _ in alphabet.randomElement(using: &rng)! })
        session.pendingTOTPSecret = secret
        try await session.save(on: database.db)
        return secret
    }

    public static func displaySecret(_ secret: String) -> String {
        let base32 = Secrets.base32(Array(secret.utf8))
        return stride(from: 0, to: base32.count, by: 4).map { i in
            let start = base32.index(base32.startIndex, offsetBy: i)
            let end = base32.index(start, offsetBy: min(4, base32.count - i))
            return String(base32[start..<end])
        }.joined(separator: " ")
    }

    public static func authenticatorURL(secret: String, email: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "Cairn:\(email)", issuer: "Cairn")
    }

    /// Confirms set-up with a code from the app. Returns the rotated session token, or nil for a wrong code.
    public func confirmTwoFactorSetup(session: SessionState, code: String, address: String) async throws -> String? {
        guard let secret = session.record.pendingTOTPSecret, let step = Self.acceptedStep(code: code, secret: secret, lastStep: nil) else { return nil }
        let user = session.user
        user.totpSecret = secret
        user.totpLastStep = step
        try await user.save(on: database.db)
        let wasSigningIn = session.stage != .complete
        let token = try await createSession(userID: (try user.requireID()), stage: .complete, address: address, replacing: session.record.id)
        if wasSigningIn { try await markSignedIn(user) }
        try await audit.append(AuditEvent(actor: AuditActor(id: user.id, name: user.email), action: "account.two_factor.enabled", recordType: "user", recordID: (try user.requireID()).uuidString, address: address))
        return token
    }

    public func removeOwnTwoFactor(user: User, address: String) async throws {
        guard try await !twoFactorRequired(for: user.roles) else {
            throw AppError(.conflict, title: "Two-factor required", "Your role requires two-factor authentication, so it cannot be turned off.")
        }
        user.totpSecret = nil
        user.totpLastStep = nil
        try await user.save(on: database.db)
        try await removeRecoveryCodes(userID: try user.requireID())
        try await audit.append(AuditEvent(actor: AuditActor(id: user.id, name: user.email), action: "account.two_factor.removed", recordType: "user", recordID: (try user.requireID()).uuidString, address: address))
    }

    // MARK: Own password

    /// Changes the person's own password, ending their other sessions. Returns the new session token.
    public func changePassword(session: SessionState, current: String?, new: String, confirm: String, address: String) async throws -> String {
        let user = session.user
        var validator = Validator()
        if session.stage != .changePassword {
            if try await !verifyPassword(current ?? "", hash: user.passwordHash) { validator.add("current", "Your current password is not right") }
        }
        for problem in Self.passwordProblems(new, email: user.email) { validator.add("password", problem) }
        if new != confirm { validator.add("confirm", "The two new passwords do not match") }
        try validator.check()
        user.passwordHash = try await hashPassword(new)
        user.mustChangePassword = false
        try await user.save(on: database.db)
        try await SessionRecord.query(on: database.db).filter(\.$user.$id == (try user.requireID())).filter(\.$id != (try session.record.requireID())).delete()
        let next: Stage
        if user.hasTwoFactor && session.stage == .changePassword {
            next = .twoFactor
        } else if !user.hasTwoFactor, try await twoFactorRequired(for: user.roles) {
            next = .twoFactorSetup
        } else {
            next = .complete
        }
        let token = try await createSession(userID: (try user.requireID()), stage: next, address: address, replacing: session.record.id)
        if next == .complete && session.stage != .complete { try await markSignedIn(user) }
        try await audit.append(AuditEvent(actor: AuditActor(id: user.id, name: user.email), action: "account.password.changed", recordType: "user", recordID: (try user.requireID()).uuidString, address: address))
        return token
    }

    // MARK: API tokens

    /// Creates a bearer token for the user. The token is returned once; only its hash is kept.
    public func createAPIToken(for user: User, name: String, actor: AuditActor, address: String) async throws -> String {
        let token = "cairn_" + Secrets.token()
        let record = APIToken()
        record.tokenHash = Secrets.sha256Hex(token)
        record.$user.id = (try user.requireID())
        record.name = name
        record.createdAt = Date()
        try await database.db.transaction { tx in
            try await record.create(on: tx)
            try await audit.append(AuditEvent(actor: actor, action: "token.created", recordType: "api_token", recordID: (try record.requireID()).uuidString, address: address, detail: "for user \((try user.requireID()).uuidString)"), on: tx)
        }
        return token
    }

    public func identity(forBearer token: String) async throws -> Identity? {
        let db = database.db
        guard let record = try await APIToken.query(on: db).filter(\.$tokenHash == Secrets.sha256Hex(token)).filter(\.$revokedAt == nil).first(),
              let user = try await User.find(record.$user.id, on: db), !user.disabled,
              let agency = try await Agency.find(user.$agency.id, on: db) else { return nil }
        if record.lastUsedAt.map({ Date().timeIntervalSince($0) > 60 }) ?? true {
            record.lastUsedAt = Date()
            try await record.save(on: db)
        }
        return Identity(userID: (try user.requireID()), email: user.email, displayName: user.displayName, agencyID: (try agency.requireID()), agencyName: agency.name,
                        roles: user.roles, hasTwoFactor: user.hasTwoFactor, via: .apiToken(id: (try record.requireID())))
    }
}
