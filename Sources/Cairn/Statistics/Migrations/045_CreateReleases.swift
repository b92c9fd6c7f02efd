import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Statistical releases (`statistics_releases`): a definition, the cells computed for it, the
/// true counts behind them (kept for later attacker checks, never published), the check's
/// result, and once approved its place in the signed chain. The privacy budget: one row a
/// year (`privacy_budgets`, spent in millionths) and one ledger row per spend
/// (`privacy_spends`). The partnership's signing key (`release_keys`, one row).
struct CreateReleases: AsyncMigration {
    var name: String { "045_create_releases" }
    func prepare(on db: any Database) async throws {
        try await db.schema("statistics_releases")
            .id()
            .field("period", .string, .required)
            .field("method", .string, .required)
            .field("definition", .string, .required)
            .field("status", .string, .required)
            .field("revises_id", .uuid, .references("statistics_releases", .id))
            .field("revision_note", .string, .required)
            .field("cells", .string)
            .field("truth", .string)
            .field("check_result", .string)
            .field("safe", .bool, .required)
            .field("created_by_id", .uuid, .required, .references("users", .id))
            .field("created_at", .datetime, .required)
            .field("proposed_at", .datetime)
            .field("approved_by_id", .uuid, .references("users", .id))
            .field("approved_at", .datetime)
            .field("sequence", .int)
            .field("hash", .string)
            .field("signed", .string)
            .unique(on: "sequence")
            .create()
        try await db.schema("privacy_budgets")
            .field("year", .int, .identifier(auto: false))
            .field("measure", .string, .required)
            .field("spent_micros", .int64, .required)
            .create()
        try await db.schema("privacy_spends")
            .id()
            .field("year", .int, .required)
            .field("release_id", .uuid, .required, .references("statistics_releases", .id))
            .field("measure", .string, .required)
            .field("micros", .int64, .required)
            .field("spent_at", .datetime, .required)
            .create()
        try await db.schema("release_keys")
            .field("slot", .int, .identifier(auto: false))
            .field("public_key", .string, .required)
            .field("private_key", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("release_keys").delete()
        try await db.schema("privacy_spends").delete()
        try await db.schema("privacy_budgets").delete()
        try await db.schema("statistics_releases").delete()
    }
}
