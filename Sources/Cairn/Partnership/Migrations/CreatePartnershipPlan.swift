import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The partnership's plan: shared goals (`plan_goals`), actions on the prevention pathways
/// (`plan_actions`, with the framework factors each addresses in `plan_action_factors`) and each
/// action's dated status updates (`plan_action_updates`).
/// Tables are named as strings: a migration must not change when a model does.
struct CreatePartnershipPlan: AsyncMigration {
    var name: String { "021_create_partnership_plan" }
    func prepare(on db: any Database) async throws {
        try await db.schema("plan_goals")
            .id()
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("position", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("plan_actions")
            .id()
            .field("goal_id", .uuid, .required, .references("plan_goals", .id))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("pathway", .string, .required)
            .field("level", .string, .required)
            .field("strand", .string, .required)
            .field("owner_agency_id", .uuid, .required, .references("agencies", .id))
            .field("lead", .string, .required)
            .field("starts_on", .string, .required)
            .field("due_on", .string, .required)
            .field("status", .string, .required)
            .field("lived_experience", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("plan_action_factors")
            .id()
            .field("action_id", .uuid, .required, .references("plan_actions", .id, onDelete: .cascade))
            .field("factor", .string, .required)
            .unique(on: "action_id", "factor")
            .create()
        try await db.schema("plan_action_updates")
            .id()
            .field("action_id", .uuid, .required, .references("plan_actions", .id, onDelete: .cascade))
            .field("status", .string, .required)
            .field("note", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references("users", .id))
            .field("recorded_at", .datetime, .required)
            .create()
        let sql = try db.sqlDatabase()
        try await sql.create(index: "plan_actions_goal").on("plan_actions").column("goal_id").run()
        try await sql.create(index: "plan_actions_cell").on("plan_actions").column("pathway").column("level").run()
        try await sql.create(index: "plan_action_factors_factor").on("plan_action_factors").column("factor").run()
        try await sql.create(index: "plan_action_updates_action").on("plan_action_updates").column("action_id").column("recorded_at").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["plan_action_updates", "plan_action_factors", "plan_actions", "plan_goals"] {
            try await db.schema(table).delete()
        }
    }
}
