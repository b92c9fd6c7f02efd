import Testing
@testable import Disclosure

@Suite("Suppression")
struct SuppressionTests {
    let type = Dimension(name: "type", categories: ["Labour", "Sexual"])
    let age = Dimension(name: "age", categories: ["adult", "child"])

    func records(_ period: String, _ counts: [[String: String]: Int]) -> [Record] {
        counts.sorted { $0.key.description < $1.key.description }.flatMap { (values, n) in
            Array(repeating: Record(period: period, values: values), count: n)
        }
    }

    @Test func twoByTwoWithOneSmallCellHidesThreeMore() throws {
        let space = try AtomSpace(dimensions: [type, age], periods: ["2026-Q1"])
        let recs = records("2026-Q1", [["type": "Labour", "age": "adult"]: 3, ["type": "Labour", "age": "child"]: 20,
                                       ["type": "Sexual", "age": "adult"]: 20, ["type": "Sexual", "age": "child"]: 50])
        let t = try Tabulate.table(TableSpec(name: "Type by age", dimensions: ["type", "age"]), dimensions: [type, age], periods: ["2026-Q1"], records: recs)
        let r = Suppression.protect(candidate: [t], history: [], space: space, k: 10, roundingBase: 1)
        let cells = r.tables[0].cells
        #expect(cells.filter { $0.reason == .primary }.count == 1)
        #expect(cells.filter { $0.reason == .secondary }.count == 3)
        #expect(r.isSafe)
        let small = try #require(cells.first { $0.trueValue == 3 })
        #expect(small.published == nil)
        #expect(small.interval?.protects(k: 10) == true)
        // Deterministic: the same input gives the same pattern.
        let again = Suppression.protect(candidate: [t], history: [], space: space, k: 10, roundingBase: 1)
        #expect(again.tables[0].cells.map(\.published) == cells.map(\.published))
        // Published cells are rounded to base 5 by default and 0 stays 0.
        let rounded = Suppression.protect(candidate: [t], history: [], space: space)
        #expect(rounded.tables[0].cells.compactMap(\.published).allSatisfy { $0 % 5 == 0 })
        #expect(rounded.isSafe)
    }

    @Test func aYearToDateCannotRevealAHiddenQuarterCell() throws {
        let quarters = ["2026-Q1", "2026-Q2", "2026-Q3"]
        let space = try AtomSpace(dimensions: [type], periods: quarters)
        let spec = TableSpec(name: "By type", dimensions: ["type"])
        let recs = records("2026-Q1", [["type": "Labour"]: 12, ["type": "Sexual"]: 30])
            + records("2026-Q2", [["type": "Labour"]: 15, ["type": "Sexual"]: 25])
            + records("2026-Q3", [["type": "Labour"]: 4, ["type": "Sexual"]: 40])
        var history: [Figure] = []
        var hidden: [(atoms: [Int], trueValue: Int)] = []
        for q in quarters {
            let t = try Tabulate.table(spec, dimensions: [type], periods: [q], records: recs)
            let r = Suppression.protect(candidate: [t], history: history, space: space, k: 10, roundingBase: 1, previouslyHidden: hidden)
            #expect(r.isSafe)
            history += r.figures
            hidden += r.tables[0].cells.filter { $0.published == nil }.map { ($0.atoms, $0.trueValue) }
        }
        // Q3 Labour (4) is hidden, and so is Q3's total or Sexual cell.
        #expect(hidden.contains { $0.trueValue == 4 })
        let ytd = try Tabulate.table(TableSpec(name: "Year to date", dimensions: ["type"]), dimensions: [type], periods: Set(quarters), records: recs)
        // Published naively, the year to date's Labour (31) minus Q1 and Q2 gives Q3 exactly.
        let naive = history + ytd.cells.map { c in Figure.exact(atoms: space.atoms(periods: quarters, key: c.key) ?? [], value: c.value) }
        let q3 = try #require(hidden.first { $0.trueValue == 4 })
        let attacked = Attacker.intervals(figures: naive, targets: [q3.atoms], atomCount: space.count)[0]
        #expect(!attacked.protects(k: 10))
        // Protected, the year to date hides enough to keep Q3 Labour open.
        let r = Suppression.protect(candidate: [ytd], history: history, space: space, k: 10, roundingBase: 1, previouslyHidden: hidden)
        #expect(r.isSafe)
        #expect(r.tables[0].cells.contains { $0.key == CellKey(["type": "Labour"]) && $0.published == nil })
        #expect(r.previouslyHidden.allSatisfy { $0.trueValue >= 10 || $0.interval?.protects(k: 10) == true })
    }

    @Test func historyThatAlreadyRevealsACellIsReportedUnprotectable() throws {
        let space = try AtomSpace(dimensions: [type], periods: ["2026-Q1"])
        let labour = try #require(space.atoms(periods: ["2026-Q1"], key: CellKey(["type": "Labour"])))
        // Someone published Labour = 4 exactly before.
        let history = [Figure.exact(atoms: labour, value: 4, label: "'Labour' published before")]
        let t = try Tabulate.table(TableSpec(name: "By type", dimensions: ["type"]), dimensions: [type], periods: ["2026-Q1"],
                                   records: records("2026-Q1", [["type": "Labour"]: 4, ["type": "Sexual"]: 30]))
        let r = Suppression.protect(candidate: [t], history: history, space: space, k: 10)
        #expect(!r.isSafe)
        #expect(r.unprotectable)
        #expect(r.tables[0].cells.allSatisfy { $0.published == nil })
        #expect(r.figures.isEmpty)
        // The approver is told what gives it away.
        let shown = try #require(r.tables[0].cells.first { $0.trueValue == 4 })
        #expect(shown.interval == Interval(low: 4, high: 4, exact: true, reason: "from 'Labour' published before"))
    }
}
