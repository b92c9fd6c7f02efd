import Foundation

/// A chart drawn on the server as SVG: it needs no JavaScript, prints in black and white (the
/// series is a solid line with square markers, the baseline dashed, the target dotted, each
/// named in words), and its figures are always also given as a table beside it. Every text in
/// it is escaped.
struct LineChart: Sendable {
    struct Point: Sendable {
        let label: String
        /// Nil where there is no value (nothing to count, or suppressed): the line breaks there.
        let value: Double?
    }

    let title: String
    let points: [Point]
    let baseline: Double?
    let target: Double?
    /// How a value is written on the axis and in the markers' titles.
    let format: @Sendable (Double) -> String
    /// The title's id (unique on a page with several charts).
    var titleID = "chart-title"
    /// Events marked on the time line: a dotted upright line at a point, labelled in words.
    var marks: [Mark] = []

    struct Mark: Sendable {
        /// The point it stands at.
        let index: Int
        /// A short name, explained beside the chart ("S1", "C2").
        let label: String
    }

    static let width = 720.0, height = 300.0
    static let left = 64.0, right = 96.0, top = 20.0, bottom = 44.0

    var svg: String {
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let values = points.compactMap(\.value) + [baseline, target].compactMap { $0 }
        let top = Self.niceCeiling(max(values.max() ?? 0, 1))
        func x(_ index: Int) -> Double {
            points.count <= 1 ? Self.left + plotWidth / 2 : Self.left + plotWidth * Double(index) / Double(points.count - 1)
        }
        func y(_ value: Double) -> Double { Self.top + plotHeight * (1 - min(max(value / top, 0), 1)) }
        func n(_ v: Double) -> String { String((v * 10).rounded() / 10) }
        var parts: [String] = []
        parts.append("<svg class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" aria-labelledby=\"\(Self.escape(titleID))\" xmlns=\"http://www.w3.org/2000/svg\">")
        parts.append("<title id=\"\(Self.escape(titleID))\">\(Self.escape(title))</title>")
        // Gridlines and the value axis: five steps from 0 to the top.
        for step in 0...4 {
            let value = top * Double(step) / 4
            parts.append("<line class=\"grid\" x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotWidth))\" y1=\"\(n(y(value)))\" y2=\"\(n(y(value)))\"/>")
            parts.append("<text class=\"axis\" x=\"\(n(Self.left - 8))\" y=\"\(n(y(value) + 4))\" text-anchor=\"end\">\(Self.escape(format(value)))</text>")
        }
        // The period axis: every label when they fit, otherwise every other.
        let every = points.count > 14 ? 3 : points.count > 8 ? 2 : 1
        for (index, point) in points.enumerated() where index % every == 0 || index == points.count - 1 {
            parts.append("<text class=\"axis\" x=\"\(n(x(index)))\" y=\"\(n(Self.height - Self.bottom + 18))\" text-anchor=\"middle\">\(Self.escape(point.label))</text>")
        }
        for (name, value, style) in [("Baseline", baseline, "baseline"), ("Target", target, "target")] {
            guard let value else { continue }
            parts.append("<line class=\"\(style)\" x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotWidth))\" y1=\"\(n(y(value)))\" y2=\"\(n(y(value)))\"/>")
            parts.append("<text class=\"line-label\" x=\"\(n(Self.left + plotWidth + 6))\" y=\"\(n(y(value) + 4))\">\(name) \(Self.escape(format(value)))</text>")
        }
        // Marks: one upright line per point, its labels joined when several fall on it.
        let marked = Dictionary(grouping: marks.filter { points.indices.contains($0.index) }, by: \.index)
        for (row, index) in marked.keys.sorted().enumerated() {
            let labels = (marked[index] ?? []).map(\.label).joined(separator: " ")
            parts.append("<line class=\"mark\" x1=\"\(n(x(index)))\" x2=\"\(n(x(index)))\" y1=\"\(n(Self.top))\" y2=\"\(n(Self.top + plotHeight))\"/>")
            // Neighbouring marks' labels alternate between two heights so they do not overlap.
            parts.append("<text class=\"mark-label\" x=\"\(n(x(index) + 3))\" y=\"\(n(Self.top + (row % 2 == 0 ? 10 : 24)))\">\(Self.escape(labels))</text>")
        }
        // The series: a line through consecutive values, broken where one is missing.
        var run: [String] = []
        func flush() {
            if run.count > 1 { parts.append("<polyline class=\"series\" points=\"\(run.joined(separator: " "))\"/>") }
            run = []
        }
        for (index, point) in points.enumerated() {
            guard let value = point.value else { flush(); continue }
            run.append("\(n(x(index))),\(n(y(value)))")
        }
        flush()
        for (index, point) in points.enumerated() {
            guard let value = point.value else { continue }
            parts.append("<rect class=\"marker\" x=\"\(n(x(index) - 3.5))\" y=\"\(n(y(value) - 3.5))\" width=\"7\" height=\"7\"><title>\(Self.escape(point.label)): \(Self.escape(format(value)))</title></rect>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// 1, 2, 2.5 or 5 times a power of ten, at least `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value.isFinite, value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * power >= value { return factor * power }
        return 10 * power
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
