import FluentKit

struct CreateAPITokens: AsyncMigration {
    var name: String { "004_create_api_tokens" }
    func prepare(on db: any Database) async throws {
        try await db.schema("api_tokens")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("api_tokens").delete() }
}
