import CairnCore
import FluentKit
import Foundation

/// The partnership's dashboard over everything Cairn holds: counts of reports and referrals
/// (from Reports' read interface), of survivor support (Cases') and of linked intelligence
/// (Intelligence's), for a period and filter. Every figure is an aggregate: any signed-in role
/// may read them (`viewInsight`); drilling down to reports goes to the report list, which
/// shows only what the reader may open.
///
/// Report figures are counted from `InsightTally`s. Days and months that have ended are kept
/// in `insight_tallies` (shared by every instance and kept across restarts), and today is
/// always counted afresh, so a report received now shows at once; a change to an older report
/// (answered, closed, referred) makes the kept counts for its day or month be counted again
/// (`InsightService+Store`).
public struct InsightService: Sendable {
    let database: CairnDatabase
    let reports: ReportDirectory
    let cases: CaseInsight
    let intelligence: IntelligenceInsight
    /// Survivor counts from 1 to `threshold - 1` are hidden (`CAIRN_SMALL_NUMBERS`, default 10).
    let threshold: Int
    let refreshing = InsightRefreshes()
    var db: any Database { database.db }

    /// The tallies for a period and filter, one per month the period touches (the first and
    /// last may be partial), each holding its days' counts of received reports.
    func tallies(_ period: InsightPeriod, _ filters: InsightFilters, now: Date = Date()) async throws -> [(month: MonthPeriod, tally: InsightTally)] {
        let today = CalendarDate(now, in: .london)
        let last = min(period.to, today)
        guard period.from <= last else { return [] }
        // What the period is made of: ended whole months, ended days, and today.
        var keys: [(month: MonthPeriod, key: String, from: CalendarDate, to: CalendarDate)] = []
        var includesToday = false
        for month in MonthPeriod.range(MonthPeriod(period.from), MonthPeriod(last)) {
            let first = max(month.firstDay, period.from)
            let monthEnd = month.adding(months: 1).firstDay.adding(days: -1)
            let end = min(monthEnd, last)
            if first == month.firstDay, end == monthEnd, monthEnd < today {
                keys.append((month, "M\(month)", first, end))
                continue
            }
            var day = first
            while day <= end {
                if day == today { includesToday = true } else { keys.append((month, "D\(day)", day, day)) }
                day = day.adding(days: 1)
            }
        }
        try await forgetChanged(now: now, today: today)
        var kept = try await keptTallies(filters.key, periods: keys.map(\.key))
        // Count what is not kept, a stretch at a time, and keep it for the next reader.
        let missing = keys.filter { kept[$0.key] == nil }
        for run in Self.runs(missing.map { ($0.key, $0.from, $0.to) }) {
            let started = Date()
            let counted = try await count(from: run.from, to: run.to, filters)
            var fresh: [String: InsightTally] = [:]
            for key in run.keys {
                let span = Self.span(of: key)
                var tally = InsightTally()
                for (day, dayTally) in counted where span.contains(day) { tally.merge(dayTally) }
                fresh[key] = tally
            }
            try await keep(filters.key, fresh, computedAt: started)
            kept.merge(fresh) { _, new in new }
        }
        var byMonth: [MonthPeriod: InsightTally] = [:]
        for item in keys { byMonth[item.month, default: .init()].merge(kept[item.key] ?? .init()) }
        if includesToday {
            for (_, tally) in try await count(from: today, to: today, filters) { byMonth[MonthPeriod(today), default: .init()].merge(tally) }
            if byMonth[MonthPeriod(today)] == nil { byMonth[MonthPeriod(today)] = .init() }
        }
        return byMonth.keys.sorted().map { ($0, byMonth[$0] ?? .init()) }
    }

    /// Counts reports received, and referrals made, from the start of `from` to the end of `to`,
    /// per day.
    func count(from: CalendarDate, to: CalendarDate, _ filters: InsightFilters) async throws -> [CalendarDate: InsightTally] {
        let start = Self.instant(from), end = Self.instant(to.adding(days: 1))
        var days: [CalendarDate: InsightTally] = [:]
        let dayOf = DayFinder(from: from, to: to)
        for report in try await reports.insightReports(from: start, to: end, filter: filters.directory) {
            let day = dayOf(report.receivedAt)
            days[day, default: .init()].count(report, day: day)
        }
        for referral in try await reports.insightReferrals(from: start, to: end, filter: filters.directory) {
            days[dayOf(referral.createdAt), default: .init()].count(referral)
        }
        return days
    }

    /// The start of a day in the partnership's time zone.
    static func instant(_ day: CalendarDate) -> Date { PeriodBuckets.instant(day) }

    /// Days a kept key covers (`M2026-11` a month, `D2026-11-03` a day).
    static func span(of key: String) -> ClosedRange<CalendarDate> {
        let text = String(key.dropFirst())
        if key.hasPrefix("M"), let month = MonthPeriod(parsing: text) {
            return month.firstDay...month.adding(months: 1).firstDay.adding(days: -1)
        }
        let day = (try? CalendarDate(parsing: text)) ?? .first
        return day...day
    }

    /// Consecutive keys joined into stretches counted by one query, at most a month each (so a
    /// first look at five years keeps each month as soon as it is counted).
    static func runs(_ items: [(key: String, from: CalendarDate, to: CalendarDate)]) -> [(keys: [String], from: CalendarDate, to: CalendarDate)] {
        var runs: [(keys: [String], from: CalendarDate, to: CalendarDate)] = []
        for item in items {
            if let last = runs.last, last.to.adding(days: 1) == item.from, last.from.days(to: item.to) < 31, !item.key.hasPrefix("M") {
                runs[runs.count - 1] = (last.keys + [item.key], last.from, item.to)
            } else {
                runs.append(([item.key], item.from, item.to))
            }
        }
        return runs
    }
}

/// Finds the calendar day of instants in a known span quickly: midnights are worked out once.
struct DayFinder {
    private let first: CalendarDate
    private let midnights: [Date]

    init(from: CalendarDate, to: CalendarDate) {
        first = from
        midnights = (0...max(0, from.days(to: to) + 1)).map { InsightService.instant(from.adding(days: $0)) }
    }

    func callAsFunction(_ instant: Date) -> CalendarDate {
        // The last midnight at or before the instant.
        var low = 0, high = midnights.count - 1
        guard let firstMidnight = midnights.first, instant >= firstMidnight else { return CalendarDate(instant, in: .london) }
        while low < high {
            let mid = (low + high + 1) / 2
            if midnights[mid] <= instant { low = mid } else { high = mid - 1 }
        }
        return low >= midnights.count - 1 ? CalendarDate(instant, in: .london) : first.adding(days: low)
    }
}
