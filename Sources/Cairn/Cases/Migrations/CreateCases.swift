import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The case, who the survivor is, and the case team (`cases`, `case_identities`, `case_team`).
/// Tables are named as strings: a migration must not change when a model does.
struct CreateCases: AsyncMigration {
    var name: String { "010_create_cases" }
    func prepare(on db: any Database) async throws {
        try await db.schema("cases")
            .id()
            .field("code", .string, .required)
            .field("chosen_name", .string, .required)
            .field("status", .string, .required)
            .field("risk_level", .string, .required)
            .field("interpreter_needed", .bool, .required)
            .field("language", .string, .required)
            .field("account", .string, .required)
            .field("lead_agency_id", .uuid, .required, .references("agencies", .id))
            .field("report_id", .uuid, .references("reports", .id))
            .field("opened_at", .datetime, .required)
            .field("opened_by_id", .uuid, .required, .references("users", .id))
            .field("closed_at", .datetime)
            .field("closure_reason", .string)
            .field("follow_up_plan", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .create()
        try await db.schema("case_identities")
            .id()
            .field("case_id", .uuid, .required, .references("cases", .id, onDelete: .cascade))
            .field("legal_name", .string, .required)
            .field("date_of_birth", .string, .required)
            .field("nationality", .string, .required)
            .field("languages", .string, .required)
            .field("contact", .string, .required)
            .unique(on: "case_id")
            .create()
        try await db.schema("case_team")
            .id()
            .field("case_id", .uuid, .required, .references("cases", .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", .id))
            .field("added_at", .datetime, .required)
            .field("added_by_id", .uuid)
            .unique(on: "case_id", "user_id")
            .create()
        try await db.sqlDatabase().create(index: "case_team_user_id").on("case_team").column("user_id").run()
    }

    func revert(on db: any Database) async throws {
        for schema in ["case_team", "case_identities", "cases"] { try await db.schema(schema).delete() }
    }
}
