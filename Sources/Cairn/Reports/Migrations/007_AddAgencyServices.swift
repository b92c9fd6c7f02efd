import FluentKit
import Foundation
import SQLKit

// Released: its name and effect never change. It names tables and columns as strings, never
// through a model, so later changes to a model cannot change what it does.

/// The partner services an agency provides (children's services, housing, police…), so
/// routing can name an agency rather than a type.
struct AddAgencyServices: AsyncMigration {
    var name: String { "007_add_agency_services" }
    func prepare(on db: any Database) async throws {
        try await db.schema("agencies").field("services", .string, .required, .sql(.default(""))).update()
    }
    func revert(on db: any Database) async throws { try await db.schema("agencies").deleteField("services").update() }
}
