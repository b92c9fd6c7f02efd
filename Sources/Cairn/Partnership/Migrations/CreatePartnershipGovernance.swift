import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The partnership's members and governance: each member agency's role and named contacts
/// (`partnership_members`, `partnership_contacts`), the board, its sub-groups and the sector
/// networks with their members (`partnership_groups`, `partnership_group_members`), meetings with
/// attendance, papers and decisions, and the action log (`governance_actions`).
/// Tables are named as strings: a migration must not change when a model does.
struct CreatePartnershipGovernance: AsyncMigration {
    var name: String { "022_create_partnership_governance" }
    func prepare(on db: any Database) async throws {
        try await db.schema("partnership_members")
            .id()
            .field("agency_id", .uuid, .required, .references("agencies", .id))
            .field("role", .string, .required)
            .field("joined_on", .string, .required)
            // Set when the agency leaves: the record stays, so past meetings still name it.
            .field("left_on", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "agency_id")
            .create()
        try await db.schema("partnership_contacts")
            .id()
            .field("member_id", .uuid, .required, .references("partnership_members", .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("partnership_groups")
            .id()
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("terms", .string, .required)
            .field("chair_agency_id", .uuid, .references("agencies", .id))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("partnership_group_members")
            .id()
            .field("group_id", .uuid, .required, .references("partnership_groups", .id, onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", .id))
            .unique(on: "group_id", "agency_id")
            .create()
        try await db.schema("partnership_meetings")
            .id()
            .field("group_id", .uuid, .required, .references("partnership_groups", .id))
            .field("held_on", .string, .required)
            .field("title", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("partnership_meeting_attendance")
            .id()
            .field("meeting_id", .uuid, .required, .references("partnership_meetings", .id, onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", .id))
            .field("status", .string, .required)
            .unique(on: "meeting_id", "agency_id")
            .create()
        // Papers and decisions, in the order the meeting took them.
        try await db.schema("partnership_meeting_items")
            .id()
            .field("meeting_id", .uuid, .required, .references("partnership_meetings", .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("position", .int, .required)
            .field("text", .string, .required)
            .field("url", .string, .required)
            .create()
        try await db.schema("governance_actions")
            .id()
            .field("meeting_id", .uuid, .required, .references("partnership_meetings", .id))
            .field("text", .string, .required)
            .field("owner_agency_id", .uuid, .required, .references("agencies", .id))
            .field("due_on", .string, .required)
            .field("status", .string, .required)
            .field("done_on", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = try db.sqlDatabase()
        try await sql.create(index: "partnership_contacts_member").on("partnership_contacts").column("member_id").run()
        try await sql.create(index: "partnership_group_members_agency").on("partnership_group_members").column("agency_id").run()
        try await sql.create(index: "partnership_meetings_held").on("partnership_meetings").column("held_on").run()
        try await sql.create(index: "partnership_meetings_group").on("partnership_meetings").column("group_id").column("held_on").run()
        try await sql.create(index: "partnership_meeting_items_meeting").on("partnership_meeting_items").column("meeting_id").column("position").run()
        try await sql.create(index: "governance_actions_due").on("governance_actions").column("status").column("due_on").run()
        try await sql.create(index: "governance_actions_meeting").on("governance_actions").column("meeting_id").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["governance_actions", "partnership_meeting_items", "partnership_meeting_attendance", "partnership_meetings",
                      "partnership_group_members", "partnership_groups", "partnership_contacts", "partnership_members"] {
            try await db.schema(table).delete()
        }
    }
}
