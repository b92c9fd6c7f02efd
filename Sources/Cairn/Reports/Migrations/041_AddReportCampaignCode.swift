import FluentKit
import SQLKit

/// The awareness campaign's code a public report arrived with (`reports.campaign_code`, from
/// `/report?c=CODE`): only the code, nothing about the reporter; null for every other report.
struct AddReportCampaignCode: AsyncMigration {
    var name: String { "041_add_report_campaign_code" }
    func prepare(on db: any Database) async throws {
        try await db.schema("reports").field("campaign_code", .string).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "reports_campaign_code").on("reports").column("campaign_code").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.drop(index: "reports_campaign_code").run() }
        try await db.schema("reports").deleteField("campaign_code").update()
    }
}
