import CairnCore
import Disclosure
import Foundation

/// View models for the national instance's templates (`national/*`).
enum NationalPages {
    struct Cell: Sendable {
        let text: String
        let note: String
    }

    struct Row: Sendable {
        let label: String
        let isTotal: Bool
        let cells: [Cell]
    }

    struct Grid: Sendable {
        let caption: String
        let columns: [String]
        let rows: [Row]
    }

    struct DashboardPage: Sendable {
        let summary: String
        let empty: Bool
        let canManage: Bool
        let periods: [Choice]
        let tables: [Choice]
        let table: Grid?
        let trend: Grid?
        let csvHref: String
        let exposedWarning: String
    }

    static func periodLabel(_ period: String) -> String { ReleasePeriod(parsing: period)?.label ?? period }

    /// "Labour exploitation", "Child · Labour exploitation", "Total".
    static func keyLabel(_ key: [String: String], dimensions: [String]) -> String {
        guard !key.isEmpty else { return "Total" }
        return dimensions.map { name in
            guard let value = key[name] else { return "all" }
            return ReleaseDimension(rawValue: name)?.label(of: value, areas: []) ?? value
        }.joined(separator: " · ")
    }

    static func cell(_ c: NationalCell) -> Cell {
        switch c.state {
        case .published:
            return Cell(text: c.value.map { "\($0)" } ?? "", note: c.error95.map { "± " + String(format: "%.1f", $0) } ?? "")
        case .range:
            let range = c.high.map { "\(c.low ?? 0) to \($0)" } ?? "at least \(c.low ?? 0)"
            return Cell(text: range, note: "hidden in \(c.hiddenIn) of \(c.partnerships)")
        case .withheld: return Cell(text: "[w]", note: "")
        case .missing: return Cell(text: "–", note: "")
        }
    }

    static func dashboard(_ p: NationalService.Picture, canManage: Bool) -> DashboardPage {
        let table = p.table.map { t in
            Grid(caption: "\(t.name), \(periodLabel(t.period)): by region", columns: t.regions + ["All regions"],
                 rows: t.rows.map { Row(label: keyLabel($0.key, dimensions: t.dimensions), isTotal: $0.key.isEmpty, cells: $0.cells.map(cell)) })
        }
        let trend = p.trend.map { t in
            Grid(caption: "\(t.name): the total each quarter, by region", columns: t.periods.map(periodLabel),
                 rows: t.rows.map { Row(label: $0.region, isTotal: $0.region == "All regions", cells: $0.cells.map(cell)) })
        }
        let summary = p.partnerships == 0 ? "No partnership is registered yet."
            : "\(p.partnerships) partnership\(p.partnerships == 1 ? "" : "s") registered; \(p.releases) release\(p.releases == 1 ? "" : "s") accepted."
        let warning = p.exposed == 0 ? ""
            : "\(p.exposed) hidden cell\(p.exposed == 1 ? "" : "s") in partnerships’ releases could be worked out from what they published, or could not be checked: no national figure that includes \(p.exposed == 1 ? "it" : "them") is shown. See each partnership’s page."
        return DashboardPage(
            summary: summary, empty: p.table == nil, canManage: canManage,
            periods: p.periods.reversed().map { Choice(value: $0, label: periodLabel($0), selected: $0 == p.table?.period) },
            tables: p.tables.map { Choice(value: $0, label: $0, selected: $0 == p.table?.name) },
            table: table, trend: trend,
            csvHref: p.table.map { NationalRoute.csv.path(query: [("period", $0.period), ("table", $0.name)]) } ?? "",
            exposedWarning: warning)
    }

    static let csvHeader = ["period", "table", "cell", "region", "state", "value", "low", "high", "error95", "partnerships", "hidden_in"]

    static func csvRows(_ t: NationalService.Table) -> [[String]] {
        t.rows.flatMap { row in
            zip(t.regions + ["All regions"], row.cells).map { region, c in csvRow(t, key: row.key, region: region, cell: c) }
        }
    }

    static func csvRow(_ t: NationalService.Table, key: [String: String], region: String, cell c: NationalCell) -> [String] {
        func text(_ n: Int?) -> String { n.map { "\($0)" } ?? "" }
        let error: String = c.error95.map { String(format: "%.2f", $0) } ?? ""
        let start: [String] = [t.period, t.name, keyLabel(key, dimensions: t.dimensions), region, c.state.rawValue]
        return start + [text(c.value), text(c.low), text(c.high), error, "\(c.partnerships)", "\(c.hiddenIn)"]
    }

    struct PartnershipRow: Sendable {
        let href: String
        let name: String
        let id: String
        let region: String
        let releases: Int
        let lastPeriod: String
        let lastReceived: String
        let exposed: Int
    }

