import FluentKit
import SQLKit

/// Released migrations are never edited: a change is a new migration.
struct CreateAgencies: AsyncMigration {
    var name: String { "001_create_agencies" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Agency.schema)
            .id()
            .field("name", .string, .required)
            .field("type", .string, .required)
            .field("first_responder", .bool, .required)
            .field("area", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(Agency.schema).delete() }
}

struct CreateUsers: AsyncMigration {
    var name: String { "002_create_users" }
    func prepare(on db: any Database) async throws {
        try await db.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("roles", .string, .required)
            .field("password_hash", .string, .required)
            .field("disabled", .bool, .required)
            .field("totp_secret", .string)
            .field("totp_last_step", .int64)
            .field("failed_sign_ins", .int, .required)
            .field("locked_until", .datetime)
            .field("must_change_password", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("last_sign_in_at", .datetime)
            .unique(on: "email")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(User.schema).delete() }
}

struct CreateSessions: AsyncMigration {
    var name: String { "003_create_sessions" }
    func prepare(on db: any Database) async throws {
        try await db.schema(SessionRecord.schema)
            .field("token_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("stage", .string, .required)
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("address", .string, .required)
            .field("pending_totp_secret", .string)
            .create()
        try await db.sqlDatabase().create(index: "sessions_user_id").on(SessionRecord.schema).column("user_id").run()
    }
    func revert(on db: any Database) async throws { try await db.schema(SessionRecord.schema).delete() }
}

struct CreateAPITokens: AsyncMigration {
    var name: String { "004_create_api_tokens" }
    func prepare(on db: any Database) async throws {
        try await db.schema(APIToken.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(APIToken.schema).delete() }
}

struct CreateRoleSecurityPolicies: AsyncMigration {
    var name: String { "005_create_role_security_policies" }
    func prepare(on db: any Database) async throws {
        try await db.schema(RoleSecurityPolicy.schema)
            .field("role", .string, .identifier(auto: false))
            .field("require_two_factor", .bool, .required)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(RoleSecurityPolicy.schema).delete() }
}
