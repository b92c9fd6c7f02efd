import Disclosure

/// An independent attacker for small cases: enumerates every non-negative integer assignment of
/// the atoms consistent with the figures and records each target's least and greatest value.
/// Atoms in no figure are unbounded; a target containing one has no upper limit.
struct BruteForce {
    struct Result: Equatable { var low: Int; var high: Int? }

    static func intervals(figures: [Figure], targets: [[Int]], atomCount: Int, leafLimit: Int = 3_000_000) -> [Result]? {
        var covered = Array(repeating: false, count: atomCount)
        var cap = Array(repeating: Int.max, count: atomCount)
        for f in figures { for a in f.atoms { covered[a] = true; cap[a] = min(cap[a], f.high) } }
        // Only atoms in some figure or target matter; uncovered atoms in a target make it unbounded.
        let used = Array(Set(figures.flatMap(\.atoms))).sorted()
        // Order atoms so figures close early: by first figure that contains them.
        var position = Array(repeating: -1, count: atomCount)
        for (i, a) in used.enumerated() { position[a] = i }
        let n = used.count
        // For each figure: atom positions, and after which position it is complete.
        let figs = figures.map { f in (pos: f.atoms.map { position[$0] }, low: f.low, high: f.high) }
        var closing = Array(repeating: [Int](), count: n)
        var touching = Array(repeating: [Int](), count: n)
        for (i, f) in figs.enumerated() {
            if let last = f.pos.max() { closing[last].append(i) }
            for p in f.pos { touching[p].append(i) }
        }
        var sum = Array(repeating: 0, count: figs.count)
        var remaining = figs.map { f in f.pos.reduce(0) { $0 + min(cap[used[$1]], 1_000) } }
        var x = Array(repeating: 0, count: n)
        var lows = targets.map { _ in Int.max }
        var highs = targets.map { _ in Int.min }
        var leaves = 0
        var aborted = false
        let tpos = targets.map { t in t.map { position[$0] } }
        func go(_ i: Int) {
            if aborted { return }
            if i == n {
                leaves += 1
                if leaves > leafLimit { aborted = true; return }
                for (t, ps) in tpos.enumerated() {
                    let v = ps.reduce(0) { $0 + ($1 >= 0 ? x[$1] : 0) }
                    lows[t] = min(lows[t], v)
                    highs[t] = max(highs[t], v)
                }
                return
            }
            let c = min(cap[used[i]], 1_000)
            for f in touching[i] { remaining[f] -= c }
            var v = 0
            while v <= c {
                var ok = true
                for f in touching[i] {
                    let s = sum[f] + v
                    if s > figs[f].high || s + remaining[f] < figs[f].low { ok = false; break }
                }
                if ok {
                    for f in touching[i] { sum[f] += v }
                    x[i] = v
                    go(i + 1)
                    for f in touching[i] { sum[f] -= v }
                } else if touching[i].contains(where: { sum[$0] + v > figs[$0].high }) {
                    break
                }
                v += 1
            }
            x[i] = 0
            for f in touching[i] { remaining[f] += c }
        }
        go(0)
        if aborted || leaves == 0 { return nil }
        return targets.enumerated().map { (t, atoms) in
            let open = atoms.contains { !covered[$0] }
            return Result(low: lows[t], high: open ? nil : highs[t])
        }
    }
}

/// A small deterministic generator (SplitMix64) for tests.
struct Seeded: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
