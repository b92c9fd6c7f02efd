import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The self-assessment against the public-health framework: rounds (`assessment_rounds`, e.g.
/// one a year, open until a coordinator closes them) and each agency's rating of each assessed
/// principle and factor in a round (`assessment_ratings`, one per round, agency and factor).
/// Tables are named as strings: a migration must not change when a model does.
struct CreateSelfAssessment: AsyncMigration {
    var name: String { "024_create_self_assessment" }
    func prepare(on db: any Database) async throws {
        try await db.schema("assessment_rounds")
            .id()
            .field("name", .string, .required)
            // Lower-cased and trimmed: two rounds may not share a name.
            .field("name_key", .string, .required)
            .field("opens_on", .string, .required)
            .field("closes_by", .string, .required)
            .field("opened_by_id", .uuid, .required, .references("users", .id))
            .field("closed_at", .datetime)
            .field("closed_by_id", .uuid, .references("users", .id))
            // 1 while the round is open, NULL once closed: the unique index lets one round be
            // open at a time, whichever instance opens it (NULLs are never equal).
            .field("open_slot", .int)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name_key")
            .unique(on: "open_slot")
            .create()
        try await db.schema("assessment_ratings")
            .id()
            .field("round_id", .uuid, .required, .references("assessment_rounds", .id, onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", .id))
            .field("factor", .string, .required)
            .field("level", .int, .required)
            .field("evidence", .string, .required)
            .field("evidence_link", .string, .required)
            .field("comment", .string, .required)
            .field("rated_by_id", .uuid, .required, .references("users", .id))
            .field("rated_at", .datetime, .required)
            .unique(on: "round_id", "agency_id", "factor")
            .create()
        let sql = try db.sqlDatabase()
        try await sql.create(index: "assessment_rounds_opens_on").on("assessment_rounds").column("opens_on").run()
        try await sql.create(index: "assessment_ratings_agency").on("assessment_ratings").column("agency_id").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["assessment_ratings", "assessment_rounds"] {
            try await db.schema(table).delete()
        }
    }
}
