import FluentKit

/// The title partners see, written with the sanitised version. Items recorded before have
/// none, so partners see their reference until the originator writes one.
struct AddIntelligencePartnerTitle: AsyncMigration {
    var name: String { "016_add_intelligence_partner_title" }
    func prepare(on db: any Database) async throws {
        try await db.schema("intelligence_items").field("partner_title", .string, .required, .sql(.default(""))).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("intelligence_items").deleteField("partner_title").update()
    }
}
