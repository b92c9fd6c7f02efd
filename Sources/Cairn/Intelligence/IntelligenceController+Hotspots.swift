import CairnCore
import Foundation

/// The hotspots page: reports by postcode district and month, as a table and a bar chart.
extension IntelligenceController {
    struct Cell: Sendable {
        let count: Int
        let level: Int
    }

    struct HotspotRow: Sendable {
        let district: String
        let cells: [Cell]
        let total: Int
    }

    struct Bar: Sendable {
        let y: Int
        let width: Int
        let district: String
        let total: Int
        let labelX: Int
    }

    struct HotspotPage: Sendable {
        let months: [String]
        let rows: [HotspotRow]
        let empty: Bool
        let bars: [Bar]
        let chartHeight: Int
        let total: Int
        /// nil when every report gave a postcode.
        let withoutDistrict: Int?
        let types: [Choice]
        let periods: [Choice]
        let filterText: String
    }

    static func hotspotPage(_ h: IntelligenceService.Hotspots, type: ExploitationType?, months: Int) -> HotspotPage {
        let peak = max(1, h.rows.flatMap(\.counts).max() ?? 1)
        let top = Array(h.rows.prefix(15))
        let maxTotal = max(1, top.first?.total ?? 1)
        return HotspotPage(
            months: h.months.map { m in
                let parts = m.split(separator: "-")
                let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                let index = parts.count == 2 ? (Int(parts[1]) ?? 1) - 1 : 0
                return "\(names.indices.contains(index) ? names[index] : m) \(parts[0].suffix(2))"
            },
            rows: h.rows.map { r in
                HotspotRow(district: r.district, cells: r.counts.map { Cell(count: $0, level: $0 == 0 ? 0 : min(4, 1 + ($0 * 4 - 1) / peak)) }, total: r.total)
            },
            empty: h.rows.isEmpty, bars: top.enumerated().map { i, r in
                let w = Int((Double(r.total) / Double(maxTotal) * 480).rounded())
                return Bar(y: 10 + i * 26, width: max(2, w), district: r.district, total: r.total, labelX: 80 + max(2, w) + 6)
            },
            chartHeight: 20 + top.count * 26, total: h.total, withoutDistrict: h.withoutDistrict == 0 ? nil : h.withoutDistrict,
            types: [Choice(value: "", label: "All types", selected: type == nil)]
                + ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == type) },
            periods: [3, 6, 12, 24].map { Choice(value: "\($0)", label: "Last \($0) months", selected: $0 == months) },
            filterText: "\(type?.label ?? "All types of exploitation"), last \(months) months")
    }
}
