import CairnCore
import Foundation
import SQLKit

/// What Cases lets the partnership's dashboard read about survivor support: counts over a
/// period, never a case or a person, each table already passed through `CellSuppression`
/// (the small-numbers rule with the second-cell rule), so the page only renders.
///
/// Filters: the period and the case's lead agency. A case records no type of exploitation of
/// its own (the report it was opened from does, and not every case has one), so the
/// dashboard's exploitation-type and area filters do not apply to these figures.
///
/// The period is whole days from `from` to `to` (London); a case counts in it when it was
/// open on any of them.
public struct CaseInsight: Sendable {
    let database: CairnDatabase

    /// A list of counts with their labels, suppressed with its total.
    public struct CountList: Sendable, Hashable {
        /// Stable keys (raw values) for CSV and URLs, and what to call each row.
        public let keys: [String]
        public let labels: [String]
        /// `counts.items[i].raw` is the true count; `.count` is what may be shown.
        public let counts: CellSuppression.List
    }

    /// A table of counts with its labels, suppressed with its row, column and grand totals.
    public struct CountTable: Sendable, Hashable {
        public let rowKeys: [String]
        public let rowLabels: [String]
        public let columnKeys: [String]
        public let columnLabels: [String]
        /// `counts.cells[row][column].raw` is the true count; `.count` is what may be shown.
        public let counts: CellSuppression.Table
    }

    /// A median over `over` values; nil (hidden) when fewer than the threshold are behind it.
    public struct Median: Sendable, Hashable {
        public let days: Double?
        /// How many values it is taken over (a count about survivors: show it only as `SmallNumbers` allows).
        public let over: Int
    }

    /// NRM referrals made and decisions made in the period.
    public struct NRMFigures: Sendable, Hashable {
        /// Referrals with their referral date in the period.
        public let referrals: CellSuppression.Cell
        /// Rows `reasonable_grounds`, `conclusive_grounds`; columns `positive`, `negative`:
        /// decisions dated in the period, as first decided (a reconsideration's outcome is not
        /// counted again).
        public let decisions: CountTable
        /// Days from referral to each decision dated in the period.
        public let daysToReasonableGrounds: Median
        public let daysToConclusiveGrounds: Median
    }

    /// Cases with a positive reasonable-grounds decision (after any reconsideration) whose
    /// minimum recovery period (30 days, `NRMReferral.minimumRecoveryPeriodDays`) had ended by
    /// the end of the period and that were open during the period: those still supported on a
    /// day of the period after it ended (`beyond`), and those not (`not_beyond`).
    public struct RecoveryFigures: Sendable, Hashable {
        public let recoveryDays: Int
        public let cases: CountList
    }

    /// The whole survivor-support section.
    public struct SurvivorSupport: Sendable, Hashable {
        public let from: CalendarDate
        public let to: CalendarDate
        public let agency: UUID?
        public let threshold: Int
        /// Cases open on any day of the period, by where their NRM referral stood at the end of
        /// the period (`NRMStage` raw values), then `duty_to_notify` (a Duty to Notify record
        /// and no referral) and `neither`. The total is the cases open in the period.
        public let stages: CountList
        public let nrm: NRMFigures
        public let recovery: RecoveryFigures
        /// Rows: core outcomes (`CoreOutcome` raw values); columns `improved`, `same`, `worse`:
        /// for cases with an intake review and a later review dated in the period, the intake
        /// rating against the latest such review's, where both rate the outcome.
        public let movement: CountTable
        /// Rows: calendar quarters touching the period (`2026-Q1`; the first and last may be
        /// partial); columns: warning signs (`WarningSign` raw values) observed in the period.
        public let warnings: CountTable
    }

    /// The survivor-support figures for a period, of every case or of one lead agency's.
    public func survivorSupport(from: CalendarDate, to: CalendarDate, agency: UUID? = nil,
                                threshold: Int = SmallNumbers.threshold) async throws -> SurvivorSupport {
        let end = to.adding(days: 1)
        let open = try await openCases(from: from, end: end, agency: agency)
        let nrms = try await nrmRows(agency: agency)
        let notified = try await notifiedCases(before: end, agency: agency)
        return SurvivorSupport(
            from: from, to: to, agency: agency, threshold: threshold,
            stages: stages(open: open, nrms: nrms, notified: notified, to: to, threshold: threshold),
            nrm: nrmFigures(nrms, from: from, to: to, threshold: threshold),
            recovery: recovery(open: open, nrms: nrms, from: from, to: to, threshold: threshold),
            movement: try await movement(from: from, to: to, agency: agency, threshold: threshold),
            warnings: try await warnings(from: from, to: to, agency: agency, threshold: threshold))
    }
}
