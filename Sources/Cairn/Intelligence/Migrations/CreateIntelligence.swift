import FluentKit
import SQLKit

/// Links, person clusters, networks, analysts' feedback, the linkage's stored model, alerts and
/// graded intelligence items. Tables are named as they were when this ran, not through the
/// models, so later changes to a model cannot change what this migration did.
struct CreateIntelligence: AsyncMigration {
    var name: String { "012_create_intelligence" }
    func prepare(on db: any Database) async throws {
        let sql = try db.sqlDatabase()
        try await db.schema("report_links")
            .id()
            .field("earlier_report_id", .uuid, .required, .references("reports", .id, onDelete: .cascade))
            .field("later_report_id", .uuid, .required, .references("reports", .id, onDelete: .cascade))
            .field("probability", .double, .required)
            .field("summary", .string, .required)
            .field("reasons", .string, .required)
            .field("created_at", .datetime, .required)
            .field("confirmed_by_id", .uuid, .references("users", .id))
            .unique(on: "earlier_report_id", "later_report_id")
            .create()
        try await sql.create(index: "report_links_later").on("report_links").column("later_report_id").run()
        try await db.schema("link_person_clusters")
            .field("mention_id", .uuid, .identifier(auto: false), .references("report_mentions", .id, onDelete: .cascade))
            .field("report_id", .uuid, .required, .references("reports", .id, onDelete: .cascade))
            .field("cluster_id", .uuid, .required)
            .create()
        try await sql.create(index: "link_person_clusters_cluster").on("link_person_clusters").column("cluster_id").run()
        try await db.schema("report_networks")
            .field("report_id", .uuid, .identifier(auto: false), .references("reports", .id, onDelete: .cascade))
            .field("network_id", .uuid, .required)
            .create()
        try await sql.create(index: "report_networks_network").on("report_networks").column("network_id").run()
        try await db.schema("link_feedback")
            .id()
            .field("decision", .string, .required)
            .field("left_mention_id", .uuid, .required)
            .field("right_mention_id", .uuid, .required)
            .field("actor_id", .uuid, .required, .references("users", .id))
            .field("note", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await db.schema("link_state")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("intelligence_alerts")
            .id()
            .field("network_id", .uuid, .required)
            .field("report_id", .uuid, .required, .references("reports", .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("message", .string, .required)
            .field("created_at", .datetime, .required)
            .field("dismissed_at", .datetime)
            .field("dismissed_by_id", .uuid, .references("users", .id))
            .create()
        try await db.schema("intelligence_items")
            .id()
            .field("reference", .string, .required)
            .field("report_id", .uuid, .references("reports", .id))
            .field("title", .string, .required)
            .field("content", .string, .required)
            .field("sanitised", .string, .required)
            .field("source_evaluation", .string)
            .field("assessment", .string)
            .field("handling", .string)
            .field("conditions", .string)
            .field("legacy_grading", .string)
            .field("approved_agencies", .string, .required)
            .field("originator_agency_id", .uuid, .required, .references("agencies", .id))
            .field("author_id", .uuid, .required, .references("users", .id))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "reference")
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in ["intelligence_items", "intelligence_alerts", "link_state", "link_feedback", "report_networks",
                       "link_person_clusters", "report_links"] {
            try await db.schema(schema).delete()
        }
    }
}
