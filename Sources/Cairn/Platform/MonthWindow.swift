import CairnCore
import Foundation
import SQLKit

/// A run of whole months in the partnership's time zone, for figures computed per month in one
/// query: `bucket(column)` is a SQL expression giving each row's month as its index in `months`
/// (0 for the first), with the month boundaries bound as parameters, so months follow
/// Europe/London's calendar (and its clock changes) on SQLite and PostgreSQL alike.
struct MonthWindow: Sendable {
    /// The first month of each bucket (a bucket is one month, or the whole span).
    let months: [MonthPeriod]
    /// `months.count + 1` instants: the start of each bucket and the end of the last.
    let boundaries: [Date]
    /// The same boundaries as `YYYY-MM-DD`, for columns holding dates with no time.
    let dayBoundaries: [String]

    /// One bucket a month.
    init(_ months: [MonthPeriod], timeZone: TimeZone = .london) {
        let ends = months.isEmpty ? [] : months + [months[months.count - 1].adding(months: 1)]
        self.init(months: months, ends: ends, timeZone: timeZone)
    }

    /// One bucket for the whole span from `first` to `last` (a board report's period); its
    /// figure is reported under `first`.
    init(spanning first: MonthPeriod, _ last: MonthPeriod, timeZone: TimeZone = .london) {
        self.init(months: [first], ends: [first, max(first, last).adding(months: 1)], timeZone: timeZone)
    }

    private init(months: [MonthPeriod], ends: [MonthPeriod], timeZone: TimeZone) {
        self.months = months
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        boundaries = ends.map { calendar.date(from: DateComponents(year: $0.year, month: $0.month, day: 1)) ?? .distantPast }
        dayBoundaries = ends.map(\.firstDay.description)
    }

    var start: Date { boundaries.first ?? .distantPast }
    var end: Date { boundaries.last ?? .distantPast }

    /// The bucket a day falls in (by its first month), if any.
    func bucket(of day: CalendarDate) -> MonthPeriod? {
        let text = day.description
        guard let index = months.indices.first(where: { dayBoundaries[$0] <= text && text < dayBoundaries[$0 + 1] }) else { return nil }
        return months[index]
    }

    /// The month an index from `bucket` stands for.
    func month(_ index: Int) -> MonthPeriod? { months.indices.contains(index) ? months[index] : nil }

    /// `CASE WHEN column < b1 THEN 0 WHEN column < b2 THEN 1 … END`, for rows already limited to
    /// `start ..< end`.
    func bucket(_ column: SQLQueryString) -> SQLQueryString {
        var expression: SQLQueryString = "CASE"
        for index in months.indices {
            expression += " WHEN \(column) < \(bind: boundaries[index + 1]) THEN \(literal: index)"
        }
        return expression + " END"
    }

    /// The same for a column holding `YYYY-MM-DD` text (dates with no time).
    func dayBucket(_ column: SQLQueryString) -> SQLQueryString {
        var expression: SQLQueryString = "CASE"
        for index in months.indices {
            expression += " WHEN \(column) < \(bind: dayBoundaries[index + 1]) THEN \(literal: index)"
        }
        return expression + " END"
    }

    /// The first and the day after the last day, as `YYYY-MM-DD`, for text date columns.
    var days: (from: String, to: String) { (dayBoundaries.first ?? "", dayBoundaries.last ?? "") }
}

/// A rate's parts for one month: rates over several months add numerators and denominators.
struct Tally: Sendable, Equatable {
    var numerator = 0
    var denominator = 0
}
