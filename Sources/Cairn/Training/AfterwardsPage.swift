import CairnCore
import Foundation
import Hummingbird

/// The afterwards page's view model: the form, the chart with its marks, the events with their
/// before/after counts, and the recording-quality comparison.
struct AfterwardsPage: Sendable {
    struct EventRow: Sendable {
        let label: String
        let kind: String
        let title: String
        let href: String
        let when: String
        let before: String
        let beforeSpan: String
        let after: String
        let afterSpan: String
    }

    struct MonthRow: Sendable {
        let month: String
        let count: String
    }

    struct GroupRow: Sendable {
        let group: String
        let reports: String
        let share: String
    }

    let sectors: [Choice]
    let area: String
    let monthChoices: [Choice]
    let hasView: Bool
    let heading: String
    let svg: String
    let monthRows: [MonthRow]
    let events: [EventRow]
    let hasEvents: Bool
    let months: Int
    let groups: [GroupRow]
    let note: String
    let counted: String

    init(_ view: AfterwardsService.View) {
        let q = view.query
        sectors = Self.sectorChoices(q.sector.rawValue)
        area = q.district ?? ""
        monthChoices = Self.monthChoices(q.months)
        hasView = true
        months = q.months
        note = "Counts from 1 to \(view.threshold - 1) are hidden, and so is a total over several months that would give a hidden month away."
        let place = q.district.map { " in \($0)" } ?? ""
        heading = "Reports from \(q.sector.label)\(place), by month"
        let made = q.sector.reporterTypes.map { "reports made by: \($0.label.lowercased())" }.sorted()
            + q.sector.agencyTypes.map { "practitioners' reports from \($0.label) agencies" }.sorted()
            + (q.sector.labourSector.map { ["reports about exploitation in \($0.label.lowercased())"] } ?? [])
        counted = "Counted: " + made.joined(separator: "; ") + "."
        let index = Dictionary(view.months.enumerated().map { ($1.month, $0) }, uniquingKeysWith: { a, _ in a })
        var chart = LineChart(title: heading, points: view.months.map { LineChart.Point(label: $0.month.shortLabel, value: $0.count.map(Double.init)) },
                              baseline: nil, target: nil, format: { String(Int($0.rounded())) })
        chart.titleID = "afterwards-chart-title"
        chart.marks = view.marked.compactMap { m in index[MonthPeriod(m.event.start)].map { LineChart.Mark(index: $0, label: m.label) } }
        svg = chart.svg
        monthRows = view.months.map { MonthRow(month: $0.month.label, count: $0.count.map(String.init) ?? "Fewer than \(view.threshold)") }
        events = view.marked.map { m in
            let e = m.event
            let when = e.start == e.end ? Format.day(e.start) : "\(Format.day(e.start)) to \(Format.day(e.end))"
            return EventRow(label: m.label, kind: e.kind == .session ? "Training session" : "Campaign", title: e.title, href: e.path, when: when,
                            before: Self.text(m.before), beforeSpan: Self.span(m.before),
                            after: Self.text(m.after), afterSpan: Self.span(m.after))
        }
        hasEvents = !events.isEmpty
        groups = [("Agencies whose staff had been trained", view.trained), ("Agencies whose staff had not yet been trained", view.untrained)].map { name, c in
            GroupRow(group: name, reports: c.hidden ? "Fewer than \(view.threshold)" : String(c.reports),
                     share: c.share.map { IndicatorUnit.percent.format($0) } ?? (c.hidden ? "Hidden (small numbers)" : "No reports"))
        }
    }

    /// The form alone, as typed, after a refused choice.
    init(refused request: Request) {
        sectors = Self.sectorChoices(request.query("sector", max: 60))
        area = request.query("area", max: 20)
        monthChoices = Self.monthChoices(Int(request.query("months", max: 2)) ?? 3)
        hasView = false
        heading = ""
        svg = ""
        monthRows = []
        events = []
        hasEvents = false
        months = 3
        groups = []
        note = ""
        counted = ""
    }

    static func sectorChoices(_ selected: String) -> [Choice] {
        let chosen = selected.isEmpty ? AfterwardsService.Query.defaultSector.rawValue : selected
        return AfterwardsService.Query.sectors.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosen) }
    }

    static func monthChoices(_ selected: Int) -> [Choice] {
        [1, 2, 3, 4, 6, 12].map { Choice(value: String($0), label: $0 == 1 ? "1 month" : "\($0) months", selected: $0 == selected) }
    }

    static func text(_ w: BeforeAfter.Window) -> String {
        if w.future { return "Not yet" }
        guard let count = w.count else { return "Hidden (small numbers)" }
        return w.complete ? String(count) : "\(count) so far"
    }

    static func span(_ w: BeforeAfter.Window) -> String {
        w.first == w.last ? w.first.label : "\(w.first.label) to \(w.last.label)"
    }
}
