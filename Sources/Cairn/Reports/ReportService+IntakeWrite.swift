import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Intake's two write paths (SQLKit, and `SQLiteDirect` on SQLite) and the answers for a
/// committed batch. The rows they write are in `ReportService+IntakeRows.swift`.
extension ReportService {
    /// Writes a batch of prepared reports in one transaction (see `IntakeWriter`): on SQLite
    /// through `SQLiteDirect` (the whole transaction in one trip to the thread that holds the
    /// connection), elsewhere, or if that is not available, through SQLKit. Both write the same
    /// rows; `IntakeTests` and `StorageTests` run on each.
    static func write(_ batch: [PreparedReport], on db: any Database, queue: @escaping FollowUpQueue) async throws -> [IntakeWriter.Outcome] {
        let plan: IntakePlan
        if let direct = try await SQLiteDirect.transaction(on: db, { direct in try writeDirect(batch, direct, queue: queue) }) {
            plan = direct
        } else {
            plan = try await writeThroughSQLKit(batch, on: db, queue: queue)
        }
        return try await answers(plan, on: db)
    }

    /// The answers for a committed batch. Repeats of reports stored before it are read now.
    static func answers(_ plan: IntakePlan, on db: any Database) async throws -> [IntakeWriter.Outcome] {
        var stored: [UUID: Report] = [:]
        let storedIDs = plan.earlierRepeats
        if !storedIDs.isEmpty {
            for report in try await Report.query(on: db).filter(\.$id ~~ Set(storedIDs)).all() { stored[try report.requireID()] = report }
        }
        return answers(plan, stored: stored)
    }

    /// The answers for a committed batch, given the earlier reports it repeats.
    static func answers(_ plan: IntakePlan, stored: [UUID: Report]) -> [IntakeWriter.Outcome] {
        for item in plan.created { item.report.$id.exists = true }
        return plan.answers.map { answer in
            switch answer {
            case .created(let item):
                return .success(Submitted(report: item.report, passphrase: item.passphrase, replayed: false))
            case .replayed(let id, let passphrase, let sameBatch):
                guard let report = sameBatch ?? stored[id] else {
                    return .failure(AppError(.conflict, title: "Report not found", "The earlier report for this Idempotency-Key is no longer held."))
                }
                return .success(Submitted(report: report, passphrase: passphrase, replayed: true))
            case .refused(let error):
                return .failure(error)
            }
        }
    }

    /// Every write a planned batch makes after reading what its keys repeat: new passphrases
    /// for repeats of earlier reports, then the new reports and their events, checklist answers
    /// and mentions. The same steps on either path.
    static func writes(_ plan: IntakePlan, queue: FollowUpQueue) -> SQLWriteSteps {
        var steps = SQLWriteSteps()
        for change in plan.passphraseChanges {
            steps.update(Report.schema, set: [("passphrase_hash", SQLValue(change.hash)), ("updated_at", SQLValue(change.at))],
                         where: "id", in: [SQLValue(change.id)])
        }
        let created = plan.created
        steps.insert(into: Report.schema, columns: reportColumns, rows: created.map { reportRow($0.report) })
        steps.insert(into: ReportEvent.schema, columns: eventColumns, rows: created.flatMap(\.events).map(eventRow))
        steps.insert(into: ReportIndicator.schema, columns: indicatorColumns, rows: created.flatMap(\.indicators).map(indicatorRow))
        steps.insert(into: ReportMention.schema, columns: mentionColumns, rows: created.flatMap(\.mentions).map(mentionRow))
        // Owed follow-up (linking), in the same transaction: a report committed just before a
        // crash is followed up when the server comes back.
        queue(created.compactMap { item in item.report.id.map { (id: $0, receivedAt: item.report.receivedAt) } }, &steps)
        return steps
    }

    private static func writeThroughSQLKit(_ batch: [PreparedReport], on db: any Database, queue: @escaping FollowUpQueue) async throws -> IntakePlan {
        try await db.transaction { tx in
            let sql = try tx.sqlDatabase()
            var earlier: [String: EarlierSubmission] = [:]
            let keys = Set(batch.compactMap(\.idempotencyKey))
            for chunk in SQLRows.chunks(Array(keys)) {
                for report in try await Report.query(on: tx).filter(\.$idempotencyKey ~~ chunk).all() {
                    guard let key = report.idempotencyKey, let id = report.id else { continue }
                    earlier[key] = EarlierSubmission(id: id, reference: report.reference, hasPassphrase: report.passphraseHash != nil,
                                                     fingerprint: report.requestFingerprint, createdByID: report.createdByID)
                }
            }
            let plan = IntakePlan(batch, earlier: earlier)
            try await writes(plan, queue: queue).run(in: sql)
            try await AuditLog.appendBatch(plan.audit, on: tx)
            return plan
        }
    }

    /// `writeThroughSQLKit`, statement for statement, on the direct SQLite path.
    static func writeDirect(_ batch: [PreparedReport], _ direct: SQLiteDirect, queue: FollowUpQueue) throws -> IntakePlan {
        var earlier: [String: EarlierSubmission] = [:]
        let keys = Set(batch.compactMap(\.idempotencyKey))
        for chunk in SQLRows.chunks(Array(keys)) {
            let found = try direct.rows("""
                SELECT "id", "idempotency_key", "reference", "passphrase_hash", "request_fingerprint", "created_by_id"
                FROM \(SQLRows.quoted(Report.schema)) WHERE "idempotency_key" IN (\(SQLRows.placeholders(chunk.count)))
                """, chunk.map { SQLValue($0) })
            for row in found {
                guard let id = row[0].uuid, let key = row[1].string, let reference = row[2].string else { continue }
                earlier[key] = EarlierSubmission(id: id, reference: reference, hasPassphrase: row[3] != .null,
                                                 fingerprint: row[4].string, createdByID: row[5].uuid)
            }
        }
        let plan = IntakePlan(batch, earlier: earlier)
        try writes(plan, queue: queue).run(in: direct)
        try AuditLog.appendBatch(plan.audit, direct: direct)
        return plan
    }
}
