import FluentKit
import SQLKit

/// On each link, when its two reports were received and whether they came from different
/// sources (agencies, or the public): what the dashboard counts links and networks by, read
/// from the links alone and by index. Links stored before are filled from their reports; what
/// it reads of reports is written here as that table is now, not through live models or reads.
struct AddLinkReceipt: AsyncMigration {
    var name: String { "035_add_link_receipt" }

    func prepare(on db: any Database) async throws {
        // One column at a time: SQLite adds one per statement.
        try await db.schema("report_links").field("earlier_received_at", .datetime).update()
        try await db.schema("report_links").field("later_received_at", .datetime).update()
        try await db.schema("report_links").field("cross_agency", .bool).update()
        guard let sql = db as? any SQLDatabase else { return }
        let different: SQLQueryString = sql.dialect.name == "postgresql" ? "IS DISTINCT FROM" : "IS NOT"
        try await sql.raw("""
            UPDATE report_links SET \
            earlier_received_at = (SELECT received_at FROM reports WHERE reports.id = report_links.earlier_report_id), \
            later_received_at = (SELECT received_at FROM reports WHERE reports.id = report_links.later_report_id), \
            cross_agency = ((SELECT reporting_agency_id FROM reports WHERE reports.id = report_links.earlier_report_id) \(different) \
            (SELECT reporting_agency_id FROM reports WHERE reports.id = report_links.later_report_id))
            """).run()
        try await sql.create(index: "report_links_later_received").on("report_links")
            .column("later_received_at").column("cross_agency").column("later_report_id").run()
        try await sql.create(index: "report_links_earlier_received").on("report_links")
            .column("earlier_received_at").column("earlier_report_id").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "report_links_later_received").run()
            try await sql.drop(index: "report_links_earlier_received").run()
        }
        for field in ["earlier_received_at", "later_received_at", "cross_agency"] {
            try await db.schema("report_links").deleteField(.string(field)).update()
        }
    }
}
