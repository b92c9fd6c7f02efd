import Foundation

/// Horizontal bars drawn on the server as SVG, one per category, each labelled with its name
/// and its value in words beside the bar, so it reads without colour and without JavaScript;
/// the same figures are always given as a table too. Every text in it is escaped.
struct BarChart: Sendable {
    struct Bar: Sendable {
        let label: String
        /// Nil where the value is hidden or missing: the bar is left out and the row says so.
        let value: Double?
    }

    let title: String
    let titleID: String
    let bars: [Bar]
    let format: @Sendable (Double) -> String

    static let width = 720.0, rowHeight = 26.0, labelWidth = 230.0, valueWidth = 90.0, top = 8.0

    var svg: String {
        let height = Self.top * 2 + Self.rowHeight * Double(max(bars.count, 1))
        let plot = Self.width - Self.labelWidth - Self.valueWidth
        let largest = max(bars.compactMap(\.value).max() ?? 0, 1)
        func n(_ v: Double) -> String { String((v * 10).rounded() / 10) }
        var parts: [String] = []
        parts.append("<svg class=\"chart bar-chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(LineChart.escape(titleID))\" xmlns=\"http://www.w3.org/2000/svg\">")
        parts.append("<title id=\"\(LineChart.escape(titleID))\">\(LineChart.escape(title))</title>")
        for (index, bar) in bars.enumerated() {
            let y = Self.top + Self.rowHeight * Double(index)
            let label = bar.label.count > 34 ? String(bar.label.prefix(33)) + "…" : bar.label
            parts.append("<text class=\"axis\" x=\"\(n(Self.labelWidth - 8))\" y=\"\(n(y + 17))\" text-anchor=\"end\">\(LineChart.escape(label))</text>")
            guard let value = bar.value else {
                parts.append("<text class=\"line-label\" x=\"\(n(Self.labelWidth + 4))\" y=\"\(n(y + 17))\">hidden</text>")
                continue
            }
            let length = max(plot * min(max(value / largest, 0), 1), value > 0 ? 2 : 0)
            parts.append("<rect class=\"bar\" x=\"\(n(Self.labelWidth))\" y=\"\(n(y + 4))\" width=\"\(n(length))\" height=\"\(n(Self.rowHeight - 8))\"><title>\(LineChart.escape(bar.label)): \(LineChart.escape(format(value)))</title></rect>")
            parts.append("<text class=\"line-label\" x=\"\(n(Self.labelWidth + length + 6))\" y=\"\(n(y + 17))\">\(LineChart.escape(format(value)))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
