import CairnCore
import FluentKit
import Foundation
import SQLKit

/// What the retention schedule asks of reports.
///
/// - `RetentionKind.closedReports`: a report closed with no further action (no indicators
///   found, a duplicate, or closed without an outcome) before the cutoff is anonymised. The
///   account, place, postcode, what the reporter typed about people, phones, vehicles,
///   businesses and websites, the reporter's contact details and passphrase, every note
///   (history, referrals, outcome), the idempotency key and the mentions go. What the figures
///   are made of stays: reference, source, dates (received, due, responded, closed), status,
///   urgency, triage rules, type of exploitation, age group, sector, postcode district, reporter
///   type, agencies, outcome and its date, indicators ticked, the history's steps and the
///   referrals' statuses. Intelligence forgets the report's linkage data in the same transaction
///   (`IntelligenceService.forgetReports`).
/// - `RetentionKind.reporterContacts`: on any report closed before the cutoff, the reporter's
///   name, phone, email and best time to call are deleted.
///
/// Each report changed is audited, never with what was removed.
extension ReportService {
    /// Outcomes that mean the report needed nothing further.
    static let noFurtherAction: [ReportOutcome] = [.noIndicatorsFound, .duplicateOfAnotherReport]

    private func dueClosedWithoutAction(_ sql: any SQLDatabase, before cutoff: Date) -> SQLSelectBuilder {
        sql.select().from(Report.schema)
            .where("status", .equal, SQLBind(ReportStatus.closed.rawValue))
            .where("closed_at", .lessThan, SQLBind(cutoff))
            .where("anonymised_at", .is, SQLLiteral.null)
            .where { group in
                group.where("outcome", .is, SQLLiteral.null)
                    .orWhere("outcome", .in, SQLBind.group(Self.noFurtherAction.map(\.rawValue)))
            }
    }

    private func dueContacts(_ sql: any SQLDatabase, before cutoff: Date) -> SQLSelectBuilder {
        sql.select().from(Report.schema)
            .where("status", .equal, SQLBind(ReportStatus.closed.rawValue))
            .where("closed_at", .lessThan, SQLBind(cutoff))
            .where { group in
                group.where("contact_name", .isNot, SQLLiteral.null).orWhere("contact_phone", .isNot, SQLLiteral.null)
                    .orWhere("contact_email", .isNot, SQLLiteral.null).orWhere("contact_best_time", .isNot, SQLLiteral.null)
            }
    }

