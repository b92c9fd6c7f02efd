// The attacker check: for each target sum, the exact integer range consistent with every
// published figure (LP relaxation by simplex, then branch and bound).

public enum Attacker {
    /// Default limit on branch-and-bound nodes per optimisation.
    public static let defaultNodeLimit = 400

    /// For each target (a sum of atoms), the least and greatest integer values an attacker can
    /// reach from `figures`. A result with `exact == false` must be treated as unsafe.
    public static func intervals(figures: [Figure], targets: [[Int]], atomCount: Int, nodeLimit: Int = defaultNodeLimit) -> [Interval] {
        let model = AttackModel(figures: figures, atomCount: atomCount)
        return model.solve(targets: targets, nodeLimit: nodeLimit, k: nil)
    }

    /// Whether each target is protected for threshold k (low ≤ 0 and high ≥ k). Stops each search
    /// as soon as it has a proof either way, so the intervals returned are only as wide as needed.
    public static func protection(figures: [Figure], targets: [[Int]], atomCount: Int, k: Int, nodeLimit: Int = defaultNodeLimit) -> [Interval] {
        let model = AttackModel(figures: figures, atomCount: atomCount)
        return model.solve(targets: targets, nodeLimit: nodeLimit, k: k)
    }
}

extension Attacker {
    /// Plain words on what pins a target down: the labelled published figures that include any of
    /// its atoms ("from 'Total' in By type, 2026-Q1 and 'Labour' in …"). Not a minimal set.
    public static func explain(target: [Int], figures: [Figure], limit: Int = 5) -> String {
        let atoms = Set(target)
        var labels: [String] = []
        for f in figures where !f.label.isEmpty && !atoms.isDisjoint(with: f.atoms) && !labels.contains(f.label) { labels.append(f.label) }
        guard !labels.isEmpty else { return "from figures published earlier" }
        let shown = labels.prefix(limit)
        let more = labels.count - shown.count
        let list = shown.count == 1 ? shown[0] : shown.dropLast().joined(separator: ", ") + " and " + (shown.last ?? "")
        return "from " + list + (more > 0 ? " (and \(more) more)" : "")
    }
}

/// The figures prepared once: zero atoms removed, atoms grouped into connected components.
struct AttackModel {
    let atomCount: Int
    var figures: [Figure] = []
    var zero = Set<Int>()
    var bad = false
    /// atom → figures containing it (atoms in no figure are absent).
    var atomFigures: [Int: [Int]] = [:]
    /// atom → component id.
    var component: [Int: Int] = [:]
    var componentFigures: [[Int]] = []

    init(figures input: [Figure], atomCount: Int) {
        self.atomCount = atomCount
        var clean: [Figure] = []
        for f in input {
            let atoms = Array(Set(f.atoms.filter { $0 >= 0 && $0 < atomCount })).sorted()
            // Counts above a billion are not counts: refuse to vouch for anything (and keep the
            // arithmetic far from overflow).
            let limit = 1_000_000_000
            if atoms.count != f.atoms.count || f.low > f.high || f.high < 0 || f.low > limit || f.high > limit { bad = true }
            clean.append(Figure(atoms: atoms, low: min(max(f.low, 0), limit), high: min(f.high, limit), label: f.label))
        }
        // Figures that are zero force all their atoms to zero.
        var changed = true
        while changed {
            changed = false
            for f in clean where f.high <= 0 {
                for a in f.atoms where zero.insert(a).inserted { changed = true }
            }
            if changed {
                clean = clean.map { f in
                    Figure(atoms: f.atoms.filter { !zero.contains($0) }, low: f.low, high: f.high, label: f.label)
                }
            }
        }
        for f in clean where f.atoms.isEmpty && f.low > 0 { bad = true }
        figures = clean.filter { !$0.atoms.isEmpty }
        for (i, f) in figures.enumerated() { for a in f.atoms { atomFigures[a, default: []].append(i) } }
        // Union-find over atoms linked by figures.
        var parent: [Int: Int] = [:]
        func find(_ a: Int) -> Int {
            var r = a
            while let p = parent[r], p != r { r = p }
            var c = a
            while let p = parent[c], p != r { parent[c] = r; c = p }
            return r
        }
        for f in figures {
            guard let first = f.atoms.first else { continue }
            if parent[first] == nil { parent[first] = first }
            let root = find(first)
            for a in f.atoms.dropFirst() {
                if parent[a] == nil { parent[a] = a }
                let r = find(a)
                if r != root { parent[r] = find(root) }
            }
        }
        var ids: [Int: Int] = [:]
        for a in atomFigures.keys.sorted() {
            let r = find(a)
            if ids[r] == nil { ids[r] = ids.count; componentFigures.append([]) }
            component[a] = ids[r]
        }
        for (i, f) in figures.enumerated() {
            if let a = f.atoms.first, let c = component[a] { componentFigures[c].append(i) }
        }
    }