    static func row(_ s: NationalService.PartnershipSummary) -> PartnershipRow {
        PartnershipRow(href: NationalRoute.partnership(.value(s.id)).path, name: s.name, id: s.id, region: s.region, releases: s.releases,
                       lastPeriod: s.lastPeriod.map(periodLabel) ?? "None yet", lastReceived: s.lastReceived.map(Format.dateTime) ?? "", exposed: s.exposed)
    }

    struct ListPage: Sendable {
        let rows: [PartnershipRow]
        let empty: Bool
        let canManage: Bool
    }

    struct FormPage: Sendable {
        let id: String
        let name: String
        let region: String
        let publicKey: String
    }

    struct ReleaseLine: Sendable {
        let href: String
        let sequence: Int
        let period: String
        let method: String
        let revision: Bool
        let received: String
    }

    struct FindingLine: Sendable {
        let release: String
        let table: String
        let cell: String
        let range: String
        let status: String
        let exposed: Bool
    }

    struct PartnershipPage: Sendable {
        let name: String
        let id: String
        let region: String
        let publicKey: String
        let registered: String
        let releases: [ReleaseLine]
        let empty: Bool
        let findings: [FindingLine]
        let hasFindings: Bool
        let exposed: Int
        let hasExposed: Bool
    }

    static func method(_ raw: String) -> String { ReleaseMethod(rawValue: raw)?.label ?? raw }

    static func finding(_ f: HiddenCellFinding, dimensions: [String]) -> FindingLine {
        let range = f.exact ? Interval(low: f.low, high: f.high, exact: true).text : "could not be checked"
        return FindingLine(release: "#\(f.sequence), \(periodLabel(f.period))", table: f.table, cell: keyLabel(f.key, dimensions: dimensions),
                           range: range, status: status(f), exposed: f.isExposed)
    }

    static func status(_ f: HiddenCellFinding) -> String {
        if !f.exact { return "Could not be checked: treated as exposed" }
        if f.isExposed { return "Exposed: provably a count from 1 to \(f.k - 1)" }
        if f.isProtected { return "Protected" }
        return "Narrowed, but not to a small count (vouched for by the partnership’s check)"
    }

    static func partnershipPage(_ d: (summary: NationalService.PartnershipSummary, releases: [NationalService.ReleaseRow], findings: [HiddenCellFinding])) -> PartnershipPage {
        PartnershipPage(
            name: d.summary.name, id: d.summary.id, region: d.summary.region, publicKey: d.summary.publicKey, registered: Format.dateTime(d.summary.registeredAt),
            releases: d.releases.map { r in
                ReleaseLine(href: NationalRoute.release(.value(r.id)).path, sequence: r.sequence, period: periodLabel(r.period), method: method(r.method),
                            revision: r.revises != nil, received: Format.dateTime(r.receivedAt))
            },
            empty: d.releases.isEmpty,
            findings: d.findings.map { finding($0, dimensions: $0.key.keys.sorted()) }, hasFindings: !d.findings.isEmpty, exposed: d.summary.exposed,
            hasExposed: d.summary.exposed > 0)
    }

    struct ReleasePage: Sendable {
        let heading: String
        let partnershipHref: String
        let partnership: String
        let sequence: Int
        let method: String
        let parameters: String
        let revises: String
        let received: String
        let hash: String
        let previous: String
        let signature: String
        let tables: [Grid]
        let findings: [FindingLine]
        let hasFindings: Bool
    }

    static func releasePage(_ d: (row: NationalService.ReleaseRow, release: SignedRelease, findings: [HiddenCellFinding])) -> ReleasePage {
        let r = d.release
        return ReleasePage(
            heading: "\(r.partnership): \(periodLabel(r.period)) (#\(r.sequence))", partnershipHref: NationalRoute.partnership(.value(r.partnership)).path,
            partnership: r.partnership, sequence: r.sequence, method: method(r.method),
            parameters: r.parameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", "),
            revises: r.revises ?? "", received: Format.dateTime(d.row.receivedAt), hash: d.row.hash, previous: r.previous ?? "none (the first)",
            signature: r.signature,
            tables: r.tables.map { t in
                Grid(caption: t.name, columns: ["Count"], rows: t.cells.map { c in
                    Row(label: keyLabel(c.key, dimensions: t.dimensions), isTotal: c.key.isEmpty,
                        cells: [Cell(text: c.value.map { "\($0)" } ?? "[c]", note: c.error95.map { "± " + String(format: "%.1f", $0) } ?? "")])
                })
            },
            findings: d.findings.map { finding($0, dimensions: $0.key.keys.sorted()) }, hasFindings: !d.findings.isEmpty)
    }
}
