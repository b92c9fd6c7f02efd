import CairnCore
import FluentKit
import Foundation

/// A person with an account: the partnership's shared directory of who works where and in
/// which roles. Accounts keeps it (sign-in, two-factor, administration); every capability reads it.
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
