import CairnCore
import FluentKit
import Foundation

/// The totals of people trained: by sector, area, course or month, over a period. Counted
/// attendance adds up; a person on several registers counts once in each group and once in
/// the total, so the groups may add up to more than the total.
extension TrainingService {
    enum Breakdown: String, CaseIterable, Sendable {
        case sector, area, course, month

        var label: String {
            switch self {
            case .sector: "Sector"
            case .area: "Area"
            case .course: "Course"
            case .month: "Month"
            }
        }
    }

    struct TotalsRow: Sendable, Equatable {
        /// The stable key: a `Sector` raw value, a postcode district, a course id, a `YYYY-MM`.
        let key: String
        let label: String
        let people: Int
    }

    struct Totals: Sendable {
        let rows: [TotalsRow]
        let total: Int
    }

    /// People trained at sessions held from `from` to `to` (both included; open ends are the
    /// first and last days there are), by `by`.
    func totals(from: CalendarDate?, to: CalendarDate?, by: Breakdown, identity: Identity) async throws -> Totals {
        try require(identity, .viewTraining)
        if let from, let to, from > to { throw AppError.invalid([.init("from", "The first day must not be after the last")]) }
        let (counts, people) = try await statistics.attendance(from: (from ?? .first).description, before: (to ?? .last).adding(days: 1).description)
        let titles = by == .course ? try await courseTitles(identity: identity) : [:]
        let (groups, total) = TrainingStatistics.people(counts, people) { sector, area, course, heldOn in
            switch by {
            case .sector: sector
            case .area: area
            case .course: course.uuidString
            case .month: String(heldOn.prefix(7))
            }
        }
        var rows = groups.map { key, people in
            TotalsRow(key: key, label: Self.label(key, by: by, titles: titles), people: people)
        }
        switch by {
        case .sector:
            let order = Dictionary(uniqueKeysWithValues: Sector.allCases.enumerated().map { ($1.rawValue, $0) })
            rows.sort { (order[$0.key] ?? 99, $0.key) < (order[$1.key] ?? 99, $1.key) }
        case .month, .area: rows.sort { $0.key < $1.key }
        case .course: rows.sort { $0.label.localizedCaseInsensitiveCompare($1.label) == .orderedAscending }
        }
        return Totals(rows: rows, total: total)
    }

    static func label(_ key: String, by: Breakdown, titles: [UUID: String]) -> String {
        switch by {
        case .sector: Sector(rawValue: key)?.label ?? key
        case .area: key
        case .course: UUID(uuidString: key).flatMap { titles[$0] } ?? "A course no longer recorded"
        case .month: MonthPeriod(parsing: key)?.label ?? key
        }
    }

    /// The confidence results of one session, per question.
    static func results(_ sheets: [ConfidenceSheet]) -> [ConfidenceResult] {
        ConfidenceResult.results(sheets.map { (0, $0) })
    }
}
