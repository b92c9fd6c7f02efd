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

    /// A place among the closed reports, in the order runs walk them: by closing time, then id.
    struct RetentionCursor: Sendable, Equatable {
        let closedAt: Date
        let id: UUID
    }

    /// What decides whether a report is due, read without its content.
    struct RetentionFacts: Sendable {
        let cursor: RetentionCursor?
        let id: UUID
        let status: String
        let anonymised: Bool
        let outcome: String?
        let hasContact: Bool

        func closedWithoutAction(before cutoff: Date) -> Bool {
            guard status == ReportStatus.closed.rawValue, !anonymised, let cursor, cursor.closedAt < cutoff else { return false }
            return outcome.map { ReportService.noFurtherAction.map(\.rawValue).contains($0) } ?? true
        }

        func contactDue(before cutoff: Date) -> Bool {
            guard status == ReportStatus.closed.rawValue, hasContact, let cursor else { return false }
            return cursor.closedAt < cutoff
        }
    }

    private static func facts(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
        query.columns("id", "closed_at", "status", "anonymised_at", "outcome", "contact_name", "contact_phone", "contact_email", "contact_best_time")
    }

    private static func facts(_ row: any SQLRow) throws -> RetentionFacts {
        let id = try row.decode(column: "id", as: UUID.self)
        let contact = try ["contact_name", "contact_phone", "contact_email", "contact_best_time"].contains { try row.decode(column: $0, as: String?.self) != nil }
        return RetentionFacts(cursor: try row.decode(column: "closed_at", as: Date?.self).map { RetentionCursor(closedAt: $0, id: id) }, id: id,
                              status: try row.decode(column: "status", as: String.self),
                              anonymised: try row.decode(column: "anonymised_at", as: Date?.self) != nil,
                              outcome: try row.decode(column: "outcome", as: String?.self), hasContact: contact)
    }

    /// The next `limit` reports closed before `cutoff` after `cursor`, in closing order. Only the
    /// closing time and id are in the query, so both databases read it as a range of the
    /// `(closed_at, id)` index starting at the cursor: a run over a million due reports reads each
    /// once, where a query naming the status too was answered from the status index, every
    /// closed report read again for every batch. What else makes a report due is checked here.
    private static func window(_ sql: any SQLDatabase, closedBefore cutoff: Date, after cursor: RetentionCursor?, limit: Int) async throws -> [RetentionFacts] {
        var query = facts(sql.select().from(Report.schema)).where("closed_at", .lessThan, SQLBind(cutoff))
        if let cursor {
            query = query.where(SQLBinaryExpression(SQLGroupExpression([SQLColumn("closed_at"), SQLColumn("id")]), .greaterThan,
                                                    SQLGroupExpression([SQLBind(cursor.closedAt), SQLBind(cursor.id)])))
        }
        return try await query.orderBy("closed_at").orderBy("id").limit(limit).all().map(facts)
    }

    /// Reports closed before the cutoff looked at per batch of a run.
    static let retentionWindow = 500

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

    /// The due reports among the next reports closed before `cutoff` after `cursor`, and where
    /// the next batch starts (nil when every report has been looked at). A run walks them all
    /// once, passing over those it keeps.
    func retentionBatch(closedWithoutActionBefore cutoff: Date, after cursor: RetentionCursor?) async throws -> (due: [UUID], next: RetentionCursor?) {
        let rows = try await Self.window(database.sql, closedBefore: cutoff, after: cursor, limit: Self.retentionWindow)
        let next = rows.count < Self.retentionWindow ? nil : rows.last?.cursor
        return (rows.filter { $0.closedWithoutAction(before: cutoff) }.map(\.id), next)
    }

    /// Anonymises those of `ids` still due at `cutoff`, inside the caller's transaction `db` (the
    /// linker's, which forgets them in it), with an audit entry each by `actor`. Returns the ones
    /// anonymised.
    func anonymise(_ ids: [UUID], closedBefore cutoff: Date, actor: AuditActor, detail: String, now: Date = Date(),
                   on db: any Database) async throws -> [UUID] {
        guard !ids.isEmpty else { return [] }
        let sql = try db.sqlDatabase()
        // Checked again inside the transaction (a report re-opened meanwhile is no longer due),
        // read by id so the primary key answers.
        let due = try await Self.facts(sql.select().from(Report.schema)).where("id", .in, SQLBind.group(ids)).all().map(Self.facts)
            .filter { $0.closedWithoutAction(before: cutoff) }.map(\.id)
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

    /// Deletes the reporter's contact details from the reports closed before `cutoff`, a window of
    /// closed reports to a transaction, with an audit entry each by `actor`; returns how many.
    func eraseReporterContacts(closedBefore cutoff: Date, actor: AuditActor, detail: String) async throws -> Int {
        var total = 0
        var cursor: RetentionCursor?
        repeat {
            let from = cursor
            let (done, next) = try await db.transaction { tx -> (Int, RetentionCursor?) in
                let sql = try tx.sqlDatabase()
                let rows = try await Self.window(sql, closedBefore: cutoff, after: from, limit: Self.retentionWindow)
                let next = rows.count < Self.retentionWindow ? nil : rows.last?.cursor
                let ids = rows.filter { $0.contactDue(before: cutoff) }.map(\.id)
                guard !ids.isEmpty else { return (0, next) }
                try await sql.update(Report.schema)
                    .set("contact_name", to: SQLLiteral.null).set("contact_phone", to: SQLLiteral.null)
                    .set("contact_email", to: SQLLiteral.null).set("contact_best_time", to: SQLLiteral.null)
                    .where("id", .in, SQLBind.group(ids)).run()
                try await AuditLog.appendBatch(ids.map {
                    AuditEvent(actor: actor, action: "report.reporter_contact.deleted", recordType: "report", recordID: $0.uuidString,
                               address: "retention", detail: detail)
                }, on: tx)
                return (ids.count, next)
            }
            total += done
            cursor = next
        } while cursor != nil
        return total
    }
}
