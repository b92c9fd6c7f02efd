import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Information-sharing agreements (`sharing_agreements`, with their parties in
/// `sharing_agreement_parties`) and the count of shares no agreement in force covered
/// (`uncovered_shares`: the day, the kind of share and the two agencies, never what was shared
/// or about whom). Tables are named as strings: a migration must not change when a model does.
struct CreateSharingAgreements: AsyncMigration {
    var name: String { "023_create_sharing_agreements" }
    func prepare(on db: any Database) async throws {
        try await db.schema("sharing_agreements")
            .id()
            .field("title", .string, .required)
            .field("purpose", .string, .required)
            // Comma-separated `SharedDataCategory` raw values.
            .field("categories", .string, .required)
            .field("lawful_basis", .string, .required)
            .field("special_condition", .string)
            .field("signed_on", .string, .required)
            .field("review_on", .string, .required)
            .field("reviewed_on", .string)
            .field("document_title", .string, .required)
            .field("document_url", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("sharing_agreement_parties")
            .id()
            .field("agreement_id", .uuid, .required, .references("sharing_agreements", .id, onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", .id))
            .unique(on: "agreement_id", "agency_id")
            .create()
        try await db.schema("uncovered_shares")
            .id()
            .field("shared_on", .string, .required)
            .field("kind", .string, .required)
            .field("from_agency_id", .uuid, .required, .references("agencies", .id))
            .field("to_agency_id", .uuid, .required, .references("agencies", .id))
            // Comma-separated `SharedDataCategory` raw values no agreement covered.
            .field("categories", .string, .required)
            .create()
        let sql = try db.sqlDatabase()
        try await sql.create(index: "sharing_agreement_parties_agency").on("sharing_agreement_parties").column("agency_id").run()
        try await sql.create(index: "uncovered_shares_day").on("uncovered_shares").column("shared_on").column("kind").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["uncovered_shares", "sharing_agreement_parties", "sharing_agreements"] {
            try await db.schema(table).delete()
        }
    }
}
