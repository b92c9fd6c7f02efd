import Disclosure

/// An independent attacker for small cases, by enumerating non-negative integer assignments of
/// the atoms consistent with the figures (depth first, pruning on partial sums). Shares no code
/// with the simplex.
struct BruteForce {
    struct Result: Equatable { var low: Int; var high: Int? }

    /// Every target's least and greatest value over all consistent assignments; nil when the
    /// search is too large. Each group of linked atoms is enumerated on its own.
    static func intervals(figures: [Figure], targets: [[Int]], atomCount: Int, leafLimit: Int = 3_000_000) -> [Result]? {
        var parent = Array(0..<atomCount)
        func find(_ a: Int) -> Int { var r = a; while parent[r] != r { r = parent[r] }; return r }
        for f in figures { for a in f.atoms.dropFirst() { parent[find(a)] = find(f.atoms[0]) } }
        var groups: [Int: [Figure]] = [:]
        for f in figures where !f.atoms.isEmpty { groups[find(f.atoms[0]), default: []].append(f) }
        var results = targets.map { _ in Result(low: 0, high: 0) }
        for t in targets.indices where targets[t].contains(where: { groups[find($0)] == nil }) { results[t].high = nil }
        for (root, fs) in groups.sorted(by: { $0.key < $1.key }) {
            let parts = targets.map { $0.filter { find($0) == root } }
            var lows = parts.map { _ in Int.max }, highs = parts.map { _ in Int.min }
            var leaves = 0
            let complete = search(figures: fs, first: [], atomCount: atomCount) { value in
                leaves += 1
                for (t, p) in parts.enumerated() {
                    let v = p.reduce(0) { $0 + value($1) }
                    lows[t] = min(lows[t], v)
                    highs[t] = max(highs[t], v)
                }
                return leaves < leafLimit
            }
            guard complete, leaves > 0 else { return nil }
            for t in targets.indices {
                results[t].low += lows[t]
                if let h = results[t].high { results[t].high = h + highs[t] }
            }
        }
        return results
    }

    /// Whether some consistent assignment also puts `target`'s sum in low...high. Only figures
    /// linked to the target matter (the rest hold for the true data). Quarter by quarter: each
    /// quarter's consistent assignments are enumerated, and what they add to the figures that
    /// span quarters (and to the target) is combined by dynamic programming over those sums.
    static func exists(figures: [Figure], target: [Int], low: Int, high: Int, atomCount: Int, periodOf: (Int) -> Int) -> Bool {
        var parent = Array(0..<atomCount)
        func find(_ a: Int) -> Int { var r = a; while parent[r] != r { r = parent[r] }; return r }
        for f in figures + [Figure(atoms: target, low: 0, high: 0)] { for a in f.atoms.dropFirst() { parent[find(a)] = find(f.atoms[0]) } }
        guard let t0 = target.first else { return low <= 0 }
        let root = find(t0)
        let linked = figures.filter { f in f.atoms.first.map { find($0) == root } ?? false }
        let goal = Figure(atoms: target, low: low, high: high)
        let all = linked + [goal]
        // Figures within one quarter, and those across quarters (the target counts as across).
        var within: [Int: [Figure]] = [:]
        var across: [Figure] = [goal]
        for f in linked {
            let ps = Set(f.atoms.map(periodOf))
            if ps.count == 1, let p = ps.first { within[p, default: []].append(f) } else { across.append(f) }
        }
        let periods = Set(all.flatMap { $0.atoms.map(periodOf) }).sorted()
        var cap: [Int: Int] = [:]
        for f in all { for a in f.atoms { cap[a] = min(cap[a] ?? 1_000, max(f.high, 0)) } }
        // Each quarter's possible contributions to the across figures.
        var options: [[[Int]]] = []
        for p in periods {
            let atoms = Set(all.flatMap { $0.atoms.filter { periodOf($0) == p } })
            // Bound each atom in this quarter with a figure of its own cap so the search is finite.
            var local = within[p] ?? []
            for a in atoms.sorted() { local.append(Figure(atoms: [a], low: 0, high: cap[a] ?? 1_000)) }
            // A quarter's share of a figure across quarters cannot exceed that figure.
            for f in across {
                let part = f.atoms.filter { periodOf($0) == p }
                if !part.isEmpty { local.append(Figure(atoms: part, low: 0, high: max(f.high, 0))) }
            }
            var seen = Set<[Int]>()
            _ = search(figures: local, first: [], atomCount: atomCount) { value in
                seen.insert(across.map { f in f.atoms.reduce(0) { $0 + (periodOf($1) == p ? value($1) : 0) } })
                return true
            }
            options.append(Array(seen))
        }
        // Most each across figure can still gain from the quarters after each step.
        var later = Array(repeating: Array(repeating: 0, count: across.count), count: periods.count + 1)
        for i in stride(from: periods.count - 1, through: 0, by: -1) {
            for j in across.indices { later[i][j] = later[i + 1][j] + (options[i].map { $0[j] }.max() ?? 0) }
        }
        var states: Set<[Int]> = [Array(repeating: 0, count: across.count)]
        for (i, opts) in options.enumerated() {
            var next = Set<[Int]>()
            for s in states {
                for o in opts {
                    var v = s
                    var ok = true
                    for j in across.indices {
                        v[j] += o[j]
                        if v[j] > across[j].high || v[j] + later[i + 1][j] < across[j].low { ok = false; break }
                    }
                    if ok { next.insert(v) }
                }
            }
            states = next
            if states.isEmpty { return false }
        }
        return states.contains { v in across.indices.allSatisfy { v[$0] >= across[$0].low && v[$0] <= across[$0].high } }
    }

    /// Depth-first over the atoms in the figures (those in `first` first, then ascending);
    /// `leaf` gets each consistent assignment and returns false to stop. Returns false if stopped.
    static func search(figures: [Figure], first: [Int], atomCount: Int, leaf: ((Int) -> Int) -> Bool) -> Bool {
        let firstSet = Set(first)
        let used = first.sorted() + Array(Set(figures.flatMap(\.atoms)).subtracting(firstSet)).sorted()
        var position = [Int: Int]()
        for (i, a) in used.enumerated() { position[a] = i }
        let n = used.count
        var cap = Array(repeating: 1_000, count: n)
        let figs = figures.map { f in (pos: f.atoms.compactMap { position[$0] }, low: f.low, high: f.high) }
        var touching = Array(repeating: [Int](), count: n)
        for (i, f) in figs.enumerated() { for p in f.pos { touching[p].append(i); cap[p] = min(cap[p], max(f.high, 0)) } }
        var sum = Array(repeating: 0, count: figs.count)
        var remaining = figs.map { f in f.pos.reduce(0) { $0 + cap[$1] } }
        var x = Array(repeating: 0, count: n)
        var stopped = false
        func go(_ i: Int) {
            if stopped { return }
            if i == n {
                if !leaf({ a in position[a].map { x[$0] } ?? 0 }) { stopped = true }
                return
            }
            for f in touching[i] { remaining[f] -= cap[i] }
            var v = 0
            outer: while v <= cap[i] && !stopped {
                for f in touching[i] where sum[f] + v > figs[f].high { break outer }
                if touching[i].allSatisfy({ sum[$0] + v + remaining[$0] >= figs[$0].low }) {
                    for f in touching[i] { sum[f] += v }
                    x[i] = v
                    go(i + 1)
                    for f in touching[i] { sum[f] -= v }
                }
                v += 1
            }
            x[i] = 0
            for f in touching[i] { remaining[f] += cap[i] }
        }
        go(0)
        return !stopped
    }
}

