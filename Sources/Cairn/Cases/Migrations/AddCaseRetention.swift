import FluentKit
import FluentSQL

/// `cases.anonymised_at`: when the retention schedule anonymised the closed case (null until then).
/// Tables are named as strings: a migration must not change when a model does.
struct AddCaseRetention: AsyncMigration {
    var name: String { "022_add_case_retention" }
    func prepare(on db: any Database) async throws {
        try await db.schema("cases").field("anonymised_at", .datetime).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("cases").deleteField("anonymised_at").update()
    }
}
