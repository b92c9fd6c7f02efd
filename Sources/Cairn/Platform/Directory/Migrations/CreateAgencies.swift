import FluentKit

/// Released migrations are never edited: a change is a new migration. Tables are named by
/// string, not by a model, so a later change to a model cannot change what this one did.
struct CreateAgencies: AsyncMigration {
    var name: String { "001_create_agencies" }
    func prepare(on db: any Database) async throws {
        try await db.schema("agencies")
            .id()
            .field("name", .string, .required)
            .field("type", .string, .required)
            .field("first_responder", .bool, .required)
            .field("area", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("agencies").delete() }
}
