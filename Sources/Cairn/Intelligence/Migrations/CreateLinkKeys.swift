import CairnCore
import FluentKit
import Foundation
import SQLKit

/// `link_keys`: each identifier value's first and latest mention and how many reports have it,
/// filled from the reports stored before it existed. What it reads of reports and their
/// mentions is written here as those tables were then, not through live models or reads; the
/// values are keyed and grouped by the linker's own (pure) rules.
struct CreateLinkKeys: AsyncMigration {
    var name: String { "014_create_link_keys" }
    func prepare(on db: any Database) async throws {
        try await db.schema("link_keys")
            .field("key", .string, .identifier(auto: false))
            .field("first_mention_id", .uuid, .required)
            .field("last_mention_id", .uuid, .required)
            .field("reports", .int, .required)
            .create()
        // Reports stored before this table existed.
        guard let sql = db as? any SQLDatabase else { return }
        let reports = Dictionary(try await sql.select().columns("id", "reference", "received_at", "reporting_agency_id", "postcode").from("reports").all()
            .map { row in
                ReportLinker.facts(LinkableReport(
                    id: try row.decode(column: "id", as: UUID.self), reference: try row.decode(column: "reference", as: String.self),
                    receivedAt: try row.decode(column: "received_at", as: Date.self),
                    reportingAgencyID: try row.decode(column: "reporting_agency_id", as: UUID?.self),
                    postcode: try row.decode(column: "postcode", as: String?.self)))
            }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let mentions = try await sql.select().columns("id", "report_id", "kind", "value", "normalised", "date_of_birth", "postcode").from("report_mentions")
            .where("kind", .notEqual, SQLBind(MentionKind.person.rawValue))
            .where("normalised", .isNot, SQLLiteral.null).all()
            .map { row in
                ReportLinker.MentionFacts(LinkableMention(
                    id: try row.decode(column: "id", as: UUID.self), reportID: try row.decode(column: "report_id", as: UUID.self),
                    kind: try row.decode(column: "kind", as: String.self), value: try row.decode(column: "value", as: String.self),
                    normalised: try row.decode(column: "normalised", as: String?.self),
                    dateOfBirth: try row.decode(column: "date_of_birth", as: String.self),
                    postcode: try row.decode(column: "postcode", as: String?.self)))
            }
        let rows: [[SQLValue]] = ReportLinker.keyGroups(mentions, reports: reports).compactMap { key, group in
            guard let first = group.first, let last = group.last else { return nil }
            return [SQLValue(key), SQLValue(first.0.id), SQLValue(last.0.id), SQLValue(group.count)]
        }
        try await SQLRows.insert(into: "link_keys", columns: ["key", "first_mention_id", "last_mention_id", "reports"], rows: rows, on: sql)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("link_keys").delete()
    }
}
