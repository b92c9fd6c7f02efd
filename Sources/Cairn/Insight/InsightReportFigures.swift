import CairnCore
import Foundation

/// The report and referral figures of a period, from its tallies. Counts of reports and
/// referrals are shown as they are (they describe no one); drilling down goes to the report
/// list with the same filter, where each reader sees only the reports they may open.
struct InsightReportFigures: Sendable {
    let period: InsightPeriod
    let filters: InsightFilters
    let months: [(month: MonthPeriod, tally: InsightTally)]
    /// Agency names by id, for referrals.
    let agencies: [UUID: String]
    /// Where a count drills down to, given the list's extra filters; nil when the reader
    /// cannot list reports.
    let drill: (@Sendable ([(String, String)]) -> String)?
    let today: CalendarDate
    let deadlines: ResponseDeadlines

    /// Reports received per month of the period (for the intelligence section's shares).
    var receivedByMonth: [MonthPeriod: Int] {
        Dictionary(months.map { ($0.month, $0.tally["r"]) }, uniquingKeysWith: +)
    }

    var total: InsightTally {
        var all = InsightTally()
        for item in months { all.merge(item.tally) }
        return all
    }

    var all: [InsightFigure] {
        let total = total
        return [received(total), types(total), channels(total), sources(total), areas(total), children(total), urgency(total),
                triage(total), outcomeTimes(total), outcomes(total), referrals(total)]
    }

    var during: String { "received \(period.phrase)" }

    func link(_ items: [(String, String)]) -> String? { drill?(items) }

    // MARK: Received over time

    func received(_ total: InsightTally) -> InsightFigure {
        var rows: [[InsightFigure.Cell]] = []
        let perDay = total.under("r.d.")
        if period.byWeek {
            // Weeks start on Monday; the first and last may be partial.
            var start = period.from.adding(days: -(Weekday.allCases.firstIndex(of: period.from.weekday) ?? 0))  // Monday first
            let last = min(period.to, today)
            while start <= last {
                let end = start.adding(days: 6)
                var n = 0
                var day = max(start, period.from)
                while day <= min(end, last) { n += perDay[day.description] ?? 0; day = day.adding(days: 1) }
                rows.append([.label("Week of \(InsightPeriod.long(max(start, period.from)))"),
                             .count(n, href: link([("from", max(start, period.from).description), ("to", min(end, last).description)]))])
                start = start.adding(days: 7)
            }
        } else {
            for item in months {
                let first = max(item.month.firstDay, period.from), last = min(item.month.adding(months: 1).firstDay.adding(days: -1), period.to)
                rows.append([.label(item.month.label), .count(item.tally["r"], href: link([("from", first.description), ("to", last.description)]))])
            }
        }
        let unit = period.byWeek ? "week" : "month"
        let busiest = rows.max { ($0[1].value ?? 0) < ($1[1].value ?? 0) }
        let title = total["r"] == 0 ? "No reports were received in this period"
            : "\(InsightFigure.grouped(total["r"])) reports received; the busiest \(unit) was \(busiest?.first?.text ?? "") (\(busiest?[1].text ?? "0"))"
        return InsightFigure(id: "received", title: title, caption: "Reports \(during), per \(unit).",
                             columns: [unit == "week" ? "Week" : "Month", "Reports"], rows: total["r"] == 0 ? [] : rows, chart: .series,
                             empty: "No reports were received in this period.")
    }

    // MARK: Breakdowns

    private func breakdown(_ total: InsightTally, prefix: String, label: (String) -> String, drill: (String) -> [(String, String)]?, order: [String] = []) -> [[InsightFigure.Cell]] {
        let counts = total.under(prefix)
        let keys = counts.keys.sorted { a, b in
            let (ia, ib) = (order.firstIndex(of: a) ?? Int.max, order.firstIndex(of: b) ?? Int.max)
            return order.isEmpty ? ((counts[a] ?? 0), b) > ((counts[b] ?? 0), a) : (ia, a) < (ib, b)
        }
        let whole = total["r"]
        return keys.filter { (counts[$0] ?? 0) > 0 }.map { key in
            let n = counts[key] ?? 0
            return [.label(label(key)), .count(n, href: drill(key).flatMap { link(periodItems + $0) }), .share(n, of: whole)]
        }
    }

    var periodItems: [(String, String)] { [("from", period.from.description), ("to", min(period.to, today).description)] }

    private func leading(_ rows: [[InsightFigure.Cell]]) -> (label: String, share: String)? {
        rows.max { ($0[1].value ?? 0) < ($1[1].value ?? 0) }.map { ($0[0].text, $0[2].text) }
    }

    func types(_ total: InsightTally) -> InsightFigure {
        let rows = breakdown(total, prefix: "t.", label: { key in
            key == "none" ? "Not yet known" : ExploitationType(rawValue: key)?.label ?? key
        }, drill: { key in ExploitationType(rawValue: key).map { [("type", $0.rawValue)] } })
        let top = leading(rows.filter { $0[0].text != "Not yet known" })
        return InsightFigure(id: "types", title: top.map { "\($0.label) was the type most reported: \($0.share) of reports" } ?? "No reports to count by type",
                             caption: "Reports \(during), by exploitation type. A report of more than one type counts under each, so shares can add up to more than 100%.",
                             columns: ["Exploitation type", "Reports", "Share of reports"], rows: rows, chart: .bars, empty: "No reports in this period.")
    }

