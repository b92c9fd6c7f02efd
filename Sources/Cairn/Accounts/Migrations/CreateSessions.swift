import FluentKit
import SQLKit

/// Released migrations are never edited: a change is a new migration. Tables are named by
/// string, not by a model, so a later change to a model cannot change what this one did.
struct CreateSessions: AsyncMigration {
    var name: String { "003_create_sessions" }
    func prepare(on db: any Database) async throws {
        try await db.schema("sessions")
            .field("token_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", .id, onDelete: .cascade))
            .field("stage", .string, .required)
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("address", .string, .required)
            .field("pending_totp_secret", .string)
            .create()
        try await db.sqlDatabase().create(index: "sessions_user_id").on("sessions").column("user_id").run()
    }
    func revert(on db: any Database) async throws { try await db.schema("sessions").delete() }
}
