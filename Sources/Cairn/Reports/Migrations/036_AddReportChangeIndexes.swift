import FluentKit
import SQLKit

/// Indexes to find reports and referrals changed since a moment (`updated_at`), so the insight
/// dashboard can tell which kept counts no longer hold without walking a million reports.
/// (Referrals by when they were made already have one, from 029.)
struct AddReportChangeIndexes: AsyncMigration {
    var name: String { "036_add_report_change_indexes" }
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "reports_updated_at").on("reports").column("updated_at").run()
        try await sql.create(index: "referrals_updated_at").on("referrals").column("updated_at").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in ["reports_updated_at", "referrals_updated_at"] {
            try await sql.drop(index: index).run()
        }
    }
}