    func sources(_ total: InsightTally) -> InsightFigure {
        let rows = breakdown(total, prefix: "p.", label: { ReporterType(rawValue: $0)?.label ?? $0 },
                             drill: { [("reporter", $0)] })
        let top = leading(rows)
        return InsightFigure(id: "sources", title: top.map { "Most reports came from: \($0.label.lowercased()) (\($0.share))" } ?? "No reports to count by who made them",
                             caption: "Reports \(during), by who made them.",
                             columns: ["Reported by", "Reports", "Share of reports"], rows: rows, chart: .bars, empty: "No reports in this period.")
    }

    func channels(_ total: InsightTally) -> InsightFigure {
        let order = ReportSource.allCases.map(\.rawValue)
        let rows = breakdown(total, prefix: "c.", label: { ReportSource(rawValue: $0)?.label ?? $0 },
                             drill: { [("source", $0)] }, order: order)
        let channels = total.under("c.")
        let publicShare = InsightFigure.Cell.share(channels[ReportSource.public.rawValue] ?? 0, of: total["r"]).text
        let practitionerShare = InsightFigure.Cell.share(channels[ReportSource.practitioner.rawValue] ?? 0, of: total["r"]).text
        return InsightFigure(id: "channels", title: total["r"] == 0 ? "No reports to count by channel"
                                : "Practitioners made \(practitionerShare) of reports and the public \(publicShare)",
                             caption: "Reports \(during), by the way they came in: the public form (and public API), or a signed-in practitioner.",
                             columns: ["Channel", "Reports", "Share of reports"], rows: rows, chart: .bars, empty: "No reports in this period.")
    }

    func areas(_ total: InsightTally) -> InsightFigure {
        let rows = breakdown(total, prefix: "a.", label: { $0 == "none" ? "No postcode given" : $0 },
                             drill: { $0 == "none" ? nil : [("district", $0)] })
        let top = leading(rows.filter { $0[0].text != "No postcode given" })
        return InsightFigure(id: "areas", title: top.map { "\($0.label) saw the most reports: \($0.share)" } ?? "No reports to count by area",
                             caption: "Reports \(during), by postcode district of the place of concern.",
                             columns: ["Postcode district", "Reports", "Share of reports"], rows: rows, chart: .bars, empty: "No reports in this period.")
    }

    func children(_ total: InsightTally) -> InsightFigure {
        let order = AgeGroup.allCases.map(\.rawValue)
        let rows = breakdown(total, prefix: "g.", label: { AgeGroup(rawValue: $0)?.label ?? $0 },
                             drill: { [("age", $0)] }, order: order)
        let groups = total.under("g.")
        let child = (groups[AgeGroup.child.rawValue] ?? 0) + (groups[AgeGroup.possibleChild.rawValue] ?? 0)
        return InsightFigure(id: "children", title: total["r"] == 0 ? "No reports to count by age"
                                : "A child was or may have been involved in \(InsightFigure.Cell.share(child, of: total["r"]).text) of reports",
                             caption: "Reports \(during), by the age of the person of concern.",
                             columns: ["Age", "Reports", "Share of reports"], rows: rows, chart: .bars, empty: "No reports in this period.")
    }

    func urgency(_ total: InsightTally) -> InsightFigure {
        let order = Urgency.allCases.sorted(by: >).map(\.rawValue)
        let rows = breakdown(total, prefix: "u.", label: { Urgency(rawValue: $0)?.label ?? $0 },
                             drill: { [("urgency", $0)] }, order: order)
        let urgent = total.under("u.").filter { Urgency(rawValue: $0.key).map { $0 >= .high } ?? false }.values.reduce(0, +)
        return InsightFigure(id: "urgency", title: total["r"] == 0 ? "No reports to count by urgency"
                                : "\(InsightFigure.Cell.share(urgent, of: total["r"]).text) of reports were high urgency or an emergency",
                             caption: "Reports \(during), by urgency at triage.",
                             columns: ["Urgency", "Reports", "Share of reports"], rows: rows, chart: .bars, empty: "No reports in this period.")
    }

    func outcomes(_ total: InsightTally) -> InsightFigure {
        let order = ReportOutcome.allCases.map(\.rawValue) + ["none"]
        let rows = breakdown(total, prefix: "o.", label: { $0 == "none" ? "No outcome yet" : ReportOutcome(rawValue: $0)?.label ?? $0 },
                             drill: { [("outcome", $0)] }, order: order)
        let top = leading(rows.filter { $0[0].text != "No outcome yet" })
        return InsightFigure(id: "outcomes", title: top.map { "The most common outcome was \($0.label.lowercased()): \($0.share) of reports" } ?? "No report in this period has an outcome yet",
                             caption: "Reports \(during), by the outcome recorded when they were closed.",
                             columns: ["Outcome", "Reports", "Share of reports"], rows: rows, chart: .bars, empty: "No reports in this period.")
    }
}
