import CairnCore
import Foundation

/// The partnership's case figures: counts, never a case or a person, with small numbers
/// suppressed.
extension CaseSupportController {
    /// Counts from 1 to `threshold - 1` are not shown, so no one can be picked out of a
    /// small group; averages need at least `threshold` cases (`SmallNumbers`).
    static var threshold: Int { SmallNumbers.threshold }

    static func shown(_ n: Int) -> String { SmallNumbers.shown(n) }

    struct CountRow: Sendable {
        let label: String
        let count: String
    }

    struct MovementRow: Sendable {
        let outcome: String
        let cases: String
        let improved: String
        let same: String
        let worse: String
        let first: String
        let latest: String
    }

    struct FiguresPage: Sendable {
        let total: String
        let status: [CountRow]
        let stages: [CountRow]
        let risk: [CountRow]
        let movement: [MovementRow]
        let threshold: Int
    }

    func figuresPage(_ f: CaseSupportService.Figures) -> FiguresPage {
        func rows(_ list: [(String, Int)]) -> [CountRow] {
            // Secondary suppression: the total is shown, so a table with one hidden small count
            // would give it away by subtraction; then the next smallest count is withheld too.
            let small = list.indices.filter { list[$0].1 > 0 && list[$0].1 < Self.threshold }
            var withheld = Set<Int>()
            if small.count == 1,
               let next = list.indices.filter({ !small.contains($0) && list[$0].1 > 0 }).min(by: { list[$0].1 < list[$1].1 }) {
                withheld.insert(next)
            }
            return list.indices.map { i in
                CountRow(label: list[i].0, count: withheld.contains(i) ? "withheld (protects a small count)" : Self.shown(list[i].1))
            }
        }
        return FiguresPage(
            total: Self.shown(f.total), status: rows(f.byStatus), stages: rows(f.byStage), risk: rows(f.byRisk),
            movement: f.movement.map { m in
                let enough = m.cases >= Self.threshold
                return MovementRow(outcome: m.outcome, cases: Self.shown(m.cases), improved: enough ? Self.shown(m.improved) : "—",
                                   same: enough ? Self.shown(m.same) : "—", worse: enough ? Self.shown(m.worse) : "—",
                                   first: enough ? String(format: "%.1f", m.first) : "—", latest: enough ? String(format: "%.1f", m.latest) : "—")
            },
            threshold: Self.threshold)
    }
}
