import CairnCore
import FluentKit
import Foundation

/// The plan's indicators: those Cairn computes each month from its own records (reports and
/// referrals through `ReportDirectory`, cases through `CaseStatistics`, never typed in) and the
/// partnership's own, whose values are entered with who entered each and when. Every signed-in
/// role reads; coordinators and administrators set baselines and targets, add indicators and
/// enter values. Figures that describe survivors follow `SmallNumbers`.
struct IndicatorService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let reports: ReportDirectory
    let cases: CaseStatistics
    let training: TrainingStatistics
    /// Campaigns' reach per month (`campaigns.reach`).
    let campaigns: CampaignStatistics
    var db: any Database { database.db }

    /// An indicator as listed and read: its definition and settings.
    struct Indicator: Sendable {
        let key: String
        let name: String
        let definition: String
        let method: String
        let unit: IndicatorUnit
        let direction: IndicatorDirection
        let frequency: IndicatorFrequency
        let source: String
        let computed: Bool
        let describesSurvivors: Bool
        let baseline: Double?
        let target: Double?
    }

    /// One period's value.
    struct Value: Sendable {
        let period: String
        let label: String
        let value: Double?
        let suppressed: Bool
        /// How many records it rests on (computed), or who entered it (entered).
        let basis: Int?
        let enteredBy: UUID?
        let enteredAt: Date?
        let breakdown: [String: Int]
    }

    struct Detail: Sendable {
        let indicator: Indicator
        let values: [Value]
        /// Plan actions this indicator measures: id and title.
        let actions: [(id: UUID, title: String)]
    }

    /// The months shown when none are asked for: the twelve ending with the current one.
    static func defaultMonths(now: Date) -> [MonthPeriod] {
        let current = MonthPeriod(CalendarDate(now, in: .london))
        return MonthPeriod.range(current.adding(months: -11), current)
    }

    /// Reads `from`/`to` (`YYYY-MM`) as months to show: at most 60, none in the future.
    static func months(from: String?, to: String?, now: Date) throws -> [MonthPeriod] {
        let current = MonthPeriod(CalendarDate(now, in: .london))
        var v = Validator()
        func read(_ text: String?, _ field: String) -> MonthPeriod? {
            guard let text, !text.isEmpty else { return nil }
            guard let month = MonthPeriod(parsing: text) else { v.add(field, "Enter the month as YYYY-MM, for example \(current)"); return nil }
            if month > current { v.add(field, "The month \(text) is in the future: figures run up to \(current)") }
            return month
        }
        let last = read(to, "to") ?? current
        let first = read(from, "from") ?? last.adding(months: -11)
        if first > last { v.add("from", "The first month must not be after the last") }
        if MonthPeriod.range(first, last).count > 60 { v.add("from", "Ask for at most 60 months at a time") }
        try v.check()
        return MonthPeriod.range(first, last)
    }

    // MARK: Reading

    /// Every indicator: the computed ones first, in their fixed order, then the partnership's own.
    func list(identity: Identity) async throws -> [Indicator] {
        guard identity.can(.viewPartnership) else { throw AppError.forbidden }
        let stored = try await PlanIndicator.query(on: db).all()
        let settings = Dictionary(stored.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let computed = ComputedIndicator.allCases.map { Self.indicator($0, settings[$0.key]) }
        let own = stored.filter { !$0.computed }.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }.compactMap(Self.indicator)
        return computed + own
    }

    /// One indicator with its values for `months` (computed) or every value entered.
    func detail(key: String, months: [MonthPeriod], identity: Identity, now: Date = Date()) async throws -> Detail {
        guard identity.can(.viewPartnership) else { throw AppError.forbidden }
        let stored = try await PlanIndicator.query(on: db).filter(\.$key == key).first()
        let indicator: Indicator
        let values: [Value]
        if let computed = ComputedIndicator(rawValue: key) {
            indicator = Self.indicator(computed, stored)
            values = try await figures(computed, MonthWindow(months), now: now).map(Self.value)
        } else if let stored, let own = Self.indicator(stored) {
            indicator = own
            let rows = try await PlanIndicatorValue.query(on: db).filter(\.$indicatorID == stored.requireID()).all()
            values = rows.compactMap { row in
                IndicatorPeriod(parsing: row.period, frequency: own.frequency).map { ($0, row) }
            }.sorted { $0.0 < $1.0 }.map { period, row in
                Value(period: period.description, label: period.description, value: row.value, suppressed: false, basis: nil,
                      enteredBy: row.enteredByID, enteredAt: row.enteredAt, breakdown: [:])
            }
        } else {
            throw AppError.notFound("indicator")
        }
        return Detail(indicator: indicator, values: values, actions: try await actions(measuredBy: key))
    }

    /// A computed indicator's figure for each month of `window`.
    /// Computes a figure for each bucket of the window from the records, in one query; pages
    /// read through `figures`, which keeps ended months for a while.
    func compute(_ computed: ComputedIndicator, _ window: MonthWindow, now: Date) async throws -> [IndicatorFigure] {
        let survivors = computed.describesSurvivors
        func rates(_ tallies: [MonthPeriod: Tally]) -> [IndicatorFigure] {
            window.months.map { m in IndicatorFigure.rate(m, tallies[m]?.numerator ?? 0, of: tallies[m]?.denominator ?? 0, survivors: survivors) }
        }
        switch computed {
        case .reportsReceived, .reportsBySector:
            let counts = try await reports.receivedByReporterType(window)
            return window.months.map { m in
                let types = counts[m] ?? [:]
                let labelled = computed == .reportsBySector
                    ? Dictionary(types.map { (ReporterType(rawValue: $0.key)?.label ?? $0.key, $0.value) }, uniquingKeysWith: +) : [:]
                return .count(m, types.values.reduce(0, +), survivors: false, breakdown: labelled)
            }
        case .reportsTriagedOnTime: return rates(try await reports.triagedOnTime(window, now: now))
        case .reportsWithOutcome: return rates(try await reports.closedWithOutcomeWithin28Days(window, now: now))
        case .reportsMedianDaysToOutcome:
            let medians = try await reports.medianDaysToOutcome(window)
            return window.months.map { m in
                guard let found = medians[m] else { return IndicatorFigure(period: m, value: nil, basis: 0) }
                return IndicatorFigure(period: m, value: found.median, basis: found.count)
            }
        case .referralsAcceptedRate: return rates(try await reports.referralsAccepted(window))
        case .nrmReferrals:
            let counts = try await cases.nrmReferrals(window)
            return window.months.map { .count($0, counts[$0] ?? 0, survivors: true) }
        case .nrmMedianDaysToReasonableGrounds:
            let days = try await cases.daysToReasonableGrounds(window)
            return window.months.map { .median($0, days[$0] ?? [], survivors: true) }
        case .casesMSCOSImproved: return rates(try await cases.outcomesImproved(window))
        case .casesReexploitationSigns:
            let counts = try await cases.warningSigns(window)
            return window.months.map { .count($0, counts[$0] ?? 0, survivors: true) }
        case .trainingPeopleTrained: return try await training.peopleTrained(window)
        case .trainingConfidenceChange: return try await training.confidenceChange(window)
        case .campaignsReach:
            let reach = try await campaigns.reachByStartMonth(window)
            return window.months.map { m in IndicatorFigure(period: m, value: Double(reach[m]?.reach ?? 0), basis: reach[m]?.campaigns ?? 0) }
        case .campaignsReports:
            let counts = try await reports.receivedWithCampaignCode(window)
            return window.months.map { .count($0, counts[$0] ?? 0, survivors: false) }
        }
    }

    /// Titles of the plan actions an indicator measures.
    private func actions(measuredBy key: String) async throws -> [(id: UUID, title: String)] {
        let sql = try db.sqlDatabase()
        let rows = try await sql.raw("""
            SELECT a.id AS id, a.title AS title FROM plan_action_indicators l JOIN plan_actions a ON a.id = l.action_id \
            WHERE l.indicator_key = \(bind: key) ORDER BY a.title
            """).all()
        return try rows.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "title", as: String.self)) }
    }

    static func value(_ figure: IndicatorFigure) -> Value {
        // Rates and medians to two places: a figure does not pretend to more.
        Value(period: figure.period.description, label: figure.period.label, value: figure.value.map { ($0 * 100).rounded() / 100 }, suppressed: figure.suppressed,
              basis: figure.suppressed ? nil : figure.basis, enteredBy: nil, enteredAt: nil, breakdown: figure.breakdown)
    }

    static func indicator(_ computed: ComputedIndicator, _ stored: PlanIndicator?) -> Indicator {
        Indicator(key: computed.key, name: computed.name, definition: computed.definition, method: computed.method, unit: computed.unit,
                  direction: computed.direction, frequency: .month, source: "Computed by Cairn from its own records", computed: true,
                  describesSurvivors: computed.describesSurvivors, baseline: stored?.baseline, target: stored?.target)
    }

    static func indicator(_ stored: PlanIndicator) -> Indicator? {
        guard !stored.computed, let unit = IndicatorUnit(rawValue: stored.unit), let direction = IndicatorDirection(rawValue: stored.direction),
              let frequency = IndicatorFrequency(rawValue: stored.frequency) else { return nil }
        return Indicator(key: stored.key, name: stored.name, definition: stored.definition,
                         method: "Entered by the partnership each period, from: \(stored.source)", unit: unit, direction: direction,
                         frequency: frequency, source: stored.source, computed: false, describesSurvivors: false,
                         baseline: stored.baseline, target: stored.target)
    }
}
