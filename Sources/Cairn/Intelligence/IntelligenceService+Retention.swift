import CairnCore
import FluentKit
import Foundation
import SQLKit

/// What the retention schedule asks of Intelligence:
///
/// - `RetentionKind.intelligenceItems`: an item not reviewed or changed since the cutoff is
///   deleted (no figure is made of items), each deletion audited.
/// - Reports being anonymised (`RetentionKind.closedReports`): linking forgets them in the same
///   transaction (`ReportLinker+Retention.swift`).
extension IntelligenceService {
    private func dueItems(_ sql: any SQLDatabase, before cutoff: Date) -> SQLSelectBuilder {
        sql.select().from(IntelligenceItem.schema).where("updated_at", .lessThan, SQLBind(cutoff))
    }

    func retentionCount(itemsUnchangedSince cutoff: Date) async throws -> Int {
        let row = try await dueItems(database.sql, before: cutoff).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A page of the due items, least recently reviewed first: references and last changes.
    func retentionPreview(itemsUnchangedSince cutoff: Date, page: Int, perPage: Int) async throws -> [RetentionDue] {
        let range = Pagination.rows(page: page, perPage: perPage)
        return try await dueItems(database.sql, before: cutoff).columns("reference", "updated_at").orderBy("updated_at").orderBy("id")
            .offset(range.lowerBound).limit(range.count).all()
            .map { RetentionDue(reference: try $0.decode(column: "reference", as: String.self), since: try $0.decode(column: "updated_at", as: Date.self)) }
    }

    /// Deletes the items unchanged since `cutoff`, `batch` to a transaction, each with an audit
    /// entry by `actor`; returns how many.
    func deleteItems(unchangedSince cutoff: Date, actor: AuditActor, detail: String, batch: Int = 500) async throws -> Int {
        var total = 0
        while true {
            let done = try await db.transaction { tx -> Int in
                let sql = try tx.sqlDatabase()
                let ids = try await dueItems(sql, before: cutoff).column("id").orderBy("id").limit(batch).all()
                    .map { try $0.decode(column: "id", as: UUID.self) }
                guard !ids.isEmpty else { return 0 }
                try await sql.delete(from: IntelligenceItem.schema).where("id", .in, SQLBind.group(ids)).run()
                try await AuditLog.appendBatch(ids.map {
                    AuditEvent(actor: actor, action: "intelligence.deleted", recordType: "intelligence_item", recordID: $0.uuidString,
                               address: "retention", detail: detail)
                }, on: tx)
                return ids.count
            }
            total += done
            if done < batch { break }
        }
        return total
    }

    /// Runs `anonymise` (Reports' anonymising of these reports, which answers with the ones it
    /// anonymised) in one transaction with linking forgetting them; returns those reports.
    func forgetReports(_ candidates: [UUID], anonymise: @escaping @Sendable (any Database) async throws -> [UUID]) async throws -> [UUID] {
        try await linker.erase(candidates, anonymise: anonymise)
    }

    /// After reports were forgotten: every instance builds its linking index again, so their
    /// people leave memory as well as the database.
    func forgetReportsEverywhere() async throws {
        try await linker.forgetEverywhere()
    }
}
