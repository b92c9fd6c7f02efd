import FluentKit
import SQLKit

/// Awareness campaigns (`campaigns`: each with its unique short code, its audiences, languages,
/// channels, area and dates, the materials used and the plan action it serves) and their reach
/// per channel (`campaign_reach`: a count and how it was counted).
/// Tables are named as strings: a migration must not change when a model does.
struct CreateCampaigns: AsyncMigration {
    var name: String { "040_create_campaigns" }
    func prepare(on db: any Database) async throws {
        try await db.schema("campaigns")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("audiences", .string, .required)
            .field("languages", .string, .required)
            .field("areas", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("materials", .string, .required)
            .field("plan_action_id", .uuid)
            .field("archived_at", .datetime)
            .field("created_by_id", .uuid, .required, .references("users", .id))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .create()
        try await db.schema("campaign_reach")
            .id()
            .field("campaign_id", .uuid, .required, .references("campaigns", .id, onDelete: .cascade))
            .field("channel", .string, .required)
            .field("reach", .int64, .required)
            .field("counted_as", .string, .required)
            .unique(on: "campaign_id", "channel")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "campaigns_starts_on").on("campaigns").column("starts_on").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("campaign_reach").delete()
        try await db.schema("campaigns").delete()
    }
}
