import Testing
@testable import Disclosure

/// Random release histories: 8 quarters, each year's annual table, and 2 revisions (a quarter
/// republished with late records). After `Suppression.protect`, an independent brute-force
/// attacker finds no sensitive hidden cell narrowed, and the LP's intervals equal brute force's.
@Suite("Release histories")
struct HistoryPropertyTests {
    struct Published { var figure: Figure; var trueAtPublish: Int }
    struct Hidden { var atoms: [Int] }

    struct World {
        let a: Dimension
        let b: Dimension
        let space: AtomSpace
        var records: [Record] = []
        func truth(_ atoms: [Int]) -> Int {
            atoms.reduce(0) { s, i in
                guard let (p, combo) = space.atom(at: i) else { return s }
                return s + records.filter { $0.period == p && $0.values == combo }.count
            }
        }
    }

    static let quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]

    /// Runs one history; returns how many releases were checked against brute force.
    func run(seed: UInt64, k: Int, maxPerCell: Int, columns: Int, bases: [Int], brute: Bool) throws -> (checked: Int, safe: Int) {
        var rng = SeededGenerator(seed: seed)
        let a = Dimension(name: "type", categories: ["L", "S"])
        let b = Dimension(name: "age", categories: Array(["adult", "child", "unknown"].prefix(columns)))
        var world = World(a: a, b: b, space: try AtomSpace(dimensions: [a, b], periods: Self.quarters))
        let combos = a.categories.flatMap { x in b.categories.map { ["type": x, "age": $0] } }
        for q in Self.quarters {
            for c in combos { for _ in 0..<Int.random(in: 0...maxPerCell, using: &rng) { world.records.append(Record(period: q, values: c)) } }
        }
        let base = bases.randomElement(using: &rng) ?? 1
        let spec = TableSpec(name: "Type by age", dimensions: ["type", "age"])
        var published: [Published] = []
        var hidden: [Hidden] = []
        var checked = 0, safeCount = 0
        // The schedule: quarters, each year's annual after its Q4, a revision after each annual.
        var schedule: [(periods: [String], lateRecords: Bool)] = []
        for y in 0..<2 {
            let qs = Array(Self.quarters[(y * 4)..<(y * 4 + 4)])
            for q in qs { schedule.append(([q], false)) }
            schedule.append((qs, false))
            schedule.append(([qs[Int.random(in: 0..<4, using: &rng)]], true))
        }
        for step in schedule {
            if step.lateRecords, let q = step.periods.first {
                for c in combos where Int.random(in: 0..<3, using: &rng) == 0 { world.records.append(Record(period: q, values: c)) }
            }
            // Older figures widened by how much their true value has grown since.
            let history = published.map { p in
                Figure(atoms: p.figure.atoms, low: p.figure.low, high: p.figure.high + (world.truth(p.figure.atoms) - p.trueAtPublish), label: p.figure.label)
            }
            let table = try Tabulate.table(spec, dimensions: [a, b], periods: Set(step.periods), records: world.records)
            let earlier = hidden.map { (atoms: $0.atoms, trueValue: world.truth($0.atoms)) }
            let r = Suppression.protect(candidate: [table], history: history, space: world.space, k: k, roundingBase: base, previouslyHidden: earlier)
            if !r.isSafe {
                // Only when even hiding everything cannot help; nothing is then published.
                #expect(r.unprotectable)
                #expect(r.figures.isEmpty)
            } else {
                safeCount += 1
            }
            let cells = r.tables[0].cells
            for c in cells where c.published == nil { hidden.append(Hidden(atoms: c.atoms)) }
            for f in r.figures { published.append(Published(figure: f, trueAtPublish: world.truth(f.atoms))) }
            // Check every hidden cell so far against the attacker.
            let all = history + r.figures
            let earlierChecked = r.previouslyHidden.filter { $0.interval != nil }
            #expect(earlierChecked.count == earlier.filter { (1..<k).contains($0.trueValue) }.count)
            let targets = cells.filter { $0.published == nil }.map(\.atoms) + earlierChecked.map(\.atoms)
            let lp = cells.filter { $0.published == nil }.compactMap(\.interval) + earlierChecked.compactMap(\.interval)
            #expect(lp.count == targets.count)
            if r.isSafe {
                for (t, i) in zip(targets, lp) where (1..<k).contains(world.truth(t)) { #expect(i.protects(k: k)) }
            }
            guard brute, r.isSafe else { continue }
            checked += 1
            let n = world.space.count
            let per: (Int) -> Int = { $0 / (n / Self.quarters.count) }
            let ownHidden = cells.filter { $0.published == nil }.count
            for (index, (t, i)) in zip(targets, lp).enumerated() where index < ownHidden || (1..<k).contains(world.truth(t)) {
                // The LP's least value is reachable and nothing below it is…
                #expect(BruteForce.exists(figures: all, target: t, low: i.low, high: i.low, atomCount: n, periodOf: per), "seed \(seed): low \(i.low) of \(t) unreachable")
                if i.low > 0 { #expect(!BruteForce.exists(figures: all, target: t, low: 0, high: i.low - 1, atomCount: n, periodOf: per), "seed \(seed): below \(i.low) reachable") }
                // …and the same for its greatest value (or any large value when unbounded).
                if let h = i.high {
                    #expect(BruteForce.exists(figures: all, target: t, low: h, high: h, atomCount: n, periodOf: per), "seed \(seed): high \(h) of \(t) unreachable")
                    #expect(!BruteForce.exists(figures: all, target: t, low: h + 1, high: 1_000, atomCount: n, periodOf: per), "seed \(seed): above \(h) reachable")
                } else {
                    #expect(BruteForce.exists(figures: all, target: t, low: i.low + 50, high: i.low + 50, atomCount: n, periodOf: per))
                }
                // A sensitive cell can be 0 and can be k.
                if (1..<k).contains(world.truth(t)) {
                    #expect(BruteForce.exists(figures: all, target: t, low: 0, high: 0, atomCount: n, periodOf: per), "seed \(seed): \(t) cannot be 0")
                    #expect(BruteForce.exists(figures: all, target: t, low: k, high: 1_000, atomCount: n, periodOf: per), "seed \(seed): \(t) cannot reach k")
                }
            }
        }
        return (checked, safeCount)
    }

    @Test(arguments: [0, 5, 6] as [UInt64])
    func smallHistoriesAreSafeAgainstBruteForce(seed: UInt64) throws {
        let r = try run(seed: seed, k: 3, maxPerCell: seed % 2 == 0 ? 2 : 1, columns: seed % 2 == 0 ? 2 : 3, bases: [1, 2, 3], brute: true)
        #expect(r.checked > 0)
    }

    @Test(arguments: 100..<103)
    func historiesWithKTenAreSafeByTheLinearProgram(seed: UInt64) throws {
        let r = try run(seed: seed, k: 10, maxPerCell: 12, columns: 3, bases: [5], brute: false)
        #expect(r.safe > 0)
    }
}
