// Primary and secondary cell suppression with rounding, checked against everything published.

public enum SuppressionReason: String, Sendable, Codable {
    /// A count in 1..k−1.
    case primary
    /// Hidden so that a primary cell cannot be worked out from the others.
    case secondary
    /// Published.
    case none
}

public struct ProtectedCell: Sendable {
    public let key: CellKey
    public let trueValue: Int
    /// The published (rounded) value; nil when hidden.
    public let published: Int?
    public let reason: SuppressionReason
    /// The atoms the cell sums.
    public let atoms: [Int]
    /// For a hidden cell: what an attacker can narrow it to from everything published.
    public let interval: Interval?
}

public struct ProtectedTable: Sendable {
    public let name: String
    public let dimensions: [String]
    public let periods: [String]
    public let cells: [ProtectedCell]
}

public struct ProtectedRelease: Sendable {
    public let tables: [ProtectedTable]
    /// The earlier hidden cells passed in, with their intervals after this release (for those
    /// still with a true count in 1..k−1; nil for the others, which need no protection).
    public let previouslyHidden: [(atoms: [Int], trueValue: Int, interval: Interval?)]
    /// True when every hidden cell with a true count in 1..k−1 is protected with exact results.
    public let isSafe: Bool
    /// True when even hiding the whole candidate could not protect (history already reveals a cell).
    public let unprotectable: Bool
    /// This release's published cells as figures, to add to the history once it is approved.
    public let figures: [Figure]
}

