import FluentKit
import Foundation

/// Computed indicators' figures for months that have ended (`indicator_figures`), kept for a
/// few minutes so pages over a large partnership's records answer quickly on every instance.
/// One row per indicator and bucket (a month, or a board report's whole period).
struct CreateIndicatorFigures: AsyncMigration {
    var name: String { "031_create_indicator_figures" }
    func prepare(on db: any Database) async throws {
        try await db.schema("indicator_figures")
            .field("indicator_key", .string, .required)
            .field("bucket", .string, .required)
            .field("figure", .string, .required)
            .field("computed_at", .datetime, .required)
            .unique(on: "indicator_key", "bucket")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("indicator_figures").delete()
    }
}
