import Testing
@testable import Disclosure

@Suite("Tables and the attacker check")
struct AttackerTests {
    let a = Dimension(name: "type", categories: ["Labour", "Sexual"])
    let b = Dimension(name: "age", categories: ["adult", "child", "not known"])

    @Test func tabulationCountsInteriorMarginsAndTotal() throws {
        let records = [
            Record(period: "2026-Q1", values: ["type": "Labour", "age": "adult"]),
            Record(period: "2026-Q1", values: ["type": "Labour", "age": "child"]),
            Record(period: "2026-Q2", values: ["type": "Sexual", "age": "adult"]),
            Record(period: "2026-Q1", values: ["type": "Other", "age": "adult"]),  // unknown category: not counted
        ]
        let t = try Tabulate.table(TableSpec(name: "T", dimensions: ["type", "age"]), dimensions: [a, b], periods: ["2026-Q1", "2026-Q2"], records: records)
        #expect(t.cells.count == 6 + 2 + 3 + 1)
        #expect(t.value(CellKey(["type": "Labour", "age": "adult"])) == 1)
        #expect(t.value(CellKey(["type": "Labour"])) == 2)
        #expect(t.value(CellKey(["age": "adult"])) == 2)
        #expect(t.value(.total) == 3)
        #expect(t.cells.last?.key == .total)
        let q1 = try Tabulate.table(TableSpec(name: "T", dimensions: ["type"]), dimensions: [a, b], periods: ["2026-Q1"], records: records)
        #expect(q1.cells.map(\.value) == [2, 0, 2])
        #expect(throws: TableError.unknownDimension("area")) {
            try Tabulate.table(TableSpec(name: "T", dimensions: ["area"]), dimensions: [a], periods: [], records: [])
        }
    }

    @Test func atomSpaceMapsBothWays() throws {
        let space = try AtomSpace(dimensions: [a, b], periods: ["2026-Q1", "2026-Q2"])
        #expect(space.count == 12)
        for i in 0..<space.count {
            let (p, combo) = try #require(space.atom(at: i))
            #expect(space.index(period: p, combination: combo) == i)
        }
        #expect(space.atoms(periods: ["2026-Q1"], key: CellKey(["type": "Labour"]))?.count == 3)
        #expect(space.atoms(periods: ["2026-Q1", "2026-Q2"], key: .total)?.count == 12)
        #expect(space.atoms(periods: ["2026-Q3"], key: .total) == nil)
        #expect(space.atoms(periods: ["2026-Q1"], key: CellKey(["type": "Other"])) == nil)
        #expect(space.atom(at: 12) == nil)
        #expect(throws: AtomSpaceError.duplicateDimension("type")) { try AtomSpace(dimensions: [a, a], periods: []) }
    }

    @Test func aSmallCellIsRecoveredFromMarginsAndProtectedByACycle() {
        // 2×2 atoms 0..3: [x0 x1; x2 x3]; true [3 20; 20 50].
        let rows = [[0, 1], [2, 3]], cols = [[0, 2], [1, 3]]
        let published = [Figure.exact(atoms: [1], value: 20), .exact(atoms: [2], value: 20), .exact(atoms: [3], value: 50),
                         .exact(atoms: rows[0], value: 23), .exact(atoms: rows[1], value: 70),
                         .exact(atoms: cols[0], value: 23), .exact(atoms: cols[1], value: 70), .exact(atoms: [0, 1, 2, 3], value: 93)]
        let r = Attacker.intervals(figures: published, targets: [[0]], atomCount: 4)[0]
        #expect(r == Interval(low: 3, high: 3, exact: true))
        #expect(!r.protects(k: 10))
        // Hide the other three interior cells too: x0 then ranges over 0..23.
        let cycle = Array(published.dropFirst(3))
        let c = Attacker.intervals(figures: cycle, targets: [[0], [1]], atomCount: 4)
        #expect(c[0] == Interval(low: 0, high: 23, exact: true))
        #expect(c[0].protects(k: 10))
        #expect(c[1] == Interval(low: 0, high: 23, exact: true))
    }

    @Test func anAtomNoFigureCoversIsUnbounded() {
        let r = Attacker.intervals(figures: [.exact(atoms: [0, 1], value: 5)], targets: [[0], [0, 2], [2], [0, 1]], atomCount: 3)
        #expect(r[0] == Interval(low: 0, high: 5, exact: true))
        #expect(r[1] == Interval(low: 0, high: nil, exact: true))
        #expect(r[2] == Interval(low: 0, high: nil, exact: true))
        #expect(r[3] == Interval(low: 5, high: 5, exact: true))
    }

    @Test func integerBoundsAreTighterThanTheLinearRelaxation() {
        // x0+x1 = 1, x1+x2 = 1, x0+x2 = 1 has only the fractional point (½, ½, ½) → no integer
        // solution; with 2s instead the integer points are exactly (1,1,1).
        let odd = [Figure.exact(atoms: [0, 1], value: 1), .exact(atoms: [1, 2], value: 1), .exact(atoms: [0, 2], value: 1)]
        #expect(!Attacker.intervals(figures: odd, targets: [[0]], atomCount: 3)[0].exact)
        // x0+x1 ∈ [1,1], x1+x2 ∈ [1,1], x0+x2 ∈ [0,2], x0+x1+x2 ∈ [1,2]: LP max of x1 is 1.
        let f = [Figure.exact(atoms: [0, 1], value: 1), .exact(atoms: [1, 2], value: 1), Figure(atoms: [0, 2], low: 1, high: 1)]
        // Integer points: x1 = 1 - x0, x2 = x0 → x0 + x2 = 2 x0 = 1 impossible → inconsistent.
        #expect(!Attacker.intervals(figures: f, targets: [[1]], atomCount: 3)[0].exact)
        // Branching is needed: 2x0 + ... via x0+x1 = 3, x0+x2 = 3, x1+x2 = 3 → LP (1.5,1.5,1.5) only; x0+x1+x2 ∈ [0, 9].
        let g = [Figure(atoms: [0, 1], low: 2, high: 3), Figure(atoms: [0, 2], low: 2, high: 3), Figure(atoms: [1, 2], low: 2, high: 3), Figure(atoms: [0, 1, 2], low: 4, high: 4)]
        let lp = Attacker.intervals(figures: g, targets: [[0]], atomCount: 3)[0]
        #expect(lp == Interval(low: 1, high: 2, exact: true))
        #expect(BruteForce.intervals(figures: g, targets: [[0]], atomCount: 3) == [BruteForce.Result(low: 1, high: 2)])
    }

    @Test func roundingAloneIsBrokenByDifferencing() {
        // One quarter, categories A (7) and B (16), total 23, everything rounded to 5 with no
        // suppression (k = 1): A shows as 5, i.e. 3..7 on its own…
        let f = [Figure.published(atoms: [0], value: roundCount(7, base: 5), base: 5, k: 1),
                 Figure.published(atoms: [1], value: roundCount(16, base: 5), base: 5, k: 1),
                 Figure.published(atoms: [0, 1], value: roundCount(23, base: 5), base: 5, k: 1)]
        #expect(f.map(\.low) == [3, 13, 23])
        // …but the total minus B leaves only 6..7: rounding is not protection.
        let r = Attacker.intervals(figures: f, targets: [[0]], atomCount: 2)[0]
        #expect(r == Interval(low: 6, high: 7, exact: true))
        #expect(!r.protects(k: 10))
        // A later quarter and the year make it worse: Q2 A = 12 (shows 10), Q2 B = 3 hidden… the
        // year's A (19 → 20, 18..22) minus Q2's A (10 → 8..12) gives Q1 A ≥ 6 again.
        let g = f + [Figure.published(atoms: [2], value: 10, base: 5, k: 1), Figure.published(atoms: [0, 2], value: 20, base: 5, k: 1)]
        #expect(Attacker.intervals(figures: g, targets: [[0]], atomCount: 3)[0].low >= 6)
    }

    @Test(arguments: 0..<40)
    func theLinearProgramMatchesBruteForceOnRandomTables(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        // A 2×3 table (6 atoms) in one quarter: random truths, random rounding, random hiding.
        let truth = (0..<6).map { _ in Int.random(in: 0...4, using: &rng) }
        let rowSets = [[0, 1, 2], [3, 4, 5]], colSets = [[0, 3], [1, 4], [2, 5]]
        var cells = (0..<6).map { [$0] } + rowSets + colSets
        cells.append(Array(0..<6))
        let base = [1, 3, 5].randomElement(using: &rng) ?? 1
        var figures: [Figure] = []
        var targets: [[Int]] = []
        for c in cells {
            let v = c.reduce(0) { $0 + truth[$1] }
            if Int.random(in: 0..<10, using: &rng) < 4 { targets.append(c); continue }
            figures.append(Figure.published(atoms: c, value: roundCount(v, base: base), base: base, k: 1))
        }
        let lp = Attacker.intervals(figures: figures, targets: targets, atomCount: 6)
        guard let brute = BruteForce.intervals(figures: figures, targets: targets, atomCount: 6) else { return }
        #expect(lp.map { BruteForce.Result(low: $0.low, high: $0.high) } == brute)
        #expect(lp.allSatisfy { $0.exact })
    }
}

