import FluentKit
import Foundation
import SQLKit

/// `link_networks`: each network's size and the sources of its reports, filled from the
/// networks stored before it existed. What it reads of reports is written here as that table
/// was then, not through live models or reads.
struct CreateLinkNetworks: AsyncMigration {
    var name: String { "015_create_link_networks" }
    func prepare(on db: any Database) async throws {
        try await db.schema("link_networks")
            .field("network_id", .uuid, .identifier(auto: false))
            .field("reports", .int, .required)
            .field("sources", .string, .required)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        var members: [(report: UUID, network: UUID)] = []
        var sources: [UUID: String] = [:]
        for row in try await sql.select()
            .column(SQLColumn("report_id", table: "report_networks"), as: "report_id")
            .column(SQLColumn("network_id", table: "report_networks"), as: "network_id")
            .column(SQLColumn("reporting_agency_id", table: "reports"), as: "agency")
            .from("report_networks")
            .join("reports", on: SQLColumn("id", table: "reports"), .equal, SQLColumn("report_id", table: "report_networks"))
            .all() {
            let report = try row.decode(column: "report_id", as: UUID.self)
            members.append((report, try row.decode(column: "network_id", as: UUID.self)))
            sources[report] = try row.decode(column: "agency", as: UUID?.self)?.uuidString ?? "public"
        }
        try await SQLRows.insert(into: "link_networks", columns: ["network_id", "reports", "sources"],
                                 rows: ReportLinker.networkSummaries(members, sources: sources), on: sql)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("link_networks").delete()
    }
}
