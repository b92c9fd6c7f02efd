import CairnCore
import FluentKit
import Foundation
import FluentSQL
import SQLKit

/// The partner services an agency provides (children's services, housing, police…), so
/// routing can name an agency rather than a type.
struct AddAgencyServices: AsyncMigration {
    var name: String { "007_add_agency_services" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Agency.schema).field("services", .string, .required, .sql(.default(""))).update()
    }
    func revert(on db: any Database) async throws { try await db.schema(Agency.schema).deleteField("services").update() }
}

struct CreateReports: AsyncMigration {
    var name: String { "008_create_reports" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Report.schema)
            .id()
            .field("reference", .string, .required)
            .field("passphrase_hash", .string)
            .field("source", .string, .required)
            .field("language", .string, .required)
            .field("status", .string, .required)
            .field("urgency", .string, .required)
            .field("triage_rules", .string, .required)
            .field("routing_explanation", .string, .required)
            .field("danger_now", .bool, .required)
            .field("age_group", .string, .required)
            .field("exploitation_types", .string, .required)
            .field("county_lines", .bool, .required)
            .field("labour_sector", .string)
            .field("classified", .bool, .required)
            .field("description", .string, .required)
            .field("location", .string, .required)
            .field("postcode", .string)
            .field("postcode_district", .string)
            .field("occurred", .string, .required)
            .field("people_text", .string, .required)
            .field("vehicles_text", .string, .required)
            .field("phones_text", .string, .required)
            .field("businesses_text", .string, .required)
            .field("websites_text", .string, .required)
            .field("reporter_type", .string, .required)
            .field("anonymous", .bool, .required)
            .field("contact_name", .string)
            .field("contact_phone", .string)
            .field("contact_email", .string)
            .field("contact_best_time", .string)
            .field("created_by_id", .uuid, .references(User.schema, .id))
            .field("reporting_agency_id", .uuid, .references(Agency.schema, .id))
            .field("assigned_agency_id", .uuid, .references(Agency.schema, .id))
            .field("received_at", .datetime, .required)
            .field("due_at", .datetime, .required)
            .field("responded_at", .datetime)
            .field("closed_at", .datetime)
            .field("outcome", .string)
            .field("outcome_date", .string)
            .field("outcome_note", .string)
            .field("idempotency_key", .string)
            .field("request_fingerprint", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "reference")
            .unique(on: "idempotency_key")
            .create()
        let sql = try db.sqlDatabase()
        for column in ["status", "assigned_agency_id", "reporting_agency_id", "received_at", "due_at", "postcode_district"] {
            try await sql.create(index: "reports_\(column)").on(Report.schema).column(column).run()
        }

        try await db.schema(ReportIndicator.schema)
            .id()
            .field("report_id", .uuid, .required, .references(Report.schema, .id, onDelete: .cascade))
            .field("indicator_id", .string, .required)
            .field("indicator_version", .int, .required)
            .field("knowledge", .string, .required)
            .create()
        try await sql.create(index: "report_indicators_report_id").on(ReportIndicator.schema).column("report_id").run()

        try await db.schema(ReportMention.schema)
            .id()
            .field("report_id", .uuid, .required, .references(Report.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("normalised", .string)
            .field("aliases", .string, .required)
            .field("date_of_birth", .string, .required)
            .field("age", .string, .required)
            .field("nationality", .string, .required)
            .field("postcode", .string)
            .create()
        try await sql.create(index: "report_mentions_report_id").on(ReportMention.schema).column("report_id").run()
        try await sql.create(index: "report_mentions_kind_normalised").on(ReportMention.schema).column("kind").column("normalised").run()

        try await db.schema(ReportEvent.schema)
            .id()
            .field("report_id", .uuid, .required, .references(Report.schema, .id, onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("agency_id", .uuid)
            .field("action", .string, .required)
            .field("from_status", .string, .required)
            .field("to_status", .string, .required)
            .field("note", .string, .required)
            .create()
        try await sql.create(index: "report_events_report_id").on(ReportEvent.schema).column("report_id").run()

        try await db.schema(Referral.schema)
            .id()
            .field("report_id", .uuid, .required, .references(Report.schema, .id, onDelete: .cascade))
            .field("from_agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("to_agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("status", .string, .required)
            .field("shared", .string, .required)
            .field("request", .string, .required)
            .field("response", .string, .required)
            .field("created_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await sql.create(index: "referrals_report_id").on(Referral.schema).column("report_id").run()
        try await sql.create(index: "referrals_to_agency_id").on(Referral.schema).column("to_agency_id").run()
    }

    func revert(on db: any Database) async throws {
        for schema in [Referral.schema, ReportEvent.schema, ReportMention.schema, ReportIndicator.schema, Report.schema] {
            try await db.schema(schema).delete()
        }
    }
}

/// The checklists, seeded with the published lists Cairn ships; administrators edit them later.
struct CreateIndicatorItems: AsyncMigration {
    var name: String { "009_create_indicator_items" }
    func prepare(on db: any Database) async throws {
        try await db.schema(IndicatorItem.schema)
            .id()
            .field("indicator_id", .string, .required)
            .field("version", .int, .required)
            .field("list", .string, .required)
            .field("dimension", .string, .required)
            .field("text", .string, .required)
            .field("retired", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "indicator_id", "version")
            .create()
        let now = Date()
        for indicator in IndicatorCatalogue.standard.items {
            try await IndicatorItem(indicator, at: now).create(on: db)
        }
    }
    func revert(on db: any Database) async throws { try await db.schema(IndicatorItem.schema).delete() }
}
