import FluentKit

struct CreateRecoveryCodes: AsyncMigration {
    var name: String { "020_create_recovery_codes" }
    func prepare(on db: any Database) async throws {
        try await db.schema("recovery_codes")
            .id()
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "user_id", "code_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("recovery_codes").delete() }
}
