import CairnCore
import Foundation
import Hummingbird

/// What the dashboard template shows.
struct InsightPage: Sendable, DateFieldPage {
    struct CellView: Sendable {
        let text: String
        let href: String?
        let suppressed: Bool
    }

    struct RowView: Sendable {
        let head: CellView
        let cells: [CellView]
    }

    struct FigureView: Sendable {
        let id: String
        let title: String
        let caption: String
        let svg: String
        let hasChart: Bool
        let columns: [String]
        let valueColumns: [String]
        let firstColumn: String
        let rows: [RowView]
        let empty: Bool
        let emptyText: String
        let note: String
        let hasNote: Bool
        let csvHref: String
    }

    struct Section: Sendable {
        let id: String
        let heading: String
        let intro: String
        let figures: [FigureView]
    }

    let presets: [Choice]
    var dates: [String: DateField]
    let area: String
    let types: [Choice]
    let agencies: [Choice]
    let periodLabel: String
    let filterLabel: String
    let sections: [Section]
    let hasFigures: Bool
    let countedAt: String
    let shareHref: String

    static func dateFields(from: String, to: String, today: CalendarDate) -> [String: DateField] {
        ["from": DateField("from", legend: "From", hint: DateField.example(today.adding(months: -12)), value: from),
         "to": DateField("to", legend: "To", hint: "The last day to include", value: to)]
    }

    init(view: InsightService.View, request: Request, agencies: [Agency], today: CalendarDate) {
        let items = Self.queryItems(view.period, view.filters)
        presets = InsightPeriod.Preset.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == view.period.preset) }
        dates = Self.dateFields(from: view.period.from.description, to: view.period.to.description, today: today)
        area = view.filters.district ?? ""
        types = ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == view.filters.type) }
        self.agencies = agencies.compactMap { a in a.id.map { Choice(value: $0.uuidString, label: a.name, selected: $0 == view.filters.agencyID) } }
        periodLabel = view.period.label
        var parts: [String] = []
        if let d = view.filters.district { parts.append("area \(d)") }
        if let t = view.filters.type { parts.append(t.label.lowercased()) }
        if let g = view.filters.agencyID { parts.append("agency \(agencies.first { $0.id == g }?.name ?? "not listed")") }
        filterLabel = parts.isEmpty ? "All reports" : "Reports filtered to " + parts.joined(separator: ", ")
        let agencyNote = view.filters.district != nil || view.filters.type != nil
            ? " A case records no area or type of exploitation of its own, so only the agency filter (the case's lead agency) applies here." : ""
        sections = [
            Section(id: "reports", heading: "Reports and referrals",
                    intro: "Counts of reports and referrals, shown as they are. Select a count to see the reports behind it (only those you may open).",
                    figures: view.reports.map { Self.figure($0, query: items) }),
            Section(id: "survivors", heading: "Survivor support",
                    intro: "Counts about survivors, never a person: small numbers are hidden so no one can be picked out. Counted \(Format.dateTime(view.survivorsAt)).\(agencyNote)",
                    figures: view.survivors.map { Self.figure($0, query: items) }),
            Section(id: "intelligence", heading: "Linked intelligence",
                    intro: "How reports link to each other, over all reports whatever the filter. Counted \(Format.dateTime(view.intelligenceAt)).",
                    figures: view.intelligence.map { Self.figure($0, query: items) }),
        ]
        hasFigures = true
        countedAt = Format.dateTime(view.at)
        shareHref = InsightRoute.dashboard.path(query: items)
    }

    /// The form again, as typed, after a bad filter; no figures.
    init(invalid request: Request, typed: [String: String], today: CalendarDate, agencies: [Agency]) {
        presets = InsightPeriod.Preset.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == .custom) }
        dates = Self.dateFields(from: typed["from"] ?? "", to: typed["to"] ?? "", today: today)
        area = request.query("area", max: 10)
        let type = request.query("type")
        types = ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == type) }
        self.agencies = agencies.compactMap { a in a.id.map { Choice(value: $0.uuidString, label: a.name, selected: false) } }
        periodLabel = ""
        filterLabel = ""
        sections = []
        hasFigures = false
        countedAt = ""
        shareHref = InsightRoute.dashboard.path
    }

    static func queryItems(_ period: InsightPeriod, _ filters: InsightFilters) -> [(String, String)] {
        let dates: [(String, String)] = period.preset == .custom
            ? [("from", period.from.description), ("to", period.to.description)] : [("period", period.preset.rawValue)]
        return dates + [("area", filters.district ?? ""), ("type", filters.type?.rawValue ?? ""), ("agency", filters.agencyID?.uuidString ?? "")]
    }

    static func figure(_ f: InsightFigure, query: [(String, String)]) -> FigureView {
        let format: @Sendable (Double) -> String = { InsightFigure.number($0) }
        let svg: String
        switch f.chart {
        case .series where !f.isEmpty:
            svg = LineChart(title: f.title, points: f.points.map { LineChart.Point(label: Self.short($0.label), value: $0.value) },
                            baseline: nil, target: nil, format: format, titleID: "chart-\(f.id)").svg
        case .bars where !f.isEmpty:
            svg = BarChart(title: f.title, titleID: "chart-\(f.id)", bars: f.points.map { BarChart.Bar(label: $0.label, value: $0.value) }, format: format).svg
        default:
            svg = ""
        }
        func cell(_ c: InsightFigure.Cell) -> CellView { CellView(text: c.text, href: c.href, suppressed: c.suppressed) }
        return FigureView(
            id: f.id, title: f.title, caption: f.caption, svg: svg, hasChart: !svg.isEmpty, columns: f.columns,
            valueColumns: Array(f.columns.dropFirst()), firstColumn: f.columns.first ?? "",
            rows: f.rows.map { RowView(head: cell($0.first ?? .label("")), cells: $0.dropFirst().map(cell)) },
            empty: f.isEmpty, emptyText: f.empty, note: f.note, hasNote: !f.note.isEmpty, csvHref: InsightRoute.figure(.value(f.id)).path(query: query))
    }

    /// "Week of 3 November 2026" → "3 Nov", "November 2026" → "Nov 26", for chart axes.
    static func short(_ label: String) -> String {
        let words = label.replacingOccurrences(of: "Week of ", with: "").split(separator: " ")
        if words.count == 3 { return "\(words[0]) \(words[1].prefix(3))" }
        if words.count == 2 { return "\(words[0].prefix(3)) \(words[1].suffix(2))" }
        return label
    }
}
