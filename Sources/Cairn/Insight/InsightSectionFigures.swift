import CairnCore
import Foundation

/// The survivor-support and intelligence figures as the dashboard shows them, from Cases' and
/// Intelligence's read interfaces. Survivor tables arrive already suppressed (small numbers and
/// the second-cell rule): a hidden cell says so and its number is never put on the page, in a
/// chart or in a CSV.
enum InsightSectionFigures {
    static func cell(_ c: CellSuppression.Cell) -> InsightFigure.Cell {
        guard let n = c.count else { return .hidden }
        return .count(n)
    }

    static func hiddenNote(_ any: Bool, threshold: Int) -> String {
        any ? "Counts of 1 to \(threshold - 1) survivors are hidden, and where a total would give one away, another count in its row or column is hidden too."
            : "Counts of 1 to \(threshold - 1) survivors would be hidden; none is in this view."
    }

    static func list(_ list: CaseInsight.CountList, totalLabel: String) -> [[InsightFigure.Cell]] {
        var rows = zip(list.labels, list.counts.items).map { label, item in [InsightFigure.Cell.label(label), cell(item)] }
        rows.append([.label(totalLabel), cell(list.counts.total)])
        return rows
    }

    static func table(_ table: CaseInsight.CountTable) -> (columns: [String], rows: [[InsightFigure.Cell]]) {
        var rows: [[InsightFigure.Cell]] = []
        for (index, label) in table.rowLabels.enumerated() {
            let cells = table.counts.cells.indices.contains(index) ? table.counts.cells[index] : []
            let total = table.counts.rowTotals.indices.contains(index) ? cell(table.counts.rowTotals[index]) : .label("")
            rows.append([.label(label)] + cells.map(cell) + [total])
        }
        rows.append([.label("Total")] + table.counts.columnTotals.map(cell) + [cell(table.counts.total)])
        return (table.columnLabels + ["Total"], rows)
    }

    static func survivors(_ s: CaseInsight.SurvivorSupport, during: String) -> [InsightFigure] {
        let k = s.threshold
        var figures: [InsightFigure] = []

        let open = s.stages.counts.total
        var stages = InsightFigure(
            id: "case-stages",
            title: open.count.map { $0 == 0 ? "No survivor-support case was open in this period" : "\(InsightFigure.grouped($0)) survivor-support cases were open in this period" }
                ?? "Fewer than \(k) survivor-support cases were open in this period",
            caption: "Cases open on any day \(during), by where their NRM referral stood at the end of the period.",
            columns: ["Stage", "Cases"], rows: open.raw == 0 ? [] : list(s.stages, totalLabel: "All open cases"), chart: .bars,
            empty: "No survivor-support case was open in this period.")
        stages.note = hiddenNote(s.stages.counts.anySuppressed, threshold: k)
        stages.totalRow = true
        figures.append(stages)

        let decisions = table(s.nrm.decisions)
        func median(_ m: CaseInsight.Median) -> InsightFigure.Cell {
            guard let days = m.days else { return m.over == 0 ? .text("–", value: nil) : .hidden }
            return .text("\(Int(days.rounded())) days", value: (days * 10).rounded() / 10)
        }
        var nrm = InsightFigure(
            id: "nrm",
            title: s.nrm.referrals.count.map { "\(InsightFigure.grouped($0)) NRM referrals were made" } ?? "Fewer than \(k) NRM referrals were made",
            caption: "NRM referrals made, and decisions made, \(during); with the median days from referral to each decision.",
            columns: ["Decision"] + decisions.columns + ["Median days from referral"],
            rows: zip(decisions.rows.indices, decisions.rows).map { index, row in
                row + [index == 0 ? median(s.nrm.daysToReasonableGrounds) : index == 1 ? median(s.nrm.daysToConclusiveGrounds) : .label("")]
            } + [[.label("Referrals made")] + [cell(s.nrm.referrals)] + Array(repeating: InsightFigure.Cell.label(""), count: decisions.columns.count)],
            chart: .none, empty: "")
        nrm.note = hiddenNote(s.nrm.decisions.counts.anySuppressed || s.nrm.referrals.isSuppressed, threshold: k)
            + " A median over fewer than \(k) decisions is hidden."
        figures.append(nrm)

        let beyond = s.recovery.cases.counts.items.first
        var recovery = InsightFigure(
            id: "recovery",
            title: beyond.map { c in c.count.map { "\(InsightFigure.grouped($0)) survivors were supported beyond the \(s.recovery.recoveryDays)-day recovery period" }
                ?? "Fewer than \(k) survivors were supported beyond the recovery period" } ?? "No survivor reached the end of the recovery period",
            caption: "Cases with a positive reasonable-grounds decision whose \(s.recovery.recoveryDays)-day recovery period had ended by the end of the period, open \(during).",
            columns: ["Support", "Cases"], rows: s.recovery.cases.counts.total.raw == 0 ? [] : list(s.recovery.cases, totalLabel: "All such cases"),
            chart: .none, empty: "No case's recovery period ended in this period.")
        recovery.note = hiddenNote(s.recovery.cases.counts.anySuppressed, threshold: k)
        figures.append(recovery)

        let movement = table(s.movement)
        var mscos = InsightFigure(
            id: "outcomes-movement",
            title: s.movement.counts.total.raw == 0 ? "No outcome review in this period can be compared with an intake review"
                : "How survivors' own ratings moved since their intake review",
            caption: "Cases with an intake review and a later review \(during): each core outcome (MSCOS) rated at both, by whether it improved, stayed the same or got worse.",
            columns: ["Core outcome"] + movement.columns, rows: s.movement.counts.total.raw == 0 ? [] : movement.rows, chart: .none,
            empty: "No outcome review in this period can be compared with an intake review.")
        mscos.note = hiddenNote(s.movement.counts.anySuppressed, threshold: k)
        figures.append(mscos)

        let warnings = table(s.warnings)
        var signs = InsightFigure(
            id: "warning-signs",
            title: s.warnings.counts.total.raw == 0 ? "No re-exploitation warning sign was recorded in this period"
                : s.warnings.counts.total.count.map { "\(InsightFigure.grouped($0)) re-exploitation warning signs were recorded" } ?? "Fewer than \(k) warning signs were recorded",
            caption: "Re-exploitation warning signs observed \(during), per quarter.",
            columns: ["Quarter"] + warnings.columns, rows: s.warnings.counts.total.raw == 0 ? [] : warnings.rows, chart: .none,
            empty: "No re-exploitation warning sign was recorded in this period.")
        signs.note = hiddenNote(s.warnings.counts.anySuppressed, threshold: k)
        figures.append(signs)
        return figures
    }

