import FluentKit

/// `link_pending` (reports stored and not linked yet) and `link_log` (what every instance's
/// person index must hold, in order): see `LinkCoordination.swift`.
struct CreateLinkCoordination: AsyncMigration {
    var name: String { "017_create_link_coordination" }

    func prepare(on db: any Database) async throws {
        try await db.schema("link_pending")
            .field("report_id", .uuid, .identifier(auto: false), .references("reports", .id, onDelete: .cascade))
            .field("received_at", .datetime, .required)
            .create()
        try await db.schema("link_log")
            .field("seq", .int64, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("subject_id", .uuid)
            .field("at", .datetime, .required)
            .create()
        // Reports stored before this table existed were linked as they arrived (or are repaired by
        // `cairn link rebuild`): none is marked as waiting.
    }

    func revert(on db: any Database) async throws {
        try await db.schema("link_log").delete()
        try await db.schema("link_pending").delete()
    }
}