@Suite("Hostile input")
struct HostileInputTests {
    @Test func nonsenseFiguresAndTargetsNeverTrapAndAreNeverCalledSafe() {
        let figures = [Figure(atoms: [0, 1, -3, 99], low: 5, high: 2), Figure(atoms: [1], low: Int.min, high: Int.max),
                       Figure(atoms: [], low: 3, high: 3), Figure(atoms: [2, 2, 2], low: 0, high: 1)]
        let r = Attacker.intervals(figures: figures, targets: [[0], [-1], [1, 1], [], [2]], atomCount: 3)
        #expect(r.count == 5)
        #expect(r.allSatisfy { !$0.protects(k: 10) })
        #expect(Attacker.intervals(figures: [], targets: [[0]], atomCount: 0)[0].exact == false)
        #expect(Figure.published(atoms: [0], value: Int.max, base: Int.max, k: Int.max, label: "").high >= 0)
        #expect(roundCount(Int.max, base: 5) > 0)
        let ledger = BudgetLedger(measure: .epsilon, capMicros: Int.min, spentMicros: [Int.max, Int.max, -5])
        #expect(ledger.remainingMicros == 0)
        #expect(!ledger.canSpend(PrivacyCost(epsilonMicros: 0, rhoMicros: 0)) || ledger.totalSpentMicros <= 0)
    }

    @Test func suppressionWithOddSettingsStillHidesSmallCells() throws {
        let d = Dimension(name: "type", categories: ["Labour", "Sexual"])
        let space = try AtomSpace(dimensions: [d], periods: ["2026-Q1"])
        let recs = (0..<3).map { _ in Record(period: "2026-Q1", values: ["type": "Labour"]) }
        let t = try Tabulate.table(TableSpec(name: "T", dimensions: ["type"]), dimensions: [d], periods: ["2026-Q1"], records: recs)
        for (k, base) in [(0, 0), (Int.max, Int.max), (-4, -1)] {
            let r = Suppression.protect(candidate: [t], history: [], space: space, k: k, roundingBase: base)
            #expect(r.tables[0].cells.count == 3)
            if k > 1 { #expect(r.tables[0].cells.allSatisfy { $0.published == nil || $0.trueValue == 0 }) }
        }
    }
}