public enum Suppression {
    /// Hides cells 1..k−1, rounds the rest to `roundingBase`, then hides more cells of the
    /// candidate until no sensitive hidden cell (of this candidate or `previouslyHidden`) can be
    /// narrowed by `history` plus this release to an interval excluding 0 or not reaching k.
    /// Deterministic: the same input gives the same pattern.
    public static func protect(candidate: [TrueTable], history: [Figure], space: AtomSpace, k: Int = 10, roundingBase: Int = 5,
                               previouslyHidden: [(atoms: [Int], trueValue: Int)] = [], nodeLimit: Int = Attacker.defaultNodeLimit) -> ProtectedRelease {
        let k = min(max(k, 1), 1_000_000)
        let base = min(max(roundingBase, 1), 1_000_000)
        // Flatten the candidate's cells.
        struct Cell { var table: Int; var index: Int; var key: CellKey; var value: Int; var atoms: [Int]; var interior: Bool; var label: String; var valid: Bool }
        var cells: [Cell] = []
        for (ti, t) in candidate.enumerated() {
            for (ci, c) in t.cells.enumerated() {
                let atoms = space.atoms(periods: t.periods, key: c.key)
                cells.append(Cell(table: ti, index: ci, key: c.key, value: c.value, atoms: atoms ?? [], interior: t.isInterior(c.key),
                                  label: "'\(c.key.label(order: t.dimensions))' in \(t.name), \(periodText(t.periods))", valid: atoms != nil))
            }
        }
        let sensitive: (Int) -> Bool = { $0 >= 1 && $0 < k }
        var hidden = cells.map { sensitive($0.value) || !$0.valid }
        var secondary = Array(repeating: false, count: cells.count)
        func figures() -> [Figure] {
            history + cells.indices.filter { !hidden[$0] }.map {
                Figure.published(atoms: cells[$0].atoms, value: roundCount(cells[$0].value, base: base), base: base, k: k, label: cells[$0].label)
            }
        }
        let earlier = previouslyHidden.filter { sensitive($0.trueValue) }
        func targets() -> [[Int]] {
            cells.indices.filter { hidden[$0] && sensitive(cells[$0].value) }.map { cells[$0].atoms } + earlier.map(\.atoms)
        }
        // Hiding more only widens what an attacker can reach, so a target once protected stays
        // protected: check them all once, then fix the others in order.
        let sensitiveTargets = targets()
        let first = Attacker.protection(figures: figures(), targets: sensitiveTargets, atomCount: space.count, k: k, nodeLimit: nodeLimit)
        // Cheaper to hide: margins and totals before interior cells, small before large.
        func cost(_ i: Int) -> Int { (cells[i].value + 1) * (cells[i].interior ? 2 : 1) }
        var unprotectable = false
        targetLoop: for (u, target) in sensitiveTargets.enumerated() where !first[u].protects(k: k) {
            while true {
                let before = Attacker.protection(figures: figures(), targets: [target], atomCount: space.count, k: k, nodeLimit: nodeLimit)[0]
                if before.protects(k: k) { break }
                let targetSet = Set(target)
                // Candidates: published cells linked to the target through a published sum, cheapest first.
                let linkedAtoms = Set(cells.indices.filter { !hidden[$0] && !Set(cells[$0].atoms).isDisjoint(with: targetSet) }.flatMap { cells[$0].atoms })
                    .union(history.filter { !Set($0.atoms).isDisjoint(with: targetSet) }.flatMap(\.atoms)).union(targetSet)
                var candidates = cells.indices.filter { !hidden[$0] && cells[$0].valid && !Set(cells[$0].atoms).isDisjoint(with: linkedAtoms) }
                if candidates.isEmpty { candidates = cells.indices.filter { !hidden[$0] } }
                candidates.sort { (cost($0), $0) < (cost($1), $1) }
                guard !candidates.isEmpty else { unprotectable = true; break targetLoop }
                // Try single cells, cheapest first; take the first that protects the target, else
                // the one that widens its range most, else the cheapest.
                var choice: Int?
                var widest: (gain: Int, cell: Int)?
                for c in candidates.prefix(12) {
                    hidden[c] = true
                    let after = Attacker.protection(figures: figures(), targets: [target], atomCount: space.count, k: k, nodeLimit: nodeLimit)[0]
                    hidden[c] = false
                    if after.protects(k: k) { choice = c; break }
                    let gain = (before.low - after.low) + ((after.high ?? Int.max / 4) - (before.high ?? Int.max / 4))
                    if gain > 0 && (widest.map { gain > $0.gain } ?? true) { widest = (gain, c) }
                }
                let pick = choice ?? widest?.cell ?? candidates[0]
                hidden[pick] = true
                secondary[pick] = true
            }
        }
        if unprotectable {
            for i in cells.indices where !hidden[i] { hidden[i] = true; secondary[i] = true }
        }
        // Final intervals for every hidden cell (full search).
        let published = figures()
        let hiddenIdx = cells.indices.filter { hidden[$0] }
        let earlierIdx = previouslyHidden.indices.filter { sensitive(previouslyHidden[$0].trueValue) }
        let all = Attacker.intervals(figures: published, targets: hiddenIdx.map { cells[$0].atoms } + earlierIdx.map { previouslyHidden[$0].atoms },
                                     atomCount: space.count, nodeLimit: nodeLimit)
        var intervalOf: [Int: Interval] = [:]
        for (n, i) in hiddenIdx.enumerated() {
            var r = all[n]
            if sensitive(cells[i].value) && !r.protects(k: k) { r.reason = Attacker.explain(target: cells[i].atoms, figures: published) }
            intervalOf[i] = r
        }
        var earlierInterval: [Int: Interval] = [:]
        for (n, i) in earlierIdx.enumerated() {
            var r = all[hiddenIdx.count + n]
            if !r.protects(k: k) { r.reason = Attacker.explain(target: previouslyHidden[i].atoms, figures: published) }
            earlierInterval[i] = r
        }
        let earlierResults = previouslyHidden.enumerated().map { (n, p) in (atoms: p.atoms, trueValue: p.trueValue, interval: earlierInterval[n]) }
        var safe = !unprotectable
        for i in hiddenIdx where sensitive(cells[i].value) { if !(intervalOf[i]?.protects(k: k) ?? false) { safe = false } }
        for e in earlierResults where sensitive(e.trueValue) { if !(e.interval?.protects(k: k) ?? false) { safe = false } }
        var tables: [ProtectedTable] = []
        for (ti, t) in candidate.enumerated() {
            let pcs = cells.indices.filter { cells[$0].table == ti }.map { i in
                ProtectedCell(key: cells[i].key, trueValue: cells[i].value,
                              published: hidden[i] ? nil : roundCount(cells[i].value, base: base),
                              reason: hidden[i] ? (secondary[i] ? .secondary : .primary) : .none,
                              atoms: cells[i].atoms, interval: intervalOf[i])
            }
            tables.append(ProtectedTable(name: t.name, dimensions: t.dimensions, periods: t.periods, cells: pcs))
        }
        return ProtectedRelease(tables: tables, previouslyHidden: earlierResults, isSafe: safe, unprotectable: unprotectable,
                                figures: Array(published.dropFirst(history.count)))
    }

    /// "2026-Q1", or "2026-Q1 to 2026-Q3" for several quarters.
    static func periodText(_ periods: [String]) -> String {
        guard let first = periods.first, let last = periods.last else { return "no period" }
        return first == last ? first : "\(first) to \(last)"
    }
}
