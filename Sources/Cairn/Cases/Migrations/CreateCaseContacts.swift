import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The contact log (`case_contacts`).
/// Tables are named as strings: a migration must not change when a model does.
struct CreateCaseContacts: AsyncMigration {
    var name: String { "013_create_case_contacts" }
    func prepare(on db: any Database) async throws {
        try await db.schema("case_contacts")
            .id()
            .field("case_id", .uuid, .required, .references("cases", .id, onDelete: .cascade))
            .field("planned_on", .string, .required)
            .field("method", .string, .required)
            .field("status", .string, .required)
            .field("note", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references("users", .id))
            .field("updated_at", .datetime, .required)
            .create()
        try await db.sqlDatabase().create(index: "case_contacts_case").on("case_contacts").column("case_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("case_contacts").delete()
    }
}
