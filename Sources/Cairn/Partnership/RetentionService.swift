import CairnCore
import FluentKit
import Foundation
import SQLKit
import Synchronization

/// The partnership's retention schedule: how long each kind of record is kept and why, what is
/// due now, and running it (`RetentionService+Run.swift`, daily from `cairn serve` and by
/// `cairn retention run`).
///
/// The schedule is data (`retention_schedule`, one row per kind an administrator has set). Until
/// an administrator sets a kind, its default is shown and nothing of that kind is removed. The
/// records themselves stay with their capabilities: each offers a small interface in its own
/// folder (`ReportService+Retention`, `CaseService+Retention`, `IntelligenceService+Retention`,
/// `AuthService+Retention`, `AuditLog+Retention`) that counts, lists and removes what is due
/// before a cutoff; this service only decides the cutoffs and drives them.
public struct RetentionService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let reports: ReportService
    let cases: CaseService
    let intelligence: IntelligenceService
    let auth: AuthService
    /// Keeps two runs in this process apart (`exclusively`).
    let gate = RetentionGate()
    /// The daily run (`cairn serve`).
    let job: RetentionJob

    static let scheduleSchema = "retention_schedule"
    static let runsSchema = "retention_runs"

    init(database: CairnDatabase, audit: AuditLog, reports: ReportService, cases: CaseService, intelligence: IntelligenceService, auth: AuthService) {
        self.database = database
        self.audit = audit
        self.reports = reports
        self.cases = cases
        self.intelligence = intelligence
        self.auth = auth
        job = RetentionJob(logger: database.logger)
    }

    /// One kind's rule as the schedule holds it: set by an administrator (and applied), or the
    /// default (shown, not applied).
    struct Rule: Sendable {
        let kind: RetentionKind
        let period: RetentionPeriod
        let reason: String
        /// Who set it, and when; nil for a default.
        let setBy: String?
        let setAt: Date?

        var inForce: Bool { setAt != nil }

        static func standard(_ kind: RetentionKind) -> Rule {
            Rule(kind: kind, period: kind.defaultRule.period, reason: kind.defaultRule.reason, setBy: nil, setAt: nil)
        }
    }

    /// Every kind, in the order the schedule lists them.
    func schedule() async throws -> [Rule] {
        var set: [RetentionKind: Rule] = [:]
        for row in try await database.sql.select().columns("kind", "amount", "unit", "reason", "set_by", "set_at").from(Self.scheduleSchema).all() {
            guard let kind = RetentionKind(rawValue: try row.decode(column: "kind", as: String.self)),
                  let unit = RetentionUnit(rawValue: try row.decode(column: "unit", as: String.self)) else { continue }
            set[kind] = Rule(kind: kind, period: RetentionPeriod(try row.decode(column: "amount", as: Int.self), unit),
                             reason: try row.decode(column: "reason", as: String.self), setBy: try row.decode(column: "set_by", as: String.self),
                             setAt: try row.decode(column: "set_at", as: Date.self))
        }
        return RetentionKind.allCases.map { set[$0] ?? .standard($0) }
    }

    func rule(_ kind: RetentionKind) async throws -> Rule {
        try await schedule().first { $0.kind == kind } ?? .standard(kind)
    }

    /// Sets a kind's period and reason (an administrator); audited with the old and new period.
    /// Bad input is a 422 naming each field, and changes nothing.
    func setRule(_ kind: RetentionKind, amount: String, unit: String, reason: String, identity: Identity, address: String,
                 now: Date = Date()) async throws -> Rule {
        guard identity.can(.manageRetention) else { throw AppError.forbidden }
        let checked: RetentionRule
        do {
            checked = try RetentionRule(kind: kind, amount: amount, unit: unit, reason: reason)
        } catch {
            throw AppError.invalid(error.issues.map { .init($0.field, $0.message) })
        }
        let before = try await rule(kind)
        try await database.db.transaction { tx in
            let sql = try tx.sqlDatabase()
            try await sql.delete(from: Self.scheduleSchema).where("kind", .equal, SQLBind(kind.rawValue)).run()
            try await sql.insert(into: Self.scheduleSchema).columns("kind", "amount", "unit", "reason", "set_by_id", "set_by", "set_at")
                .values(SQLBind(kind.rawValue), SQLBind(checked.period.amount), SQLBind(checked.period.unit.rawValue), SQLBind(checked.reason),
                        SQLBind(identity.userID), SQLBind(identity.email), SQLBind(now)).run()
            let was = before.inForce ? before.period.description : "not set (default \(before.period))"
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "retention.schedule.set", recordType: "retention_schedule",
                                              recordID: kind.rawValue, address: address, detail: "\(was) → \(checked.period)"), on: tx)
        }
        return Rule(kind: kind, period: checked.period, reason: checked.reason, setBy: identity.email, setAt: now)
    }

    // MARK: What is due

    /// How many records of a kind are due at `now` under `period`, and how many of those are
    /// kept all the same (reports a case was opened from).
    struct Count: Sendable {
        var due = 0
        var kept = 0
        var removed: Int { due - kept }
    }

    func count(_ kind: RetentionKind, period: RetentionPeriod, now: Date = Date()) async throws -> Count {
        let cutoff = period.cutoff(at: now)
        switch kind {
        case .closedReports:
            let due = try await reports.retentionCount(closedWithoutActionBefore: cutoff)
            guard due > 0 else { return Count() }
            let kept = try await reports.retentionCount(closedWithoutActionBefore: cutoff, among: try await cases.reportsHeld())
            return Count(due: due, kept: kept)
        case .closedCases: return Count(due: try await cases.retentionCount(closedBefore: cutoff))
        case .intelligenceItems: return Count(due: try await intelligence.retentionCount(itemsUnchangedSince: cutoff))
        case .reporterContacts: return Count(due: try await reports.retentionCount(contactsClosedBefore: cutoff))
        case .sessions: return Count(due: try await auth.retentionCount(sessionsBefore: cutoff))
        case .auditEntries: return Count(due: try await audit.retentionCount(before: cutoff))
        }
    }

    /// What the schedule's page lists of a kind (an administrator).
    func due(_ kind: RetentionKind, period: RetentionPeriod, page: Int, perPage: Int, identity: Identity) async throws -> [RetentionDue] {
        guard identity.can(.manageRetention) else { throw AppError.forbidden }
        return try await due(kind, period: period, page: page, perPage: perPage)
    }

    /// A page of the records of a kind due at `now` under `period`: references and dates, never
    /// their content; a report a case keeps says so.
    func due(_ kind: RetentionKind, period: RetentionPeriod, page: Int, perPage: Int, now: Date = Date()) async throws -> [RetentionDue] {
        let cutoff = period.cutoff(at: now)
        switch kind {
        case .closedReports:
            let rows = try await reports.retentionPreview(closedWithoutActionBefore: cutoff, page: page, perPage: perPage)
            let held = try await cases.reportsHeld(among: rows.map(\.id))
            return rows.map { row in
                var due = row.due
                if held.contains(row.id) { due.keptBecause = "A case was opened from it and is kept" }
                return due
            }
        case .closedCases: return try await cases.retentionPreview(closedBefore: cutoff, page: page, perPage: perPage)
        case .intelligenceItems: return try await intelligence.retentionPreview(itemsUnchangedSince: cutoff, page: page, perPage: perPage)
        case .reporterContacts: return try await reports.retentionPreview(contactsClosedBefore: cutoff, page: page, perPage: perPage)
        case .sessions: return try await auth.retentionPreview(sessionsBefore: cutoff, page: page, perPage: perPage)
        case .auditEntries: return page == 1 ? try await audit.retentionPreview(before: cutoff) : []
        }
    }

    /// Rows a kind's preview lists for `count` (the audit log's due entries are one line).
    static func listed(_ kind: RetentionKind, _ count: Count) -> Int {
        kind == .auditEntries ? min(1, count.due) : count.due
    }
}

/// Two runs of the schedule in one process never overlap (other processes: see `exclusively`).
final class RetentionGate: Sendable {
    private let running = Mutex(false)

    func enter() -> Bool {
        running.withLock { busy in
            if busy { return false }
            busy = true
            return true
        }
    }
    func leave() { running.withLock { $0 = false } }
}
