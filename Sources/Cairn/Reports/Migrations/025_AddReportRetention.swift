import FluentKit
import SQLKit

// Released: its name and effect never change. It names tables and columns as strings, never
// through a model, so later changes to a model cannot change what it does.

/// `reports.anonymised_at`: when the retention schedule anonymised the report (null until then),
/// and an index on `(closed_at, id)`, which the schedule's look-ups for due reports read in order.
struct AddReportRetention: AsyncMigration {
    var name: String { "025_add_report_retention" }
    func prepare(on db: any Database) async throws {
        try await db.schema("reports").field("anonymised_at", .datetime).update()
        try await db.sqlDatabase().create(index: "reports_closed_at").on("reports").column("closed_at").column("id").run()
    }
    func revert(on db: any Database) async throws {
        try await db.sqlDatabase().drop(index: "reports_closed_at").run()
        try await db.schema("reports").deleteField("anonymised_at").update()
    }
}
