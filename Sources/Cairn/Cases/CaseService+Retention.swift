import CairnCore
import FluentKit
import Foundation
import SQLKit
import Synchronization

/// What the retention schedule asks of cases (`RetentionKind.closedCases`). A case closed before
/// the cutoff is anonymised: who the survivor is (the identity row), their chosen name, account
/// and language, every free-text note, the NRM reference, the team and the alerts go; the dates,
/// statuses, closure reason, risk level, age group, NRM dates and decisions, Duty to Notify
/// record, consent categories, needs, task statuses, outcome ratings and warning signs stay, so
/// the partnership's figures over past periods do not change. Each case anonymised is audited.
extension CaseService {
    private func dueCases(_ sql: any SQLDatabase, before cutoff: Date) -> SQLSelectBuilder {
        sql.select().from(SupportCase.schema)
            .where("status", .equal, SQLBind(CaseStatus.closed.rawValue))
            .where("closed_at", .lessThan, SQLBind(cutoff))
            .where("anonymised_at", .is, SQLLiteral.null)
    }

    func retentionCount(closedBefore cutoff: Date) async throws -> Int {
        let row = try await dueCases(database.sql, before: cutoff).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A page of the due cases, closed longest ago first: their codes and closing dates.
    func retentionPreview(closedBefore cutoff: Date, page: Int, perPage: Int) async throws -> [RetentionDue] {
        let range = Pagination.rows(page: page, perPage: perPage)
        return try await dueCases(database.sql, before: cutoff).columns("code", "closed_at").orderBy("closed_at").orderBy("id")
            .offset(range.lowerBound).limit(range.count).all()
            .map { RetentionDue(reference: try $0.decode(column: "code", as: String.self), since: try $0.decode(column: "closed_at", as: Date.self)) }
    }

    /// Of these reports, the ones a case not yet anonymised was opened from: the schedule keeps
    /// such a report while its case is kept.
    func reportsHeld(among reports: [UUID]) async throws -> Set<UUID> {
        var held = Set<UUID>()
        for chunk in SQLRows.chunks(reports) {
            for row in try await database.sql.select().column("report_id").from(SupportCase.schema)
                .where("report_id", .in, SQLBind.group(chunk)).where("anonymised_at", .is, SQLLiteral.null).all() {
                if let id = try row.decode(column: "report_id", as: UUID?.self) { held.insert(id) }
            }
        }
        return held
    }

    /// Every report a case not yet anonymised was opened from (a few per case at most).
    func reportsHeld() async throws -> [UUID] {
        try await database.sql.select().column("report_id").from(SupportCase.schema)
            .where("report_id", .isNot, SQLLiteral.null).where("anonymised_at", .is, SQLLiteral.null).all()
            .compactMap { try $0.decode(column: "report_id", as: UUID?.self) }
    }

    /// Anonymises the cases closed before `cutoff`, `batch` to a transaction, each with an audit
    /// entry by `actor` in the same transaction; returns how many.
    func anonymiseClosed(before cutoff: Date, actor: AuditActor, reason: String, now: Date = Date(), batch: Int = 200) async throws -> Int {
        var total = 0
        while true {
            let done = try await db.transaction { tx -> Int in
                let sql = try tx.sqlDatabase()
                let ids = try await dueCases(sql, before: cutoff).column("id").orderBy("id").limit(batch).all()
                    .map { try $0.decode(column: "id", as: UUID.self) }
                guard !ids.isEmpty else { return 0 }
                try await Self.anonymise(ids, now: now, on: sql)
                try await erasures.run(ids, on: sql)
                try await AuditLog.appendBatch(ids.map {
                    AuditEvent(actor: actor, action: "case.anonymised", recordType: "case", recordID: $0.uuidString, address: "retention", detail: reason)
                }, on: tx)
                return ids.count
            }
            total += done
            if done < batch { break }
        }
        return total
    }

    /// Clears what says who a case was about, keeping what its figures are made of.
    private static func anonymise(_ ids: [UUID], now: Date, on sql: any SQLDatabase) async throws {
        let group = SQLBind.group(ids)
        try await sql.update(SupportCase.schema)
            .set("chosen_name", to: SQLBind("")).set("account", to: SQLBind("")).set("language", to: SQLBind(""))
            .set("follow_up_plan", to: SQLLiteral.null).set("anonymised_at", to: SQLBind(now))
            .where("id", .in, group).run()
        // Who the survivor is, who worked with them, and what they were told.
        for table in [CaseIdentityRecord.schema, CaseTeamMember.schema, CaseAlert.schema] {
            try await sql.delete(from: table).where("case_id", .in, group).run()
        }
        // Free text, wherever it was written; the categories, dates and ratings beside it stay.
        let notes: [(String, [String])] = [
            (CaseNeed.schema, ["note"]), (CareTask.schema, ["title", "detail", "update_note"]), (CaseOutcomeReview.schema, ["note"]),
            (CaseWarning.schema, ["note"]), (CaseContact.schema, ["note"]),
        ]
        for (table, columns) in notes {
            var update = sql.update(table)
            for column in columns { update = update.set(column, to: SQLBind("")) }
            try await update.where("case_id", .in, group).run()
        }
        try await sql.update(CaseConsent.schema).set("withdrawn_note", to: SQLLiteral.null).set("interpreter_language", to: SQLLiteral.null)
            .where("case_id", .in, group).run()
        // The Home Office's reference identifies the person; the dates and decisions stay.
        try await sql.update(CaseNRM.schema).set("reference", to: SQLLiteral.null).where("case_id", .in, group).run()
    }
}

/// What other capabilities hold about a case and must forget when the case is anonymised (the
/// survivor's own view: its account, messages, ratings and requests), registered once when the
/// services are wired (`AppServices`) and run in the anonymising transaction. Retention is
/// then "as for the case" without Cases knowing those tables.
final class CaseErasures: Sendable {
    typealias Erase = @Sendable (_ caseIDs: [UUID], _ sql: any SQLDatabase) async throws -> Void
    private let erasers = Mutex<[Erase]>([])

    func add(_ erase: @escaping Erase) { erasers.withLock { $0.append(erase) } }

    func run(_ caseIDs: [UUID], on sql: any SQLDatabase) async throws {
        for erase in erasers.withLock({ $0 }) { try await erase(caseIDs, sql) }
    }
}
