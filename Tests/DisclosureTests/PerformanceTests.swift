import Foundation
import Testing
@testable import Disclosure

/// Timings for the README: run with DISCLOSURE_BENCH=1 (release mode: `swift test -c release`).
@Suite("Performance", .enabled(if: ProcessInfo.processInfo.environment["DISCLOSURE_BENCH"] != nil))
struct PerformanceTests {
    @Test func sixTablesOverFourDimensions() throws {
        try run(threeDimensions: false)
    }

    @Test func sixTablesOverThreeDimensions() throws {
        try run(threeDimensions: true)
    }

    func run(threeDimensions: Bool) throws {
        let type = Dimension(name: "type", categories: ["Labour", "Sexual", "Criminal", "Domestic", "Mixed", "Other", "Unknown", "Organ"])
        let age = Dimension(name: "age", categories: ["adult", "child", "not known"])
        let gender = Dimension(name: "gender", categories: ["female", "male", "other"])
        let area = Dimension(name: "area", categories: (1...10).map { "District \($0)" })
        let dims = threeDimensions ? [type, age, area] : [type, age, gender, area]
        let specs = threeDimensions ? [TableSpec(name: "Type by age", dimensions: ["type", "age"]), TableSpec(name: "Type by area", dimensions: ["type", "area"]),
                                       TableSpec(name: "Area by age", dimensions: ["area", "age"]), TableSpec(name: "Type", dimensions: ["type"]),
                                       TableSpec(name: "Area", dimensions: ["area"]), TableSpec(name: "Age", dimensions: ["age"])] : [TableSpec(name: "Type by age", dimensions: ["type", "age"]), TableSpec(name: "Type by gender", dimensions: ["type", "gender"]),
                     TableSpec(name: "Area by age", dimensions: ["area", "age"]), TableSpec(name: "Area by gender", dimensions: ["area", "gender"]),
                     TableSpec(name: "Type", dimensions: ["type"]), TableSpec(name: "Area", dimensions: ["area"])]
        let quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
        let space = try AtomSpace(dimensions: dims, periods: quarters)
        var rng = SeededGenerator(seed: 9)
        var records: [Record] = []
        func add(_ q: String, _ n: Int) {
            for _ in 0..<n {
                records.append(Record(period: q, values: Dictionary(uniqueKeysWithValues: dims.map { d in
                    // Skewed: the first categories are commoner.
                    (d.name, d.categories[min(Int.random(in: 0..<d.categories.count, using: &rng), Int.random(in: 0..<d.categories.count, using: &rng))])
                })))
            }
        }
        for q in quarters { add(q, 60) }
        var history: [Figure] = []
        var hidden: [(atoms: [Int], trueValue: Int)] = []
        var schedule: [[String]] = quarters.prefix(4).map { [$0] } + [Array(quarters.prefix(4)), ["2025-Q2"]] + quarters.suffix(4).map { [$0] } + [Array(quarters.suffix(4)), ["2026-Q3"]]
        var times: [String] = []
        let clock = ContinuousClock()
        for (n, periods) in schedule.enumerated() {
            if n == 5 || n == 11 { add(periods[0], 5) }  // late records before each revision
            let tables = try specs.map { try Tabulate.table($0, dimensions: dims, periods: Set(periods), records: records) }
            var result: ProtectedRelease?
            let elapsed = clock.measure {
                result = Suppression.protect(candidate: tables, history: history, space: space, previouslyHidden: hidden)
            }
            let r = try #require(result)
            history += r.figures
            for t in r.tables { for c in t.cells where c.published == nil { hidden.append((c.atoms, c.trueValue)) } }
            let cells = r.tables.flatMap(\.cells)
            times.append("\(periods.count == 1 ? periods[0] : "year"): \(elapsed) hidden \(cells.filter { $0.published == nil }.count)/\(cells.count) safe \(r.isSafe)")
            print(times.last ?? "")
        }
        schedule.removeAll()
        print(times.joined(separator: "\n"))
    }
}
