import CairnCore
import FluentKit
import Foundation

/// A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a
/// copy of the database does not let anyone sign in.
public final class SessionRecord: Model, @unchecked Sendable {
    public static let schema = "sessions"
    @ID(custom: "token_hash", generatedBy: .user) public var id: String?
    @Parent(key: "user_id") public var user: User
    /// `complete`, or a step still owed: `two_factor`, `two_factor_setup`, `change_password`.
    @Field(key: "stage") public var stage: String
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @Field(key: "address") public var address: String
    /// A two-factor secret being set up, kept here until the person proves their app has it.
    @OptionalField(key: "pending_totp_secret") public var pendingTOTPSecret: String?

    public init() {}
}

/// An API bearer token. Shown once at creation; only its SHA-256 is stored.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"
    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "user_id") public var user: User
    @Field(key: "name") public var name: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?

    public init() {}
}

/// Whether people holding a role must use two-factor authentication.
public final class RoleSecurityPolicy: Model, @unchecked Sendable {
    public static let schema = "role_security_policies"
    @ID(custom: "role", generatedBy: .user) public var id: String?
    @Field(key: "require_two_factor") public var requireTwoFactor: Bool
    public init() {}
    public init(role: Role, requireTwoFactor: Bool) {
        self.id = role.rawValue
        self.requireTwoFactor = requireTwoFactor
    }
}
