import FluentKit
import SQLKit

/// Training: courses, their sessions, attendance counts, registers of named attendees and
/// anonymous confidence answer sheets. Tables are named as strings: a migration must not
/// change when a model does.
struct CreateTraining: AsyncMigration {
    var name: String { "037_create_training" }
    func prepare(on db: any Database) async throws {
        try await db.schema("training_courses")
            .id()
            .field("title", .string, .required)
            .field("topics", .string, .required)
            .field("sectors", .string, .required)
            .field("outcomes", .string, .required)
            .field("duration_minutes", .int, .required)
            .field("plan_action_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("training_sessions")
            .id()
            .field("course_id", .uuid, .required, .references("training_courses", .id))
            .field("held_on", .string, .required)
            .field("trainer_agency_id", .uuid, .required, .references("agencies", .id))
            .field("delivery", .string, .required)
            .field("area", .string, .required)
            .field("language", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("training_attendance")
            .id()
            .field("session_id", .uuid, .required, .references("training_sessions", .id, onDelete: .cascade))
            .field("sector", .string, .required)
            .field("agency", .string, .required)
            .field("people", .int, .required)
            .create()
        try await db.schema("training_attendees")
            .id()
            .field("session_id", .uuid, .required, .references("training_sessions", .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("agency", .string, .required)
            .field("email", .string, .required)
            .field("sector", .string, .required)
            .field("person_key", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "session_id", "person_key")
            .create()
        try await db.schema("training_responses")
            .id()
            .field("session_id", .uuid, .required, .references("training_sessions", .id, onDelete: .cascade))
            .field("phase", .string, .required)
            .field("pair", .int, .required)
            .field("recognise_signs", .int, .required)
            .field("how_to_report", .int, .required)
            .field("after_reporting", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "session_id", "phase", "pair")
            .create()
        let sql = try db.sqlDatabase()
        try await sql.create(index: "training_sessions_held").on("training_sessions").column("held_on").run()
        try await sql.create(index: "training_sessions_course").on("training_sessions").column("course_id").run()
        try await sql.create(index: "training_attendance_session").on("training_attendance").column("session_id").run()
        try await sql.create(index: "training_attendees_person").on("training_attendees").column("person_key").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["training_responses", "training_attendees", "training_attendance", "training_sessions", "training_courses"] {
            try await db.schema(table).delete()
        }
    }
}
