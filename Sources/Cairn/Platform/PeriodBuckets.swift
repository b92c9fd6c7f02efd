import CairnCore
import Foundation
import SQLKit

/// A period of whole days (London) cut at each month's start: one bucket a calendar month,
/// the first and last clipped to the period. For counting instants per month by SQL.
struct PeriodBuckets: Sendable {
    let from: CalendarDate
    let to: CalendarDate
    /// The month of each bucket.
    let months: [MonthPeriod]
    /// `months.count + 1` instants: the start of each bucket and the end of the last.
    let boundaries: [Date]

    init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
        var months: [MonthPeriod] = []
        var days: [CalendarDate] = []
        var month = MonthPeriod(from)
        let last = MonthPeriod(to)
        while month <= last, from <= to {
            months.append(month)
            days.append(max(month.firstDay, from))
            month = month.adding(months: 1)
        }
        days.append(to.adding(days: 1))
        self.months = months
        boundaries = days.map(Self.instant)
    }

    var start: Date { boundaries.first ?? .distantPast }
    var end: Date { boundaries.last ?? .distantPast }

    /// The first instant of a day in London.
    static func instant(_ day: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? .distantPast
    }

    /// `CASE WHEN column < b1 THEN 0 …`, for rows already limited to `start ..< end`.
    func bucket(_ column: SQLQueryString) -> SQLQueryString {
        var expression: SQLQueryString = "CASE"
        for index in months.indices {
            expression += " WHEN \(column) < \(bind: boundaries[index + 1]) THEN \(literal: index)"
        }
        return expression + " END"
    }

    func month(_ index: Int) -> MonthPeriod? { months.indices.contains(index) ? months[index] : nil }
}
