import CairnCore
import Foundation

/// The outcomes page: the core outcomes rated at each review point, as a table and a chart,
/// and the form for the next review.
extension CaseSupportController {
    struct RatingCell: Sendable {
        let value: String
    }

    struct OutcomeRow: Sendable {
        let outcome: String
        let cells: [RatingCell]
    }

    struct Series: Sendable {
        let label: String
        let points: String
        /// `series-N`: the colour comes from cairn.css, since the CSP blocks inline styles.
        let colourClass: String
        let dots: [Dot]
    }

    struct Dot: Sendable {
        let x: Int
        let y: Int
        let title: String
    }

    struct Axis: Sendable {
        let x: Int
        let label: String
    }

    struct OutcomeField: Sendable {
        let key: String
        let label: String
        let choices: [Choice]
    }

    struct OutcomesPage: Sendable, DateFieldPage {
        let header: Header
        let points: [String]
        let rows: [OutcomeRow]
        let empty: Bool
        let series: [Series]
        let axis: [Axis]
        let levels: [Axis]
        /// Where the plot starts, and where the level labels ("Not at all") end, left of it.
        let plotLeft: Int
        let labelRight: Int
        let next: String
        let pointChoices: [Choice]
        let fields: [OutcomeField]
        let today: String
        var dates: [String: DateField] = [:]
    }

    /// How many `series-N` colour classes cairn.css defines.
    static let seriesColours = 7

    func outcomesPage(_ c: AuthorisedCase) async throws -> OutcomesPage {
        let rows = try await support.reviews(of: c)
        let reviews = rows.compactMap(\.review)
        let opened = CalendarDate(c.record.openedAt, in: CaseSupportService.london)
        let next = ReviewPoint.next(caseOpened: opened, completed: Set(reviews.map(\.point)))
        // A line per outcome across the review points, 1 (not at all) to 5 (fully).
        // `left` leaves room for the longest level label ("Not at all", about 45 units at 9 px).
        let width = 560, left = 80, top = 10, height = 200
        let step = reviews.count > 1 ? (width - left - 20) / (reviews.count - 1) : 0
        let series = CoreOutcome.allCases.enumerated().map { index, outcome in
            var dots: [Dot] = []
            for (i, review) in reviews.enumerated() {
                guard let rating = review.ratings[outcome] else { continue }
                let x = left + 10 + i * step
                let y = top + height - (rating.score - 1) * (height / 4)
                dots.append(Dot(x: x, y: y, title: "\(outcome.label), \(review.point.label): \(rating.label)"))
            }
            return Series(label: outcome.label, points: dots.map { "\($0.x),\($0.y)" }.joined(separator: " "), colourClass: "series-\(index % Self.seriesColours)", dots: dots)
        }
        return OutcomesPage(
            header: Self.header(c, current: .outcomes),
            points: reviews.map { "\($0.point.label) (\(Format.day($0.date.description)))" },
            rows: CoreOutcome.allCases.map { outcome in
                OutcomeRow(outcome: outcome.label, cells: reviews.map { RatingCell(value: $0.ratings[outcome]?.label ?? "—") })
            },
            empty: reviews.isEmpty, series: series,
            axis: reviews.enumerated().map { Axis(x: left + 10 + $0.offset * step, label: $0.element.point.label) },
            levels: OutcomeRating.allCases.map { Axis(x: top + height - ($0.score - 1) * (height / 4), label: $0.label) },
            plotLeft: left, labelRight: left - 6,
            next: next.map { "Next review: \($0.point.label), due \(Format.day($0.due.description))." } ?? "All review points are recorded.",
            pointChoices: ReviewPoint.allCases.filter { p in !reviews.contains { $0.point == p } }
                .map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == next?.point) },
            fields: CoreOutcome.allCases.map { o in
                OutcomeField(key: o.rawValue, label: o.label, choices: OutcomeRating.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) })
            },
            today: CaseSupportService.today().description,
            dates: ["reviewDate": DateField("reviewDate", legend: "Date of the review", hint: DateField.example(CaseSupportService.today()),
                                            value: CaseSupportService.today().description)])
    }
}
