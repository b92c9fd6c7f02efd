import CairnCore
import FluentKit
import Foundation
import SQLKit

// Released: its name and effect never change. It names tables and columns as strings, never
// through a model, so later changes to a model cannot change what it does.

/// The checklists, seeded with the published lists Cairn ships; administrators edit them later.
struct CreateIndicatorItems: AsyncMigration {
    var name: String { "009_create_indicator_items" }
    func prepare(on db: any Database) async throws {
        try await db.schema("indicator_items")
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
        let sql = try db.sqlDatabase()
        let now = Date()
        for indicator in IndicatorCatalogue.standard.items {
            try await sql.insert(into: "indicator_items")
                .columns("id", "indicator_id", "version", "list", "dimension", "text", "retired", "created_at")
                .values(SQLBind(UUID()), SQLBind(indicator.id), SQLBind(indicator.version), SQLBind(indicator.list.rawValue),
                        SQLBind(indicator.dimension.rawValue), SQLBind(indicator.text), SQLBind(indicator.retired), SQLBind(now))
                .run()
        }
    }
    func revert(on db: any Database) async throws { try await db.schema("indicator_items").delete() }
}