    static func intelligence(_ f: IntelligenceInsight.Figures, during: String) -> [InsightFigure] {
        let networks = f.networkSizes.reduce(0) { $0 + $1.networks }
        let largest = f.networkSizes.last { $0.networks > 0 }
        let sizes = InsightFigure(
            id: "networks",
            title: networks == 0 ? "No linked network has a report from this period"
                : "\(InsightFigure.grouped(networks)) linked networks hold a report from this period\(largest.map { "; the largest are \($0.label.lowercased())" } ?? "")",
            caption: "Networks of linked reports (as they stand now) with at least one report \(during), by how many reports each holds.",
            columns: ["Network size", "Networks"], rows: networks == 0 ? [] : f.networkSizes.map { [.label($0.label), .count($0.networks)] },
            chart: .bars, empty: "No linked network has a report from this period.")
        let received = f.months.reduce(0) { $0 + $1.received }, linked = f.months.reduce(0) { $0 + $1.linkedToEarlier }
        let share = InsightFigure(
            id: "linked-share",
            title: received == 0 ? "No reports were received in this period"
                : "\(InsightFigure.Cell.share(linked, of: received).text) of reports linked to an earlier report",
            caption: "Reports \(during), per month: the share that link to a report received before them.",
            columns: ["Month", "Share linked to an earlier report (%)", "Linked to an earlier report", "Reports received"],
            rows: received == 0 ? [] : f.months.map { m in
                [.label(m.month.label), .share(m.linkedToEarlier, of: m.received), .count(m.linkedToEarlier), .count(m.received)]
            },
            chart: .series, empty: "No reports were received in this period.")
        let cross = f.months.reduce(0) { $0 + $1.crossAgencyLinks }
        let crossFigure = InsightFigure(
            id: "cross-agency-links",
            title: cross == 0 ? "No new cross-agency links were found in this period" : "\(InsightFigure.grouped(cross)) new links joined reports from different agencies or the public",
            caption: "Links found \(during) between reports from different sources (two agencies, or an agency and the public), per month.",
            columns: ["Month", "New cross-agency links"], rows: f.months.isEmpty ? [] : f.months.map { [.label($0.month.label), .count($0.crossAgencyLinks)] },
            chart: .series, empty: "No new cross-agency links were found in this period.")
        return [sizes, share, crossFigure]
    }
}
