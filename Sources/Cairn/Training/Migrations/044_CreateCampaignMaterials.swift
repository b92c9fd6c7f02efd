import FluentKit
import SQLKit

/// The hub resources a campaign used (`campaign_materials`: a campaign, a resource, and its
/// place in the campaign's list; materials not in the hub stay as text on the campaign), and a
/// note on each hub file version (`resource_files.note`: what changed, empty for older rows).
/// Tables are named as strings: a migration must not change when a model does.
struct CreateCampaignMaterials: AsyncMigration {
    var name: String { "044_create_campaign_materials" }
    func prepare(on db: any Database) async throws {
        try await db.schema("campaign_materials")
            .id()
            .field("campaign_id", .uuid, .required, .references("campaigns", .id, onDelete: .cascade))
            .field("resource_id", .uuid, .required, .references("resources", .id, onDelete: .cascade))
            .field("position", .int, .required)
            .unique(on: "campaign_id", "resource_id")
            .create()
        try await db.schema("resource_files").field("note", .string, .required, .sql(.default(""))).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "campaign_materials_resource").on("campaign_materials").column("resource_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("resource_files").deleteField("note").update()
        try await db.schema("campaign_materials").delete()
    }
}