    func solve(targets: [[Int]], nodeLimit: Int, k: Int?) -> [Interval] {
        // Split each target by component.
        var parts: [[Int: [Int]]] = []
        var open: [Bool] = []
        var badTarget: [Bool] = []
        for t in targets {
            var split: [Int: [Int]] = [:]
            var unbounded = false
            var invalid = false
            for a in Set(t) {
                guard a >= 0 && a < atomCount else { invalid = true; continue }
                if zero.contains(a) { continue }
                if let c = component[a] { split[c, default: []].append(a) } else { unbounded = true }
            }
            parts.append(split)
            open.append(unbounded)
            badTarget.append(invalid)
        }
        var lows = Array(repeating: 0, count: targets.count)
        var highs: [Int?] = Array(repeating: 0, count: targets.count)
        var exact = targets.indices.map { !bad && !badTarget[$0] }
        for i in targets.indices where open[i] { highs[i] = nil }
        let byComponent = Dictionary(grouping: targets.indices.flatMap { i in parts[i].keys.map { (c: $0, t: i) } }, by: \.c)
        for c in byComponent.keys.sorted() {
            guard let entries = byComponent[c] else { continue }
            let ts = entries.map(\.t).sorted()
            let results = solveComponent(c, targets: ts.map { parts[$0][c] ?? [] }, nodeLimit: nodeLimit,
                                         k: ts.map { parts[$0].count == 1 ? k : nil })
            for (i, r) in zip(ts, results) {
                lows[i] += r.low
                if let h = highs[i] { highs[i] = r.high.map { h + $0 } }
                if !r.exact { exact[i] = false }
            }
        }
        return targets.indices.map { Interval(low: lows[$0], high: highs[$0], exact: exact[$0]) }
    }

    /// Solves every target part within one component, sharing phase one.
    func solveComponent(_ c: Int, targets: [[Int]], nodeLimit: Int, k: [Int?]) -> [Interval] {
        let figureIds = componentFigures[c]
        // Atoms of the component, classed by which figures contain them. A target that covers
        // part of a class gets its own copy of that class's variable (see `addCopies`).
        var atoms = Set<Int>()
        for f in figureIds { atoms.formUnion(figures[f].atoms) }
        var classOf: [Int: Int] = [:]
        var classes: [[Int]: Int] = [:]
        var classSize: [Int] = []
        for a in atoms.sorted() {
            let sig = atomFigures[a] ?? []
            if let v = classes[sig] { classOf[a] = v; classSize[v] += 1 } else {
                let v = classes.count
                classes[sig] = v
                classOf[a] = v
                classSize.append(1)
            }
        }
        let n = classes.count
        // Figures over classes, merging those with the same classes (intervals intersect).
        var merged: [[Int]: (low: Int, high: Int)] = [:]
        var order: [[Int]] = []
        var inconsistent = false
        for f in figureIds {
            let vars = Array(Set(figures[f].atoms.compactMap { classOf[$0] })).sorted()
            if let m = merged[vars] {
                let low = max(m.low, figures[f].low), high = min(m.high, figures[f].high)
                if low > high { inconsistent = true }
                merged[vars] = (low, high)
            } else {
                merged[vars] = (figures[f].low, figures[f].high)
                order.append(vars)
            }
        }
        var rows: [LinearRow] = []
        for vars in order {
            guard let m = merged[vars] else { continue }
            let terms = vars.map { (column: $0, coefficient: 1.0) }
            if m.low == m.high {
                rows.append(LinearRow(terms: terms, sense: .equal, rhs: Double(m.low)))
            } else {
                rows.append(LinearRow(terms: terms, sense: .lessOrEqual, rhs: Double(m.high)))
                if m.low > 0 { rows.append(LinearRow(terms: terms, sense: .greaterOrEqual, rhs: Double(m.low))) }
            }
        }
        let failed = targets.map { _ in Interval(low: 0, high: nil, exact: false) }
        guard !inconsistent, let root = Tableau.feasible(structural: n, rows: rows) else { return failed }
        func verify(_ x: [Int], copies: [(of: Int, copy: Int)]) -> Bool {
            guard x.count == n + copies.count, x.allSatisfy({ $0 >= 0 }) else { return false }
            var total = Array(x.prefix(n))
            for c in copies { total[c.of] += x[c.copy] }
            for vars in order {
                guard let m = merged[vars] else { return false }
                let s = vars.reduce(0) { $0 + total[$1] }
                if s < m.low || s > m.high { return false }
            }
            return true
        }
        var out: [Interval] = []
        for (t, list) in targets.enumerated() {
            var inTarget = Array(repeating: 0, count: n)
            for a in Set(list) { if let v = classOf[a] { inTarget[v] += 1 } }
            let partial = (0..<n).filter { inTarget[$0] > 0 && inTarget[$0] < classSize[$0] }
            var tableau = root
            let added = tableau.addCopies(of: partial)
            let copies = zip(partial, added).map { (of: $0, copy: $1) }
            var cost = Array(repeating: 0.0, count: n + added.count)
            for v in 0..<n where inTarget[v] == classSize[v] && classSize[v] > 0 { cost[v] = 1 }
            for c in added { cost[c] = 1 }
            var ok = true
            var low = 0
            switch IntegerSearch.minimise(root: tableau, cost: cost, nodeLimit: nodeLimit, stopAtOrBelow: k[t] == nil ? nil : 0) {
            case .value(let v, let proven, let x): low = v; ok = ok && proven && verify(x, copies: copies)
            case .unbounded, .failed: ok = false
            }
            var high: Int?
            let negative = cost.map { -$0 }
            switch IntegerSearch.minimise(root: tableau, cost: negative, nodeLimit: nodeLimit, stopAtOrBelow: k[t].map { -$0 }) {
            case .value(let v, let proven, let x): high = -v; ok = ok && proven && verify(x, copies: copies)
            case .unbounded: high = nil
            case .failed: ok = false; high = nil
            }
            out.append(Interval(low: low, high: high, exact: ok))
        }
        return out
    }
}
