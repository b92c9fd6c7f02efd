import CairnCore
import FluentKit
import Foundation

/// A member organisation of the partnership.
public final class Agency: Model, @unchecked Sendable {
    public static let schema = "agencies"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// `AgencyType` raw value.
    @Field(key: "type") public var type: String
    /// A first responder may refer a potential victim to the National Referral Mechanism.
    @Field(key: "first_responder") public var firstResponder: Bool
    @Field(key: "area") public var area: String
    @Field(key: "created_at") public var createdAt: Date
    /// Comma-separated `PartnerService` raw values: what routing may send this agency.
    @Field(key: "services") public var servicesText: String

    public init() {}
    public init(id: UUID? = nil, name: String, type: AgencyType, firstResponder: Bool, area: String, services: Set<PartnerService> = []) {
        self.id = id
        self.name = name
        self.type = type.rawValue
        self.firstResponder = firstResponder
        self.area = area
        self.createdAt = Date()
        self.servicesText = Self.storageString(services)
    }

    public var agencyType: AgencyType { AgencyType(rawValue: type) ?? .other }

    public var services: Set<PartnerService> {
        get { Set(servicesText.split(separator: ",").compactMap { PartnerService(rawValue: String($0)) }) }
        set { servicesText = Self.storageString(newValue) }
    }

    static func storageString(_ services: Set<PartnerService>) -> String {
        PartnerService.allCases.filter(services.contains).map(\.rawValue).joined(separator: ",")
    }
}

public final class User: Model, @unchecked Sendable {
    public static let schema = "users"
    @ID(key: .id) public var id: UUID?
    /// Stored lower-cased so sign-in and uniqueness ignore case.
    @Field(key: "email") public var email: String
    @Field(key: "display_name") public var displayName: String
    @Parent(key: "agency_id") public var agency: Agency
    /// Comma-separated `Role` raw values.
    @Field(key: "roles") public var rolesText: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "disabled") public var disabled: Bool
    /// The TOTP secret (its raw bytes as text), nil when two-factor is not set up.
    @OptionalField(key: "totp_secret") public var totpSecret: String?
    /// The last accepted TOTP time step, so a code cannot be replayed.
    @OptionalField(key: "totp_last_step") public var totpLastStep: Int?
    @Field(key: "failed_sign_ins") public var failedSignIns: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    /// Set when an administrator resets the password: the person must choose a new one.
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_sign_in_at") public var lastSignInAt: Date?

    public init() {}

    public var roles: Set<Role> {
        get { Role.parseList(rolesText) }
        set { rolesText = Role.storageString(newValue) }
    }

    public var hasTwoFactor: Bool { totpSecret != nil }
}

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
