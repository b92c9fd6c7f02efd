import Testing
@testable import CairnCore

/// Small-numbers suppression with the second-cell rule: small counts are withheld, and so is a
/// second cell wherever a withheld one could be worked out from the totals shown.
@Suite struct CellSuppressionTests {
    typealias Reason = CellSuppression.Reason

    func reasons(_ t: CellSuppression.Table) -> [[Reason?]] { t.cells.map { $0.map(\.reason) } }

    @Test func aListWithOneSmallCountWithholdsTheNextSmallest() {
        let l = CellSuppression.list([3, 20, 30], threshold: 10)
        #expect(l.items.map(\.count) == [nil, nil, 30])
        #expect(l.items.map(\.reason) == [.primary, .secondary, nil])
        #expect(l.total.count == 53)
        #expect(l.items.map(\.raw) == [3, 20, 30])
    }

    @Test func twoSmallCountsProtectEachOther() {
        let l = CellSuppression.list([3, 4, 20], threshold: 10)
        #expect(l.items.map(\.reason) == [.primary, .primary, nil])
        #expect(l.total.count == 27)
    }

    @Test func zerosAndLargeCountsAreShown() {
        let l = CellSuppression.list([0, 20, 30, 10], threshold: 10)
        #expect(!l.anySuppressed)
        #expect(l.items.map(\.count) == [0, 20, 30, 10])
        #expect(CellSuppression.list([], threshold: 10).total.count == 0)
    }

    @Test func aSmallTotalIsWithheldToo() {
        let l = CellSuppression.list([3, 0], threshold: 10)
        #expect(l.items.map(\.reason) == [.primary, nil])
        #expect(l.total.reason == .primary)
        #expect(CellSuppression.single(4, threshold: 10).count == nil)
        #expect(CellSuppression.single(0, threshold: 10).count == 0)
        #expect(CellSuppression.single(10, threshold: 10).count == 10)
    }

    @Test func theDefaultThresholdIsTheSmallNumbersRule() {
        let l = CellSuppression.list([SmallNumbers.threshold - 1, 100])
        #expect(l.items[0].reason == .primary && l.threshold == SmallNumbers.threshold)
    }

    /// The first pass over rows then columns withholds cells in columns that leave rows with
    /// one withheld cell each; only a second round protects those.
    @Test func aChainNeedsSeveralRounds() {
        let t = CellSuppression.table([[3, 20, 30], [25, 40, 50], [60, 11, 70]], threshold: 10)
        #expect(reasons(t) == [[.primary, .secondary, nil], [.secondary, .secondary, nil], [.secondary, .secondary, nil]])
        #expect(t.rowTotals.map(\.count) == [53, 115, 141])
        #expect(t.columnTotals.map(\.count) == [88, 71, 150])
        #expect(t.total.count == 309)
        Self.checkUnrecoverable(t, threshold: 10)
    }

    @Test func theMarginsAreProtectedLikeAnyRow() {
        let t = CellSuppression.table([[2, 0], [30, 40]], threshold: 10)
        #expect(t.rowTotals[0].reason == .primary)
        #expect(t.cells[1][0].reason == .secondary)
        // The row totals' column has one withheld cell (2): the next smallest total goes too.
        #expect(t.rowTotals[1].reason == .secondary)
        #expect(t.cells[1][1].count == 40 && t.total.count == 72)
        Self.checkUnrecoverable(t, threshold: 10)
    }

    @Test func aTableWithNothingSmallIsShownWhole() {
        let t = CellSuppression.table([[10, 0, 12], [0, 0, 0], [50, 11, 99]], threshold: 10)
        #expect(!t.anySuppressed)
        #expect(t.rowTotals.map(\.count) == [22, 0, 160])
    }

    /// Random tables: every small count is withheld, no row or column (totals included) holds
    /// exactly one withheld cell, and nothing shown is altered.
    @Test func noWithheldCellCanBeWorkedOutFromItsRowOrColumn() {
        var rng = SeededGenerator(seed: 0x5EED)
        for _ in 0 ..< 3000 {
            let rows = Int(rng.next() % 6) + 1, columns = Int(rng.next() % 6) + 1
            let k = [5, 10, 11][Int(rng.next() % 3)]
            let counts = (0 ..< rows).map { _ in
                (0 ..< columns).map { _ -> Int in
                    switch rng.next() % 4 {
                    case 0: 0
                    case 1: Int(rng.next() % UInt64(k)) // small
                    default: Int(rng.next() % 200)
                    }
                }
            }
            let t = CellSuppression.table(counts, threshold: k)
            for r in 0 ..< rows {
                for c in 0 ..< columns { #expect(t.cells[r][c].raw == counts[r][c]) }
            }
            Self.checkUnrecoverable(t, threshold: k)
            let list = CellSuppression.list(counts[0], threshold: k)
            let line = list.items + [list.total]
            #expect(line.filter(\.isSuppressed).count != 1)
            #expect(line.allSatisfy { !($0.raw > 0 && $0.raw < k) || $0.reason == .primary })
            #expect(list.total.raw == counts[0].reduce(0, +))
        }
    }

    static func checkUnrecoverable(_ t: CellSuppression.Table, threshold k: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        var grid = t.cells.enumerated().map { $0.element + [t.rowTotals[$0.offset]] }
        grid.append(t.columnTotals + [t.total])
        for row in grid {
            #expect(row.filter(\.isSuppressed).count != 1, "a row gives away its withheld cell", sourceLocation: sourceLocation)
            #expect(row.dropLast().map(\.raw).reduce(0, +) == row.last?.raw, sourceLocation: sourceLocation)
        }
        for c in grid[0].indices {
            let column = grid.map { $0[c] }
            #expect(column.filter(\.isSuppressed).count != 1, "a column gives away its withheld cell", sourceLocation: sourceLocation)
            #expect(column.dropLast().map(\.raw).reduce(0, +) == column.last?.raw, sourceLocation: sourceLocation)
        }
        for cell in grid.flatMap({ $0 }) {
            if cell.raw > 0 && cell.raw < k { #expect(cell.reason == .primary, sourceLocation: sourceLocation) }
            if cell.raw == 0 || cell.raw >= k { #expect(cell.reason != .primary, sourceLocation: sourceLocation) }
            #expect(cell.isSuppressed == (cell.count == nil), sourceLocation: sourceLocation)
        }
    }
}
