import FluentKit
import FluentSQL

/// `cases.anonymised_at`: when the retention schedule anonymised the closed case (null until then);
/// and an index on `report_id`, which the schedule reads to keep the reports cases came from.
/// Tables are named as strings: a migration must not change when a model does.
struct AddCaseRetention: AsyncMigration {
    var name: String { "026_add_case_retention" }
    func prepare(on db: any Database) async throws {
        try await db.schema("cases").field("anonymised_at", .datetime).update()
        try await db.sqlDatabase().create(index: "cases_report_id").on("cases").column("report_id").run()
    }
    func revert(on db: any Database) async throws {
        try await db.sqlDatabase().drop(index: "cases_report_id").run()
        try await db.schema("cases").deleteField("anonymised_at").update()
    }
}
