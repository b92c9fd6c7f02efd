// The national side's arithmetic, on published cells only: what an attacker can narrow each
// hidden cell to from everything a partnership has published in a year, and national tables
// summed across partnerships without ever showing what a partnership hid.

import Foundation

/// One hidden cell of a partnership's release and the range an attacker reaches for it.
public struct HiddenCellFinding: Codable, Sendable, Hashable {
    public let releaseID: String
    public let sequence: Int
    public let period: String
    public let table: String
    public let key: [String: String]
    public let low: Int
    public let high: Int?
    /// False when the check could not finish or the figures disagree: treated as exposed.
    public let exact: Bool
    /// The release's own threshold.
    public let k: Int

    public init(releaseID: String, sequence: Int, period: String, table: String, key: [String: String], low: Int, high: Int?, exact: Bool, k: Int) {
        self.releaseID = releaseID
        self.sequence = sequence
        self.period = period
        self.table = table
        self.key = key
        self.low = low
        self.high = high
        self.exact = exact
        self.k = k
    }

    /// Neither 0 nor k can be ruled out.
    public var isProtected: Bool { Interval(low: low, high: high, exact: exact).protects(k: k) }

    /// The published figures alone prove it is a count from 1 to k−1 (or it could not be
    /// checked). Without the true counts, this is what the national side can be sure of: a
    /// range that is narrower but not provably small (a large cell hidden to protect a small
    /// one, or a zero) was vouched for by the partnership's own check, which had them.
    public var isExposed: Bool { !exact || (low >= 1 && (high.map { $0 <= k - 1 } ?? false)) }
}

public enum PublicationCheck {
    /// The population a table counts, from its name ("People referred by …" → "People referred").
    public static func population(of table: String) -> String {
        table.range(of: " by ").map { String(table[..<$0.lowerBound]) } ?? table
    }

    /// The year of a period ("2026-Q3" or "2026").
    public static func year(of period: String) -> String { String(period.prefix(4)) }

    /// The quarters a period covers.
    public static func quarters(of period: String) -> [String] {
        period.count == 4 ? (1...4).map { "\(period)-Q\($0)" } : [period]
    }

    /// For every hidden cell of a partnership's current suppression releases in `year` (the
    /// latest release of each period; a revision replaces what it revises), the range an
    /// attacker can narrow it to from every cell of those releases together: quarters, the
    /// year, margins and other tables. Where figures of different periods disagree (records
    /// changed between releases), each period is checked on its own and a cell that still
    /// cannot be vouched for is returned with `exact == false`.
    public static func hiddenCells(_ releases: [SignedRelease], year: String, nodeLimit: Int = Attacker.defaultNodeLimit) -> [HiddenCellFinding] {
        let current = currentReleases(releases.filter { Self.year(of: $0.period) == year && $0.method == "suppression" })
        guard !current.isEmpty else { return [] }
        var byPopulation: [String: [(SignedRelease, PublishedTable)]] = [:]
        for release in current {
            for table in release.tables { byPopulation[population(of: table.name), default: []].append((release, table)) }
        }
        var findings: [HiddenCellFinding] = []
        for population in byPopulation.keys.sorted() {
            let tables = byPopulation[population] ?? []
            var combined = check(tables, year: year, nodeLimit: nodeLimit)
            if combined.contains(where: { !$0.exact }) {
                // Check each period alone; keep whichever answer is exact.
                var alone: [String: HiddenCellFinding] = [:]
                for period in Set(tables.map(\.0.period)) {
                    for f in check(tables.filter { $0.0.period == period }, year: year, nodeLimit: nodeLimit) { alone[f.identity] = f }
                }
                combined = combined.map { f in f.exact ? f : (alone[f.identity].flatMap { $0.exact ? $0 : nil } ?? f) }
            }
            findings += combined
        }
        return findings
    }

    /// The latest release of each period (by sequence).
    public static func currentReleases(_ releases: [SignedRelease]) -> [SignedRelease] {
        var latest: [String: SignedRelease] = [:]
        for r in releases where latest[r.period].map({ r.sequence > $0.sequence }) ?? true { latest[r.period] = r }
        return latest.values.sorted { $0.sequence < $1.sequence }
    }

    static func check(_ tables: [(SignedRelease, PublishedTable)], year: String, nodeLimit: Int) -> [HiddenCellFinding] {
        // The dimensions in play and their categories, as the published keys name them.
        var dimensionOrder: [String] = []
        var categories: [String: [String]] = [:]
        for (_, table) in tables {
            for d in table.dimensions where categories[d] == nil {
                dimensionOrder.append(d)
                categories[d] = []
            }
            for cell in table.cells {
                for (d, c) in cell.key where !(categories[d]?.contains(c) ?? true) { categories[d]?.append(c) }
            }
        }
        let yearQuarters = Self.quarters(of: year)
        let space: AtomSpace? = try? AtomSpace(dimensions: dimensionOrder.map { Dimension(name: $0, categories: categories[$0] ?? []) }, periods: yearQuarters)
        var figures: [Figure] = []
        var targets: [(release: SignedRelease, table: String, key: [String: String], atoms: [Int]?)] = []
        for (release, table) in tables {
            let k = Int(release.parameters["k"] ?? "") ?? 10
            let base = Int(release.parameters["roundingBase"] ?? "") ?? 1
            for cell in table.cells {
                let atoms = space?.atoms(periods: Self.quarters(of: release.period), key: CellKey(cell.key))
                if let value = cell.value {
                    if let atoms { figures.append(.published(atoms: atoms, value: value, base: base, k: k)) }
                } else {
                    targets.append((release, table.name, cell.key, atoms))
                }
            }
        }
        var findings: [HiddenCellFinding] = []
        let byK = Dictionary(grouping: targets.indices) { Int(targets[$0].release.parameters["k"] ?? "") ?? 10 }
        for (k, indices) in byK.sorted(by: { $0.key < $1.key }) {
            let checkable = indices.filter { targets[$0].atoms != nil }
            let intervals = space.map { s in
                Attacker.protection(figures: figures, targets: checkable.map { targets[$0].atoms ?? [] }, atomCount: s.count, k: k, nodeLimit: nodeLimit)
            } ?? []
            var result: [Int: Interval] = [:]
            for (n, i) in checkable.enumerated() where n < intervals.count { result[i] = intervals[n] }
            for i in indices {
                let t = targets[i]
                let interval = result[i] ?? Interval(low: 0, high: nil, exact: false)
                findings.append(HiddenCellFinding(releaseID: t.release.id, sequence: t.release.sequence, period: t.release.period, table: t.table,
                                                  key: t.key, low: interval.low, high: interval.high, exact: interval.exact, k: k))
            }
        }
        return findings
    }
}

