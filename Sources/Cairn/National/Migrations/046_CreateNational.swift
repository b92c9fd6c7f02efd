import FluentKit
import Foundation

/// A national instance's tables: the partnerships it registers with their public keys
/// (`national_partnerships`), the releases it accepted exactly as signed
/// (`national_releases`; one per partnership and place in its chain), and each
/// partnership-year's attacker check over everything it published (`national_checks`).
/// Only published cells are ever stored.
struct CreateNational: AsyncMigration {
    var name: String { "046_create_national" }
    func prepare(on db: any Database) async throws {
        try await db.schema("national_partnerships")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("region", .string, .required)
            .field("public_key", .string, .required)
            .field("registered_at", .datetime, .required)
            .create()
        try await db.schema("national_releases")
            .id()
            .field("partnership_id", .string, .required, .references("national_partnerships", "id"))
            .field("sequence", .int, .required)
            .field("release_id", .string, .required)
            .field("period", .string, .required)
            .field("method", .string, .required)
            .field("revises", .string)
            .field("hash", .string, .required)
            .field("previous", .string)
            .field("body", .string, .required)
            .field("received_at", .datetime, .required)
            .unique(on: "partnership_id", "sequence")
            .unique(on: "hash")
            .create()
        try await db.schema("national_checks")
            .field("id", .string, .identifier(auto: false))
            .field("partnership_id", .string, .required, .references("national_partnerships", "id"))
            .field("year", .string, .required)
            .field("findings", .string, .required)
            .field("checked_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("national_checks").delete()
        try await db.schema("national_releases").delete()
        try await db.schema("national_partnerships").delete()
    }
}
