import FluentKit

/// Released migrations are never edited: a change is a new migration. Tables are named by
/// string, not by a model, so a later change to a model cannot change what this one did.
///
/// `retention_schedule` (one row per kind of record an administrator has set: its period, the
/// reason, who set it and when) and `retention_runs` (each run of the schedule: when, by whom or
/// what, how it ended and what it removed, in counts).
struct CreateRetention: AsyncMigration {
    var name: String { "028_create_retention" }
    func prepare(on db: any Database) async throws {
        try await db.schema("retention_schedule")
            .field("kind", .string, .identifier(auto: false))
            .field("amount", .int, .required)
            .field("unit", .string, .required)
            .field("reason", .string, .required)
            .field("set_by_id", .uuid, .references("users", .id))
            .field("set_by", .string, .required)
            .field("set_at", .datetime, .required)
            .create()
        try await db.schema("retention_runs")
            .id()
            .field("source", .string, .required)
            .field("actor", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("outcome", .string, .required)
            .field("summary", .string, .required)
            .create()
        try await db.sqlDatabase().create(index: "retention_runs_started_at").on("retention_runs").column("started_at").run()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("retention_runs").delete()
        try await db.schema("retention_schedule").delete()
    }
}
