import FluentKit
import Foundation

/// Board reports the coordinator has issued (`plan_board_reports`): the period and a snapshot of
/// its headline figures and plan progress, so the next report can say what changed since.
/// Tables are named as strings: a migration must not change when a model does.
struct CreateBoardReports: AsyncMigration {
    var name: String { "030_create_board_reports" }
    func prepare(on db: any Database) async throws {
        try await db.schema("plan_board_reports")
            .id()
            .field("first_month", .string, .required)
            .field("last_month", .string, .required)
            .field("snapshot", .string, .required)
            .field("issued_by_id", .uuid, .required, .references("users", .id))
            .field("issued_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("plan_board_reports").delete()
    }
}