    private static func count(_ query: SQLSelectBuilder) async throws -> Int {
        let row = try await query.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: Closed with no further action

    func retentionCount(closedWithoutActionBefore cutoff: Date) async throws -> Int {
        try await Self.count(dueClosedWithoutAction(database.sql, before: cutoff))
    }

    /// How many of these reports are due (the schedule counts those a case keeps).
    func retentionCount(closedWithoutActionBefore cutoff: Date, among ids: [UUID]) async throws -> Int {
        var total = 0
        for chunk in SQLRows.chunks(ids) {
            total += try await Self.count(dueClosedWithoutAction(database.sql, before: cutoff).where("id", .in, SQLBind.group(chunk)))
        }
        return total
    }

    /// A page of the due reports, closed longest ago first: ids (to ask which a case keeps),
    /// references and closing dates.
    func retentionPreview(closedWithoutActionBefore cutoff: Date, page: Int, perPage: Int) async throws -> [(id: UUID, due: RetentionDue)] {
        let range = Pagination.rows(page: page, perPage: perPage)
        return try await dueClosedWithoutAction(database.sql, before: cutoff).columns("id", "reference", "closed_at")
            .orderBy("closed_at").orderBy("id").offset(range.lowerBound).limit(range.count).all()
            .map { row in
                (try row.decode(column: "id", as: UUID.self),
                 RetentionDue(reference: try row.decode(column: "reference", as: String.self), since: try row.decode(column: "closed_at", as: Date.self)))
            }
    }

    /// The next `limit` due reports after `cursor` in id order (a run walks them all once, passing
    /// over those it keeps).
    func retentionBatch(closedWithoutActionBefore cutoff: Date, after cursor: UUID?, limit: Int) async throws -> [UUID] {
        var query = dueClosedWithoutAction(database.sql, before: cutoff).column("id")
        if let cursor { query = query.where("id", .greaterThan, SQLBind(cursor)) }
        return try await query.orderBy("id").limit(limit).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// Anonymises those of `ids` still due at `cutoff`, inside the caller's transaction `db` (the
    /// linker's, which forgets them in it), with an audit entry each by `actor`. Returns the ones
    /// anonymised.
    func anonymise(_ ids: [UUID], closedBefore cutoff: Date, actor: AuditActor, detail: String, now: Date = Date(),
                   on db: any Database) async throws -> [UUID] {
        guard !ids.isEmpty else { return [] }
        let sql = try db.sqlDatabase()
        // Checked again inside the transaction: a report re-opened meanwhile is no longer due.
        let due = try await dueClosedWithoutAction(sql, before: cutoff).column("id").where("id", .in, SQLBind.group(ids)).all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        guard !due.isEmpty else { return [] }
        let group = SQLBind.group(due)
        var update = sql.update(Report.schema)
        for column in ["description", "location", "occurred", "people_text", "vehicles_text", "phones_text", "businesses_text", "websites_text"] {
            update = update.set(column, to: SQLBind(""))
        }
        for column in ["postcode", "contact_name", "contact_phone", "contact_email", "contact_best_time", "passphrase_hash", "outcome_note",
                       "idempotency_key", "request_fingerprint"] {
            update = update.set(column, to: SQLLiteral.null)
        }
        try await update.set("anonymised_at", to: SQLBind(now)).where("id", .in, group).run()
        try await sql.delete(from: ReportMention.schema).where("report_id", .in, group).run()
        try await sql.update(ReportEvent.schema).set("note", to: SQLBind("")).where("report_id", .in, group).run()
        try await sql.update(Referral.schema).set("request", to: SQLBind("")).set("response", to: SQLBind("")).where("report_id", .in, group).run()
        try await AuditLog.appendBatch(due.map {
            AuditEvent(actor: actor, action: "report.anonymised", recordType: "report", recordID: $0.uuidString, address: "retention", detail: detail)
        }, on: db)
        return due
    }

    // MARK: Reporters' contact details

    func retentionCount(contactsClosedBefore cutoff: Date) async throws -> Int {
        try await Self.count(dueContacts(database.sql, before: cutoff))
    }

    /// A page of the reports whose reporter's contact details are due, closed longest ago first.
    func retentionPreview(contactsClosedBefore cutoff: Date, page: Int, perPage: Int) async throws -> [RetentionDue] {
        let range = Pagination.rows(page: page, perPage: perPage)
        return try await dueContacts(database.sql, before: cutoff).columns("reference", "closed_at")
            .orderBy("closed_at").orderBy("id").offset(range.lowerBound).limit(range.count).all()
            .map { RetentionDue(reference: try $0.decode(column: "reference", as: String.self), since: try $0.decode(column: "closed_at", as: Date.self)) }
    }

    /// Deletes the reporter's contact details from the reports closed before `cutoff`, `batch`
    /// to a transaction, with an audit entry each by `actor`; returns how many reports.
    func eraseReporterContacts(closedBefore cutoff: Date, actor: AuditActor, detail: String, batch: Int = 500) async throws -> Int {
        var total = 0
        while true {
            let done = try await db.transaction { tx -> Int in
                let sql = try tx.sqlDatabase()
                let ids = try await dueContacts(sql, before: cutoff).column("id").orderBy("id").limit(batch).all()
                    .map { try $0.decode(column: "id", as: UUID.self) }
                guard !ids.isEmpty else { return 0 }
                try await sql.update(Report.schema)
                    .set("contact_name", to: SQLLiteral.null).set("contact_phone", to: SQLLiteral.null)
                    .set("contact_email", to: SQLLiteral.null).set("contact_best_time", to: SQLLiteral.null)
                    .where("id", .in, SQLBind.group(ids)).run()
                try await AuditLog.appendBatch(ids.map {
                    AuditEvent(actor: actor, action: "report.reporter_contact.deleted", recordType: "report", recordID: $0.uuidString,
                               address: "retention", detail: detail)
                }, on: tx)
                return ids.count
            }
            total += done
            if done < batch { break }
        }
        return total
    }
}
