import CairnCore
import Foundation

/// One figure on the dashboard, as the page, its CSV and the API give it: a title that states
/// the finding in words, what was counted and over which period, a table (the first column
/// names each row) and how it is drawn.
struct InsightFigure: Sendable, Codable {
    enum Chart: String, Sendable, Codable {
        /// A line over time, one point per row (second column).
        case series
        /// One bar per row (second column).
        case bars
        /// Only the table.
        case none
    }

    struct Cell: Sendable, Codable {
        let text: String
        /// The number behind it (CSV and charts); nil for a label, an empty or hidden cell.
        let value: Double?
        /// True where a small number is hidden.
        let suppressed: Bool
        /// Where the cell drills down to (a list of the reports it counts), if anywhere.
        let href: String?

        static func label(_ text: String, href: String? = nil) -> Cell { Cell(text: text, value: nil, suppressed: false, href: href) }
        static func count(_ n: Int, href: String? = nil) -> Cell { Cell(text: InsightFigure.grouped(n), value: Double(n), suppressed: false, href: href) }
        static func share(_ part: Int, of whole: Int) -> Cell {
            whole == 0 ? Cell(text: "–", value: nil, suppressed: false, href: nil)
                : Cell(text: Self.percent(Double(part) / Double(whole)), value: (Double(part) / Double(whole) * 1000).rounded() / 10, suppressed: false, href: nil)
        }
        static func text(_ text: String, value: Double?) -> Cell { Cell(text: text, value: value, suppressed: false, href: nil) }
        static let hidden = Cell(text: "Hidden (small number)", value: nil, suppressed: true, href: nil)

        static func percent(_ fraction: Double) -> String {
            let p = fraction * 100
            return p > 0 && p < 1 ? "under 1%" : "\(Int(p.rounded()))%"
        }
    }

    /// Stable name, used in the CSV link and as the page anchor.
    let id: String
    let title: String
    /// What was counted, the unit and the period.
    let caption: String
    let columns: [String]
    let rows: [[Cell]]
    let chart: Chart
    /// Said instead of the table when there is nothing to count.
    let empty: String
    /// A note under the table (how a figure is measured, why cells are hidden).
    var note: String = ""
    /// The last row is a total: in the table, not in the chart.
    var totalRow = false

    var isEmpty: Bool { rows.isEmpty }

    /// The chart's points: each row's label and its second column.
    var points: [(label: String, value: Double?)] {
        (totalRow ? Array(rows.dropLast()) : rows).map { ($0.first?.text ?? "", $0.count > 1 ? $0[1].value : nil) }
    }

    /// The figure as CSV rows (header first): numbers as numbers, a hidden cell empty.
    var csvRows: [[String]] {
        [columns] + rows.map { row in
            row.enumerated().map { index, cell in
                index == 0 || cell.value == nil ? (cell.suppressed ? "" : cell.text) : Self.number(cell.value ?? 0)
            }
        }
    }

    /// "378,540": digits grouped in threes, without Foundation's formatters (slow on Linux,
    /// and a page has thousands of numbers).
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return n < 0 ? "-" + out : out
    }

    static func number(_ value: Double) -> String {
        guard value == value.rounded(), abs(value) < 1e15 else { return String((value * 10).rounded() / 10) }
        return String(Int(value))
    }
}
