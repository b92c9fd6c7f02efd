import FluentKit
import Foundation
import SQLKit

/// The survivor's own view: one account per case (`survivor_accounts`: the one-time
/// activation code's hash, the reference, the passphrase and safe passphrase hashes, the
/// lockout count), its sessions and short-lived API tokens (`survivor_sessions`, by token
/// hash), messages between the survivor and the case team (`survivor_messages`), the
/// survivor's own outcome ratings (`survivor_ratings`, one per review point) and their
/// requests for a correction or deletion (`survivor_requests`).
struct CreateSurvivorView: AsyncMigration {
    var name: String { "047_create_survivor_view" }
    func prepare(on db: any Database) async throws {
        try await db.schema("survivor_accounts")
            .id()
            .field("case_id", .uuid, .required)
            .field("status", .string, .required)
            .field("reference", .string)
            .field("passphrase_hash", .string)
            .field("safe_passphrase_hash", .string)
            .field("activation_code_hash", .string)
            .field("activation_expires_at", .datetime)
            .field("language", .string, .required)
            .field("failed_sign_ins", .int, .required)
            .field("locked_until", .datetime)
            .field("offered_by_id", .uuid, .required)
            .field("offered_at", .datetime, .required)
            .field("activated_at", .datetime)
            .field("updated_at", .datetime, .required)
            .unique(on: "case_id")
            .unique(on: "reference")
            .unique(on: "activation_code_hash")
            .create()
        try await db.schema("survivor_sessions")
            .field("id", .string, .identifier(auto: false))
            .field("account_id", .uuid, .required, .references("survivor_accounts", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("safe", .bool, .required)
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await db.schema("survivor_messages")
            .id()
            .field("case_id", .uuid, .required)
            .field("from_survivor", .bool, .required)
            .field("author_id", .uuid)
            .field("body", .string, .required)
            .field("interpreter_needed", .bool, .required)
            .field("language", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        try await db.schema("survivor_ratings")
            .id()
            .field("case_id", .uuid, .required)
            .field("point", .string, .required)
            .field("ratings", .string, .required)
            .field("rated_at", .datetime, .required)
            .unique(on: "case_id", "point")
            .create()
        try await db.schema("survivor_requests")
            .id()
            .field("case_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("detail", .string, .required)
            .field("created_at", .datetime, .required)
            .field("done_at", .datetime)
            .field("done_by_id", .uuid)
            .create()
        for (table, column) in [("survivor_messages", "case_id"), ("survivor_requests", "case_id"), ("survivor_sessions", "account_id")] {
            try await db.sqlDatabase().create(index: "\(table)_\(column)").on(table).column(column).run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["survivor_requests", "survivor_ratings", "survivor_messages", "survivor_sessions", "survivor_accounts"] {
            try await db.schema(table).delete()
        }
    }
}