extension HiddenCellFinding {
    /// Which cell it is, whatever the range.
    var identity: String { "\(releaseID)|\(table)|\(key.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))" }
}

/// A national figure: the sum of one cell over the partnerships that published it.
public struct NationalCell: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        /// Every part was published: `value` is their sum.
        case published
        /// Some part was hidden: `low`…`high` is what the published figures allow.
        case range
        /// Not shown: a hidden part could be worked out, could not be checked, or the sum is
        /// below the national threshold.
        case withheld
        /// No partnership published this cell for the period.
        case missing
    }

    public let state: State
    public let value: Int?
    public let low: Int?
    public let high: Int?
    /// The combined 95% error of noisy parts (independent noise: the root of the sum of squares).
    public let error95: Double?
    /// How many partnerships' releases it sums, and in how many the cell was hidden.
    public let partnerships: Int
    public let hiddenIn: Int
}

/// A partnership's accepted releases as the national tables read them.
public struct PartnershipReleases: Sendable {
    public let partnership: String
    public let region: String
    public let releases: [SignedRelease]
    public let findings: [HiddenCellFinding]

    public init(partnership: String, region: String, releases: [SignedRelease], findings: [HiddenCellFinding]) {
        self.partnership = partnership
        self.region = region
        self.releases = releases
        self.findings = findings
    }
}

public enum NationalTables {
    /// The national cell for one table, period and key, over some partnerships.
    public static func cell(table: String, period: String, key: [String: String], over partnerships: [PartnershipReleases], k: Int) -> NationalCell {
        var known = 0, low = 0
        var high: Int? = 0
        var errorSquares = 0.0, noisy = false
        var count = 0, hidden = 0
        var withheld = false
        for p in partnerships {
            guard let release = PublicationCheck.currentReleases(p.releases.filter { $0.period == period }).last,
                  let published = release.tables.first(where: { $0.name == table }) else { continue }
            count += 1
            guard let cell = published.cells.first(where: { $0.key == key }) else { withheld = true; continue }
            if let v = cell.value {
                known += v
                if let e = cell.error95 { errorSquares += e * e; noisy = true }
            } else {
                hidden += 1
                let finding = p.findings.first { $0.releaseID == release.id && $0.table == table && $0.key == key }
                guard let finding, !finding.isExposed else { withheld = true; continue }
                low += finding.low
                high = finding.high.flatMap { h in high.map { $0 + h } }
            }
        }
        let error = noisy ? errorSquares.squareRoot() : nil
        if count == 0 { return NationalCell(state: .missing, value: nil, low: nil, high: nil, error95: nil, partnerships: 0, hiddenIn: 0) }
        if withheld { return NationalCell(state: .withheld, value: nil, low: nil, high: nil, error95: nil, partnerships: count, hiddenIn: hidden) }
        if hidden > 0 {
            return NationalCell(state: .range, value: nil, low: known + low, high: high.map { known + $0 }, error95: error, partnerships: count, hiddenIn: hidden)
        }
        if known > 0 && known < k {
            return NationalCell(state: .withheld, value: nil, low: nil, high: nil, error95: nil, partnerships: count, hiddenIn: 0)
        }
        return NationalCell(state: .published, value: known, low: nil, high: nil, error95: error, partnerships: count, hiddenIn: 0)
    }

    /// Every table name published for a period, with its dimensions and the union of its cell
    /// keys, in a stable order (the total first, then as published).
    public static func layout(period: String, over partnerships: [PartnershipReleases]) -> [(name: String, dimensions: [String], keys: [[String: String]])] {
        var order: [String] = []
        var dims: [String: [String]] = [:]
        var keys: [String: [[String: String]]] = [:]
        for p in partnerships {
            guard let release = PublicationCheck.currentReleases(p.releases.filter { $0.period == period }).last else { continue }
            for t in release.tables {
                if dims[t.name] == nil { order.append(t.name); dims[t.name] = t.dimensions }
                for c in t.cells where !(keys[t.name]?.contains(c.key) ?? false) { keys[t.name, default: []].append(c.key) }
            }
        }
        return order.map { name in
            let k = keys[name] ?? []
            return (name, dims[name] ?? [], k.filter(\.isEmpty) + k.filter { !$0.isEmpty })
        }
    }
}
