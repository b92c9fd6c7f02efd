import CairnCore
import Foundation
import SQLKit

/// A run of whole months in the partnership's time zone, for figures computed per month in one
/// query: `bucket(column)` is a SQL expression giving each row's month as its index in `months`
/// (0 for the first), with the month boundaries bound as parameters, so months follow
/// Europe/London's calendar (and its clock changes) on SQLite and PostgreSQL alike.
struct MonthWindow: Sendable {
    let months: [MonthPeriod]
    /// `months.count + 1` instants: the start of each month and the end of the last.
    let boundaries: [Date]

    init(_ months: [MonthPeriod], timeZone: TimeZone = .london) {
        self.months = months
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let ends = months.isEmpty ? [] : months + [months[months.count - 1].adding(months: 1)]
        boundaries = ends.map { calendar.date(from: DateComponents(year: $0.year, month: $0.month, day: 1)) ?? .distantPast }
    }

    var start: Date { boundaries.first ?? .distantPast }
    var end: Date { boundaries.last ?? .distantPast }

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
            let next = (months[index].adding(months: 1)).firstDay.description
            expression += " WHEN \(column) < \(bind: next) THEN \(literal: index)"
        }
        return expression + " END"
    }

    /// The first and the day after the last day, as `YYYY-MM-DD`, for text date columns.
    var days: (from: String, to: String) {
        (months.first?.firstDay.description ?? "", months.last.map { $0.adding(months: 1).firstDay.description } ?? "")
    }
}

/// A rate's parts for one month: rates over several months add numerators and denominators.
struct Tally: Sendable, Equatable {
    var numerator = 0
    var denominator = 0
}
