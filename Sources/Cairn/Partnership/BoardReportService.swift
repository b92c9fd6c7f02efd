import CairnCore
import FluentKit
import Foundation

/// The board report for a chosen period: plan progress, every indicator against its target,
/// headline figures (survivor figures suppressed where small) and what changed since the last
/// report the coordinator issued. Every signed-in role reads it; coordinators issue it.
struct BoardReportService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let indicators: IndicatorService
    let assessments: AssessmentService
    let agreements: AgreementService
    var db: any Database { database.db }

    /// The figures the report heads with, in order.
    static let headlineKeys: [ComputedIndicator] = [
        .reportsReceived, .reportsTriagedOnTime, .reportsWithOutcome, .reportsMedianDaysToOutcome, .referralsAcceptedRate,
        .nrmReferrals, .nrmMedianDaysToReasonableGrounds, .casesMSCOSImproved, .casesReexploitationSigns,
    ]

    struct Headline: Sendable {
        let indicator: ComputedIndicator
        let value: Double?
        let suppressed: Bool
    }

    /// Actions by pathway, level and status.
    struct Progress: Sendable {
        var cells: [String: [ActionStatus: Int]] = [:]
        var byStatus: [ActionStatus: Int] = [:]
        var total: Int { byStatus.values.reduce(0, +) }

        static func cell(_ pathway: PreventionPathway, _ level: PreventionLevel) -> String { "\(pathway.rawValue)|\(level.rawValue)" }
    }

    /// What a previous issued report held.
    struct Snapshot: Codable, Sendable {
        var figures: [String: Double?]
        var actions: [String: Int]
        /// Shares no agreement covered in the period (absent from reports issued before it was kept).
        var uncoveredShares: Int?
        /// The self-assessment round the report showed, and its gaps.
        var assessmentRound: String?
        var assessmentGaps: Int?
    }

    struct Issued: Sendable {
        let first: MonthPeriod
        let last: MonthPeriod
        let issuedAt: Date
        let snapshot: Snapshot
    }

    struct Report: Sendable {
        let first: MonthPeriod
        let last: MonthPeriod
        let headline: [Headline]
        let progress: Progress
        let indicators: [IndicatorService.Detail]
        /// The latest self-assessment round closed by the end of the period, with its picture.
        let assessment: AssessmentService.RoundResults?
        /// Shares (referrals, intelligence, case shares by consent) to an agency with no current
        /// agreement covering them, per month and kind, in the period.
        let uncovered: [AgreementService.UncoveredCount]
        let previous: Issued?

        var uncoveredByKind: [ShareKind: Int] { AgreementService.byKind(uncovered) }
        var uncoveredTotal: Int { uncovered.reduce(0) { $0 + $1.count } }
    }

    /// Reads the period (`YYYY-MM` months; by default the three months before the current one).
    static func period(from: String, to: String, now: Date) throws -> (MonthPeriod, MonthPeriod) {
        let current = MonthPeriod(CalendarDate(now, in: .london))
        if from.isEmpty, to.isEmpty { return (current.adding(months: -3), current.adding(months: -1)) }
        let months = try IndicatorService.months(from: from.isEmpty ? nil : from, to: to.isEmpty ? nil : to, now: now)
        guard let first = months.first, let last = months.last else { throw AppError.invalid([.init("from", "Choose a period")]) }
        return (first, last)
    }

    func report(first: MonthPeriod, last: MonthPeriod, identity: Identity, now: Date = Date()) async throws -> Report {
        guard identity.can(.viewPartnership) else { throw AppError.forbidden }
        let span = MonthWindow(spanning: first, last)
        var headline: [Headline] = []
        for key in Self.headlineKeys {
            let figure = try await indicators.figures(key, span, now: now).first
            headline.append(Headline(indicator: key, value: figure?.value.map { ($0 * 100).rounded() / 100 }, suppressed: figure?.suppressed ?? false))
        }
        // Each indicator over the twelve months to the period's end.
        let months = MonthPeriod.range(last.adding(months: -11), last)
        var details: [IndicatorService.Detail] = []
        for indicator in try await indicators.list(identity: identity) {
            details.append(try await indicators.detail(key: indicator.key, months: months, identity: identity, now: now))
        }
        return Report(first: first, last: last, headline: headline, progress: try await progress(), indicators: details,
                      assessment: try await assessments.latestClosed(before: span.boundaries.last ?? now, identity: identity),
                      uncovered: try await agreements.uncoveredCounts(identity: identity, from: first.description, to: last.description),
                      previous: try await lastIssued(before: now))
    }

    /// Records the report as issued (its figures kept for the next report to compare with).
    func issue(first: MonthPeriod, last: MonthPeriod, identity: Identity, address: String, now: Date = Date()) async throws {
        guard identity.can(.editPartnership) else { throw AppError.forbidden }
        let report = try await report(first: first, last: last, identity: identity, now: now)
        let snapshot = Snapshot(figures: Dictionary(report.headline.map { ($0.indicator.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
                                actions: Dictionary(report.progress.byStatus.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +),
                                uncoveredShares: report.uncoveredTotal, assessmentRound: report.assessment?.round.name,
                                assessmentGaps: report.assessment?.map.gaps.count)
        let text = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        try await db.transaction { tx in
            try await tx.sqlDatabase().raw("""
                INSERT INTO plan_board_reports (id, first_month, last_month, snapshot, issued_by_id, issued_at) VALUES \
                (\(bind: UUID()), \(bind: first.description), \(bind: last.description), \(bind: text), \(bind: identity.userID), \(bind: now))
                """).run()
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.board_report.issued", recordType: "plan_board_report",
                                              address: address, detail: "\(first) to \(last)"), on: tx)
        }
    }

    private func progress() async throws -> Progress {
        let rows = try await db.sqlDatabase().raw("SELECT pathway, level, status, COUNT(*) AS n FROM plan_actions GROUP BY pathway, level, status").all()
        var progress = Progress()
        for row in rows {
            guard let status = ActionStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            let n = try row.decode(column: "n", as: Int.self)
            progress.byStatus[status, default: 0] += n
            let cell = "\(try row.decode(column: "pathway", as: String.self))|\(try row.decode(column: "level", as: String.self))"
            progress.cells[cell, default: [:]][status, default: 0] += n
        }
        return progress
    }

    private func lastIssued(before now: Date) async throws -> Issued? {
        let rows = try await db.sqlDatabase().raw("""
            SELECT first_month, last_month, snapshot, issued_at FROM plan_board_reports WHERE issued_at <= \(bind: now) ORDER BY issued_at DESC LIMIT 1
            """).all()
        guard let row = rows.first,
              let first = MonthPeriod(parsing: try row.decode(column: "first_month", as: String.self)),
              let last = MonthPeriod(parsing: try row.decode(column: "last_month", as: String.self)),
              let snapshot = try? JSONDecoder().decode(Snapshot.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8)) else { return nil }
        return Issued(first: first, last: last, issuedAt: try row.decode(column: "issued_at", as: Date.self), snapshot: snapshot)
    }
}
