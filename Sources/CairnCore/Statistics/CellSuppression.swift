/// Small-numbers suppression for tables that describe survivors, with the second-cell rule.
///
/// Primary: every count from 1 to `threshold - 1` is withheld (`SmallNumbers`), totals
/// included. Secondary: a table is shown with its totals, so a row or column (the totals'
/// row and column too) with exactly one withheld cell would give that cell away by
/// subtraction; its smallest other non-zero shown cell is withheld as well, and this repeats
/// until every row and column holds none or at least two withheld cells. Zeros are shown: a
/// zero is withheld only if nothing else could be.
public enum CellSuppression {
    /// Why a cell is withheld.
    public enum Reason: String, Sendable, Hashable, Codable {
        /// A small count itself.
        case primary
        /// Withheld so that a small count cannot be worked out from the totals.
        case secondary
    }

    /// One cell as shown: the count, or nil with the reason it is withheld.
    public struct Cell: Sendable, Hashable, Codable {
        /// The true count (never to be shown when `reason` is set).
        public let raw: Int
        public let reason: Reason?
        /// The count to show; nil when withheld.
        public var count: Int? { reason == nil ? raw : nil }
        public var isSuppressed: Bool { reason != nil }

        public init(raw: Int, reason: Reason?) {
            self.raw = raw
            self.reason = reason
        }
    }

    /// A table of counts with its row totals, column totals and grand total.
    public struct Table: Sendable, Hashable, Codable {
        /// `cells[row][column]`.
        public let cells: [[Cell]]
        public let rowTotals: [Cell]
        public let columnTotals: [Cell]
        public let total: Cell
        public let threshold: Int
        /// Whether any cell, total or not, is withheld.
        public var anySuppressed: Bool {
            total.isSuppressed || rowTotals.contains(where: \.isSuppressed) || columnTotals.contains(where: \.isSuppressed)
                || cells.contains { $0.contains(where: \.isSuppressed) }
        }
    }

    /// A list of counts with its total.
    public struct List: Sendable, Hashable, Codable {
        public let items: [Cell]
        public let total: Cell
        public let threshold: Int
        public var anySuppressed: Bool { total.isSuppressed || items.contains(where: \.isSuppressed) }
    }

    /// A lone count (no total shown beside it): withheld when small.
    public static func single(_ count: Int, threshold: Int = SmallNumbers.threshold) -> Cell {
        Cell(raw: count, reason: count > 0 && count < threshold ? .primary : nil)
    }

    /// Suppresses a list of counts shown with their total (the total is their sum).
    public static func list(_ counts: [Int], threshold: Int = SmallNumbers.threshold) -> List {
        let values = counts.map { max(0, $0) }
        let all = values + [values.reduce(0, +)]
        let cells = suppress(all, lines: [Array(all.indices)], threshold: threshold)
        return List(items: Array(cells.dropLast()), total: cells[values.count], threshold: threshold)
    }

    /// Suppresses a table of counts (`counts[row][column]`; a short row counts as zeros)
    /// shown with row totals, column totals and a grand total, each the sum of its cells.
    public static func table(_ counts: [[Int]], threshold: Int = SmallNumbers.threshold) -> Table {
        let rows = counts.count
        let columns = counts.map(\.count).max() ?? 0
        // The grid with its margins: row `rows` holds the column totals, column `columns` the
        // row totals, and [rows][columns] the grand total. Every row and column of this grid
        // is one sum: its last cell is the sum of the others.
        var grid = [[Int]](repeating: [Int](repeating: 0, count: columns + 1), count: rows + 1)
        for r in 0 ..< rows {
            for c in 0 ..< min(columns, counts[r].count) {
                let n = max(0, counts[r][c])
                grid[r][c] = n
                grid[r][columns] += n
                grid[rows][c] += n
                grid[rows][columns] += n
            }
        }
        let width = columns + 1
        let flat = grid.flatMap { $0 }
        let lines = (0 ... rows).map { r in (0 ... columns).map { r * width + $0 } }
            + (0 ... columns).map { c in (0 ... rows).map { $0 * width + c } }
        let cells = suppress(flat, lines: lines, threshold: threshold)
        func cell(_ r: Int, _ c: Int) -> Cell { cells[r * width + c] }
        return Table(cells: (0 ..< rows).map { r in (0 ..< columns).map { cell(r, $0) } },
                     rowTotals: (0 ..< rows).map { cell($0, columns) },
                     columnTotals: (0 ..< columns).map { cell(rows, $0) },
                     total: cell(rows, columns), threshold: threshold)
    }

    /// The rule over any set of sums: `lines` are the groups of cells (indices into `values`)
    /// shown together with the cell that is their sum.
    static func suppress(_ values: [Int], lines: [[Int]], threshold: Int) -> [Cell] {
        var reason = values.map { $0 > 0 && $0 < threshold ? Reason.primary : nil }
        var changed = true
        while changed {
            changed = false
            for line in lines where line.filter({ reason[$0] != nil }).count == 1 {
                // The smallest other shown non-zero cell; ties go to the first (cells before totals).
                let candidates = line.filter { reason[$0] == nil && values[$0] > 0 }
                guard let pick = candidates.min(by: { values[$0] < values[$1] }) else { continue }
                reason[pick] = .secondary
                changed = true
            }
        }
        return values.indices.map { Cell(raw: values[$0], reason: reason[$0]) }
    }
}
