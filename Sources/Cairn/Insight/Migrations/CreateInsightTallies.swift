import FluentKit
import Foundation

/// The insight dashboard's kept counts (`insight_tallies`: one row per filter and ended day or
/// month, see `InsightTally`), the moment changes to older reports were last looked for
/// (`insight_state`). The indexes that find those changes are Reports' (`AddReportChangeIndexes`).
struct CreateInsightTallies: AsyncMigration {
    var name: String { "033_create_insight_tallies" }
    func prepare(on db: any Database) async throws {
        try await db.schema("insight_tallies")
            .field("filter_key", .string, .required)
            .field("period", .string, .required)
            .field("tally", .string, .required)
            .field("computed_at", .datetime, .required)
            .unique(on: "filter_key", "period")
            .create()
        try await db.schema("insight_state")
            .field("name", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("insight_state").delete()
        try await db.schema("insight_tallies").delete()
    }
}
