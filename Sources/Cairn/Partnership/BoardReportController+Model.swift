import CairnCore
import Foundation

/// The board report's view model.
extension BoardReportController {
    struct HeadlineRow: Sendable {
        let name: String
        let value: String
        let before: String
    }

    struct Cell: Sendable {
        let text: String
        let gap: Bool
    }

    struct MatrixRow: Sendable {
        let level: String
        let cells: [Cell]
    }

    struct StatusRow: Sendable {
        let status: String
        let count: Int
        let before: String
    }

    struct IndicatorBlock: Sendable {
        let name: String
        let href: String
        let finding: String
        let chart: String
        let latest: String
        let baseline: String
        let target: String
        let against: String
        let rows: [ValueRow]
    }

    struct ValueRow: Sendable {
        let period: String
        let value: String
    }

    /// The latest closed self-assessment: each factor's median and change, and its gaps.
    struct AssessmentSection: Sendable {
        let name: String
        let href: String
        let closed: String
        let agenciesRated: Int
        /// "3 factors have a median of 2 or less (a gap)."
        let gapText: String
        let rows: [FactorRow]
    }

    struct FactorRow: Sendable {
        let group: String
        let name: String
        let median: String
        let change: String
        let gap: Bool
        let planned: String
    }

    struct ShareRow: Sendable {
        let kind: String
        let count: Int
    }

    struct Page: Sendable {
        let period: String
        let from: String
        let to: String
        let headline: [HeadlineRow]
        let pathways: [String]
        let matrix: [MatrixRow]
        let statuses: [StatusRow]
        let actionsTotal: Int
        let noActions: Bool
        let indicators: [IndicatorBlock]
        let assessment: AssessmentSection?
        /// "4 shares went" / "1 share went".
        let uncoveredText: String
        let uncovered: [ShareRow]
        let agreementsHref: String
        let previous: String
        let hasPrevious: Bool
        let changes: [String]
        let canIssue: Bool
        let threshold: Int
    }

