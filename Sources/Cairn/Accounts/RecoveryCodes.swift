import FluentKit
import Foundation
import SQLKit

/// One single-use recovery code, kept only as a hash. A person with two-factor has ten; each
/// signs them in once in place of a code from their app.
final class RecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    /// SHA-256 of the user's id and the normalised code (`RecoveryCodes.hash`).
    @Field(key: "code_hash") var codeHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}

/// Generating, checking and counting recovery codes.
enum RecoveryCodes {
    static let count = 10
    /// The reference alphabet (no 0/O, 1/I/L, U): read off paper and typed back without confusion.
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// 12 characters, shown as three groups of four: about 59 bits each.
    static let length = 12

    static func generate() -> [String] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let chars = (0..<length).map { _ in alphabet.randomElement(using: &rng) ?? "2" }
            return stride(from: 0, to: length, by: 4).map { String(chars[$0..<($0 + 4)]) }.joined(separator: "-")
        }
    }

    /// What a person types, as stored: upper case, without spaces or dashes; nil when it cannot
    /// be a recovery code.
    static func normalise(_ text: String) -> String? {
        let cleaned = text.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard cleaned.count == length, cleaned.allSatisfy(alphabet.contains) else { return nil }
        return cleaned
    }

    /// Salted with the user's id, so equal codes of two people hash differently.
    static func hash(_ normalised: String, userID: UUID) -> String {
        Secrets.sha256Hex("recovery:\(userID.uuidString.lowercased()):\(normalised)")
    }
}

extension AuthService {
    /// Replaces the person's recovery codes with ten new ones (the old stop working at once)
    /// and returns them: the only time they are shown.
    public func issueRecoveryCodes(userID: UUID, actor: AuditActor, address: String, reason: String) async throws -> [String] {
        let codes = RecoveryCodes.generate()
        let now = Date()
        try await database.db.transaction { tx in
            try await RecoveryCode.query(on: tx).filter(\.$userID == userID).delete()
            for code in codes {
                let record = RecoveryCode()
                record.userID = userID
                record.codeHash = RecoveryCodes.hash(RecoveryCodes.normalise(code) ?? code, userID: userID)
                record.createdAt = now
                try await record.create(on: tx)
            }
            try await audit.append(AuditEvent(actor: actor, action: "account.recovery_codes.generated", recordType: "user", recordID: userID.uuidString,
                                              address: address, detail: reason), on: tx)
        }
        return codes
    }

    /// How many unused codes the person has.
    public func recoveryCodesRemaining(userID: UUID) async throws -> Int {
        try await RecoveryCode.query(on: database.db).filter(\.$userID == userID).filter(\.$usedAt == nil).count()
    }

    /// Removes every code (two-factor turned off or reset).
    func removeRecoveryCodes(userID: UUID, on db: (any Database)? = nil) async throws {
        try await RecoveryCode.query(on: db ?? database.db).filter(\.$userID == userID).delete()
    }

    /// Uses up `code` if it is one of the person's unused codes. One statement marks it used,
    /// so two requests (on any instances) cannot both spend the same code.
    func spendRecoveryCode(_ code: String, userID: UUID) async throws -> Bool {
        guard let normalised = RecoveryCodes.normalise(code) else { return false }
        let sql = try database.db.sqlDatabase()
        let rows = try await sql.raw("""
            UPDATE recovery_codes SET used_at = \(bind: Date()) \
            WHERE user_id = \(bind: userID) AND code_hash = \(bind: RecoveryCodes.hash(normalised, userID: userID)) AND used_at IS NULL RETURNING id
            """).all()
        return rows.count == 1
    }

    /// Completes a two-factor sign-in with a recovery code instead of a code from the app.
    /// Counts towards the lockout like a wrong code; each use is audited with the number left.
    /// Returns the new session token and the codes left, or nil.
    public func verifyRecoveryCode(session: SessionState, code: String, address: String) async throws -> (token: String, remaining: Int)? {
        let user = session.user
        guard let userID = user.id, let sessionID = session.record.id, user.hasTwoFactor else { return nil }
        let actor = AuditActor(id: userID, name: user.email)
        let attempt: Int
        switch try await lockout.begin(userID) {
        case .locked:
            try await SessionRecord.query(on: database.db).filter(\.$id == sessionID).delete()
            try await audit.append(AuditEvent(actor: actor, action: "auth.two_factor.failure", recordType: "user", recordID: userID.uuidString,
                                              address: address, detail: "account locked"))
            return nil
        case .counted(let number):
            attempt = number
        }
        if try await spendRecoveryCode(code, userID: userID) {
            // Locked while the code was checked: the code is spent, and nobody signs in.
            guard try await lockout.succeeded(userID) else {
                try await SessionRecord.query(on: database.db).filter(\.$id == sessionID).delete()
                try await audit.append(AuditEvent(actor: actor, action: "auth.two_factor.failure", recordType: "user", recordID: userID.uuidString,
                                                  address: address, detail: "recovery code spent while the account was locked"))
                return nil
            }
            let remaining = try await recoveryCodesRemaining(userID: userID)
            let token = try await createSession(userID: userID, stage: .complete, address: address, replacing: sessionID)
            try await markSignedIn(user)
            try await audit.append(AuditEvent(actor: actor, action: "auth.recovery_code.used", recordType: "user", recordID: userID.uuidString,
                                              address: address, detail: "remaining: \(remaining)"))
            try await audit.append(AuditEvent(actor: actor, action: "auth.sign_in.success", recordType: "user", recordID: userID.uuidString,
                                              address: address, detail: "with a recovery code"))
            return (token, remaining)
        }
        var detail = "wrong recovery code (attempt \(attempt))"
        if try await lockout.failed(userID) {
            detail += "; locked for \(config.lockoutMinutes) minutes"
            try await SessionRecord.query(on: database.db).filter(\.$id == sessionID).delete()
        }
        try await audit.append(AuditEvent(actor: actor, action: "auth.two_factor.failure", recordType: "user", recordID: userID.uuidString, address: address, detail: detail))
        return nil
    }
}
