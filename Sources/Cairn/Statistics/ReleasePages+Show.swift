import CairnCore
import Disclosure
import Foundation

extension ReleasePages {
    static func showPage(_ d: ReleaseService.Detail, areas: [String], canManage: Bool, canApprove: Bool) -> ShowPage {
        let id = d.summary.id
        let status = d.summary.status
        let definition = d.definition
        let methodText: String
        switch definition.method {
        case .suppression:
            methodText = "Counts from 1 to \(definition.threshold - 1) are hidden. Further cells are hidden where a hidden count could otherwise be worked out "
                + "from this release together with everything the partnership has published before (other tables, other quarters, the year, revisions). "
                + (definition.roundingBase > 1 ? "Every published count is rounded to the nearest \(definition.roundingBase)." : "Published counts are not rounded.")
        case .laplace, .gaussian:
            methodText = "Each count has random noise added (\(definition.method == .laplace ? "discrete Laplace" : "discrete Gaussian")), then is kept at 0 or more; "
                + "totals are the sums of the counts shown. The figure after ± is the 95% error: the true count lies within it about 95 times in 100."
        }
        let parameters = ReleaseService.parameters(definition).sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
        let tables = zip(definition.tables, d.tables).map { spec, published in table(spec, published, areas: areas) }
        let checks = d.checks.map { Check(table: $0.table, cell: $0.cell, reason: $0.reason == "primary" ? "Small count" : $0.reason == "secondary" ? "Hidden to protect another" : "Earlier release",
                                           interval: $0.interval, protected: $0.protected, explanation: $0.explanation ?? "") }
        let budget = d.cost.map { "This release costs \(amount($0, d.measure)). " } ?? ""
        return ShowPage(
            heading: "Statistical release: \(definition.period.label)", status: status.label, method: definition.method.label,
            methodText: methodText, parameters: parameters, revisionNote: d.revisionNote, isRevision: d.summary.revises != nil,
            tables: tables, hasTables: !tables.isEmpty, checks: checks, hasChecks: !checks.isEmpty, safe: d.safe,
            showCheck: definition.method == .suppression && status != .draft && (canManage || canApprove),
            budget: definition.method.isNoise ? budget + budgetText(spent: d.spent, cap: d.cap, measure: d.measure, year: definition.period.year) : "",
            isNoise: definition.method.isNoise, signature: d.signed?.signature ?? "", previous: d.signed?.previous ?? "first in the chain",
            sequence: d.signed.map { "\($0.sequence)" } ?? "", published: status == .approved,
            canPropose: canManage && [.draft, .proposed].contains(status), canApprove: canApprove && status == .proposed && d.safe,
            canWithdraw: canManage && [.draft, .proposed].contains(status),
            proposeHref: ReleaseRoute.propose(.value(id)).path, approveHref: ReleaseRoute.confirmApprove(.value(id)).path,
            withdrawHref: ReleaseRoute.confirmWithdraw(.value(id)).path, csvHref: ReleaseRoute.csv(.value(id)).path,
            jsonHref: ReleaseRoute.json(.value(id)).path, apiHref: "/api/v1/releases/\(id.uuidString)")
    }

    /// A table as rows: one-way tables a column of counts; two-way tables the first dimension
    /// down and the second across, each with its total.
    static func table(_ spec: ReleaseTableSpec, _ published: PublishedTable, areas: [String]) -> Table {
        var byKey: [[String: String]: PublishedCell] = [:]
        for cell in published.cells { byKey[cell.key] = cell }
        let noisy = published.cells.contains { $0.error95 != nil }
        func cell(_ key: [String: String]) -> Cell {
            guard let found = byKey[key] else { return Cell(text: "–", hidden: false, error: "") }
            guard let value = found.value else { return Cell(text: "[c]", hidden: true, error: "") }
            return Cell(text: value.formatted(), hidden: false, error: found.error95.map { "± \(Int($0.rounded(.up)))" } ?? "")
        }
        let first = spec.dimensions[0]
        let downs = first.categories(areas: areas)
        if spec.dimensions.count == 1 {
            let rows = downs.map { TableRow(label: $0.label, cells: [cell([first.rawValue: $0.key])], isTotal: false) }
                + [TableRow(label: "Total", cells: [cell([:])], isTotal: true)]
            return Table(name: published.name, columns: ["Count"], rows: rows, noisy: noisy)
        }
        let second = spec.dimensions[1]
        let across = second.categories(areas: areas)
        let rows = downs.map { down in
            TableRow(label: down.label, cells: across.map { cell([first.rawValue: down.key, second.rawValue: $0.key]) } + [cell([first.rawValue: down.key])], isTotal: false)
        } + [TableRow(label: "Total", cells: across.map { cell([second.rawValue: $0.key]) } + [cell([:])], isTotal: true)]
        return Table(name: published.name, columns: across.map(\.label) + ["Total"], rows: rows, noisy: noisy)
    }

    static let csvHeader = ["table", "dimensions", "cell", "value", "error95"]

    /// One line per cell: the table, its dimensions, the cell's categories, the count (empty
    /// where hidden) and the 95% error (empty unless noisy).
    static func csvRows(_ release: SignedRelease, areas: [String]) -> [[String]] {
        release.tables.flatMap { table in
            table.cells.map { cell in
                let text = table.dimensions.compactMap { name in
                    cell.key[name].map { value in ReleaseDimension(rawValue: name).map { $0.label(of: value, areas: areas) } ?? value }
                }.joined(separator: ", ")
                return [table.name, table.dimensions.joined(separator: "+"), text.isEmpty ? "Total" : text,
                        cell.value.map(String.init) ?? "", cell.error95.map { String(format: "%.1f", $0) } ?? ""]
            }
        }
    }
}