    func page(_ report: BoardReportService.Report, identity: Identity, typed: (String, String)? = nil) -> Page {
        let previous = report.previous
        func periodText(_ first: MonthPeriod, _ last: MonthPeriod) -> String { first == last ? first.label : "\(first.label) to \(last.label)" }
        let headline = report.headline.map { h in
            let format: (Double) -> String = { h.indicator.unit.format($0) }
            let shown = h.suppressed ? "Hidden (fewer than \(SmallNumbers.threshold) people)" : h.value.map(format) ?? "None to count"
            let was = previous.flatMap { $0.snapshot.figures[h.indicator.key] ?? nil }
            return HeadlineRow(name: h.indicator.name, value: shown, before: previous == nil ? "" : was.map(format) ?? "—")
        }
        var changes: [String] = []
        if let previous {
            for h in report.headline {
                guard let now = h.value, let was = previous.snapshot.figures[h.indicator.key] ?? nil, now != was else { continue }
                let format = h.indicator.unit.format
                let better = h.indicator.direction == .higher ? now > was : now < was
                changes.append("\(h.indicator.name): \(format(now)), from \(format(was)) (\(better ? "better" : "worse")).")
            }
            for status in ActionStatus.allCases {
                let now = report.progress.byStatus[status] ?? 0, was = previous.snapshot.actions[status.rawValue] ?? 0
                if now != was { changes.append("Actions \(status.label.lowercased()): \(now), from \(was).") }
            }
            if let was = previous.snapshot.uncoveredShares, was != report.uncoveredTotal {
                changes.append("Shares with no agreement covering them: \(report.uncoveredTotal), from \(was).")
            }
            if let round = report.assessment {
                let gaps = round.map.gaps.count
                if previous.snapshot.assessmentRound != round.round.name {
                    changes.append("A newer self-assessment, \(round.round.name), has closed: \(gaps) \(gaps == 1 ? "gap" : "gaps")"
                                   + (previous.snapshot.assessmentGaps.map { ", from \($0)" } ?? "") + ".")
                }
            }
            if changes.isEmpty { changes.append("No headline figure, action status, shares without an agreement or self-assessment has changed.") }
        }
        let matrix = PreventionLevel.allCases.map { level in
            MatrixRow(level: level.label, cells: PreventionPathway.allCases.map { pathway in
                let counts = report.progress.cells[BoardReportService.Progress.cell(pathway, level)] ?? [:]
                let total = counts.values.reduce(0, +)
                guard total > 0 else { return Cell(text: "Gap: no actions", gap: true) }
                let parts = ActionStatus.allCases.compactMap { s in counts[s].map { "\($0) \(s.label.lowercased())" } }
                return Cell(text: "\(total): " + parts.joined(separator: ", "), gap: false)
            })
        }
        let blocks = report.indicators.map { detail -> IndicatorBlock in
            let i = detail.indicator
            let format: @Sendable (Double) -> String = { i.unit.format($0) }
            let latest = detail.values.last(where: { $0.value != nil })
            let chart = LineChart(title: "\(i.name): the twelve months to \(report.last.label)",
                                  points: detail.values.map { LineChart.Point(label: PlanIndicatorController.shortLabel($0.period), value: $0.value) },
                                  baseline: i.baseline, target: i.target, format: format)
            return IndicatorBlock(name: i.name, href: PlanIndicatorRoute.show(.value(i.key)).path,
                                  finding: PlanIndicatorController.finding(i, detail.values, format: format), chart: chart.svg,
                                  latest: latest.flatMap { v in v.value.map { "\(format($0)) (\(v.label))" } } ?? "None",
                                  baseline: i.baseline.map(format) ?? "Not set", target: i.target.map(format) ?? "Not set",
                                  against: PlanIndicatorController.against(latest?.value, target: i.target, direction: i.direction, format: format),
                                  rows: detail.values.map { ValueRow(period: $0.label, value: $0.suppressed ? "Hidden" : $0.value.map(format) ?? "—") })
        }
        let assessment = report.assessment.map { r in
            AssessmentSection(
                name: r.round.name, href: r.round.id.map { AssessmentRoute.round(.value($0)).path } ?? AssessmentRoute.list.path,
                closed: r.round.closedAt.map(Format.date) ?? "", agenciesRated: r.columns.count,
                gapText: r.map.gaps.isEmpty ? "No principle or factor has a median of 2 or less."
                    : r.map.gaps.count == 1 ? "1 principle or factor has a median of 2 or less (a gap)."
                    : "\(r.map.gaps.count) principles or factors have a median of 2 or less (a gap).",
                rows: r.map.groups.flatMap { group in
                    group.rows.map { row in
                        FactorRow(group: group.group.label, name: row.factor.name, median: row.median.map(Assessment.format) ?? "Not rated",
                                  change: row.change?.text ?? "—", gap: row.isGap,
                                  planned: (r.answeredBy[row.factor.key] ?? []).map(\.title).joined(separator: "; "))
                    }
                })
        }
        let byKind = report.uncoveredByKind
        let shares = ShareKind.allCases.map { ShareRow(kind: $0.label, count: byKind[$0] ?? 0) }
        return Page(
            period: periodText(report.first, report.last), from: typed?.0 ?? report.first.description, to: typed?.1 ?? report.last.description,
            headline: headline, pathways: PreventionPathway.allCases.map(\.shortLabel), matrix: matrix,
            statuses: ActionStatus.allCases.map { s in
                StatusRow(status: s.label, count: report.progress.byStatus[s] ?? 0,
                          before: previous.map { String($0.snapshot.actions[s.rawValue] ?? 0) } ?? "")
            },
            actionsTotal: report.progress.total, noActions: report.progress.total == 0, indicators: blocks,
            assessment: assessment, uncoveredText: report.uncoveredTotal == 1 ? "1 share went" : "\(report.uncoveredTotal) shares went", uncovered: shares, agreementsHref: AgreementRoute.agreements.path,
            previous: previous.map { "the report for \(periodText($0.first, $0.last)), issued \(Format.dateTime($0.issuedAt))" } ?? "",
            hasPrevious: previous != nil, changes: changes, canIssue: identity.can(.editPartnership), threshold: SmallNumbers.threshold)
    }
}
