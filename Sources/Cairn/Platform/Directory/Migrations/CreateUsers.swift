import FluentKit

struct CreateUsers: AsyncMigration {
    var name: String { "002_create_users" }
    func prepare(on db: any Database) async throws {
        try await db.schema("users")
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("agency_id", .uuid, .required, .references("agencies", .id))
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
    func revert(on db: any Database) async throws { try await db.schema("users").delete() }
}
