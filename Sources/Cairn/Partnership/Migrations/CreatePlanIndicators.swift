import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The plan's logic model and indicators: per goal, activities → outputs → outcomes
/// (`plan_logic_items`); indicators (`plan_indicators`: the partnership's own, entered each
/// period, and its baseline and target for each computed one, keyed by the computed key);
/// entered values (`plan_indicator_values`); and which actions each indicator measures
/// (`plan_action_indicators`).
/// Tables are named as strings: a migration must not change when a model does.
struct CreatePlanIndicators: AsyncMigration {
    var name: String { "029_create_plan_indicators" }
    func prepare(on db: any Database) async throws {
        try await db.schema("plan_logic_items")
            .id()
            .field("goal_id", .uuid, .required, .references("plan_goals", .id, onDelete: .cascade))
            .field("stage", .string, .required)
            .field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("plan_indicators")
            .id()
            .field("key", .string, .required)
            .field("computed", .bool, .required)
            .field("name", .string, .required)
            .field("definition", .string, .required)
            .field("unit", .string, .required)
            .field("direction", .string, .required)
            .field("frequency", .string, .required)
            .field("source", .string, .required)
            .field("baseline", .double)
            .field("target", .double)
            .field("logic_item_id", .uuid, .references("plan_logic_items", .id, onDelete: .setNull))
            .field("updated_by_id", .uuid, .required, .references("users", .id))
            .field("updated_at", .datetime, .required)
            .unique(on: "key")
            .create()
        try await db.schema("plan_indicator_values")
            .id()
            .field("indicator_id", .uuid, .required, .references("plan_indicators", .id, onDelete: .cascade))
            .field("period", .string, .required)
            .field("value", .double, .required)
            .field("entered_by_id", .uuid, .required, .references("users", .id))
            .field("entered_at", .datetime, .required)
            .unique(on: "indicator_id", "period")
            .create()
        try await db.schema("plan_action_indicators")
            .field("action_id", .uuid, .required, .references("plan_actions", .id, onDelete: .cascade))
            .field("indicator_key", .string, .required)
            .unique(on: "action_id", "indicator_key")
            .create()
        let sql = try db.sqlDatabase()
        try await sql.create(index: "plan_logic_items_goal").on("plan_logic_items").column("goal_id").run()
        try await sql.create(index: "plan_action_indicators_key").on("plan_action_indicators").column("indicator_key").run()
        // The computed indicators count reports by month of receipt and referrals by month sent.
        try await sql.create(index: "referrals_created_at").on("referrals").column("created_at").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["plan_action_indicators", "plan_indicator_values", "plan_indicators", "plan_logic_items"] {
            try await db.schema(table).delete()
        }
        try await db.sqlDatabase().drop(index: "referrals_created_at").run()
    }
}
