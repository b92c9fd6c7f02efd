// A small dense simplex over x ≥ 0: two phases, Dantzig pricing with a switch to Bland's rule
// after degenerate pivots (no cycling), and a dual simplex for rows added by branch and bound.

/// One linear constraint over the structural variables.
struct LinearRow: Sendable {
    enum Sense: Sendable { case lessOrEqual, greaterOrEqual, equal }
    var terms: [(column: Int, coefficient: Double)]
    var sense: Sense
    var rhs: Double
}

/// A tableau in canonical form: every row has one basic variable with coefficient 1.
struct Tableau: Sendable {
    static let pivotTolerance = 1e-9
    static let feasibilityTolerance = 1e-7

    /// Number of structural variables (the first columns).
    let structural: Int
    /// The column of each integer variable (the structural ones, then any copies added).
    var variables: [Int] = []
    /// Rows × (columns + 1); the last entry of a row is its right-hand side.
    var cells: [Double]
    var rows: Int
    var columns: Int
    var basis: [Int]
    /// Columns that may enter the basis (artificial ones are barred after phase one).
    var allowed: [Bool]

    var width: Int { columns + 1 }

    @inline(__always) func at(_ r: Int, _ c: Int) -> Double { cells[r * width + c] }
    func rhs(_ r: Int) -> Double { cells[r * width + columns] }

    /// Builds the phase-one tableau (right-hand sides made non-negative), solves phase one and
    /// returns a feasible tableau, or nil when the constraints have no non-negative solution.
    static func feasible(structural n: Int, rows input: [LinearRow], pivotLimit: Int = 50_000) -> Tableau? {
        var rowsIn = input
        for i in rowsIn.indices where rowsIn[i].rhs < 0 {
            rowsIn[i].rhs = -rowsIn[i].rhs
            rowsIn[i].terms = rowsIn[i].terms.map { ($0.column, -$0.coefficient) }
            switch rowsIn[i].sense {
            case .lessOrEqual: rowsIn[i].sense = .greaterOrEqual
            case .greaterOrEqual: rowsIn[i].sense = .lessOrEqual
            case .equal: break
            }
        }
        let m = rowsIn.count
        let slackCount = rowsIn.filter { $0.sense != .equal }.count
        let artificialCount = rowsIn.filter { $0.sense != .lessOrEqual }.count
        let cols = n + slackCount + artificialCount
        var t = Tableau(structural: n, cells: Array(repeating: 0, count: m * (cols + 1)), rows: m,
                        columns: cols, basis: Array(repeating: 0, count: m), allowed: Array(repeating: true, count: cols))
        t.variables = Array(0..<n)
        var nextSlack = n, nextArtificial = n + slackCount
        var artificialRows: [Int] = []
        for (i, row) in rowsIn.enumerated() {
            let base = i * t.width
            for term in row.terms where term.column >= 0 && term.column < n {
                t.cells[base + term.column] += term.coefficient
            }
            t.cells[base + cols] = row.rhs
            switch row.sense {
            case .lessOrEqual:
                t.cells[base + nextSlack] = 1
                t.basis[i] = nextSlack
                nextSlack += 1
            case .greaterOrEqual:
                t.cells[base + nextSlack] = -1
                nextSlack += 1
                t.cells[base + nextArtificial] = 1
                t.basis[i] = nextArtificial
                artificialRows.append(i)
                nextArtificial += 1
            case .equal:
                t.cells[base + nextArtificial] = 1
                t.basis[i] = nextArtificial
                artificialRows.append(i)
                nextArtificial += 1
            }
        }
        let firstArtificial = n + slackCount
        if artificialCount > 0 {
            var cost = Array(repeating: 0.0, count: cols)
            for j in firstArtificial..<cols { cost[j] = 1 }
            var d = t.reducedCosts(cost)
            guard t.primal(&d, pivotLimit: pivotLimit) == .optimal else { return nil }
            if -d[cols] > feasibilityTolerance * Double(max(1, m)) { return nil }
            // Drive artificial variables (now zero) out of the basis, or drop redundant rows.
            var r = 0
            while r < t.rows {
                if t.basis[r] >= firstArtificial {
                    var entering = -1
                    for j in 0..<firstArtificial where abs(t.at(r, j)) > pivotTolerance { entering = j; break }
                    if entering >= 0 {
                        t.pivot(row: r, column: entering, reduced: &d)
                    } else {
                        t.removeRow(r)
                        continue
                    }
                }
                r += 1
            }
            for j in firstArtificial..<cols { t.allowed[j] = false }
        }
        return t
    }

    /// Reduced costs (last entry: minus the objective value) of `cost` for the current basis.
    func reducedCosts(_ cost: [Double]) -> [Double] {
        var d = Array(repeating: 0.0, count: width)
        for j in 0..<min(cost.count, columns) { d[j] = cost[j] }
        for r in 0..<rows {
            let b = basis[r]
            let cb = b < cost.count ? cost[b] : 0
            if cb == 0 { continue }
            let base = r * width
            for j in 0..<width { d[j] -= cb * cells[base + j] }
        }
        return d
    }

    enum Outcome: Equatable { case optimal, unbounded, limit, infeasible }

    /// Minimises from a feasible basis; `d` holds the reduced costs and is kept up to date.
    mutating func primal(_ d: inout [Double], pivotLimit: Int) -> Outcome {
        var degenerate = 0
        for _ in 0..<pivotLimit {
            let bland = degenerate > 50
            var entering = -1
            var best = -Self.pivotTolerance
            for j in 0..<columns where allowed[j] && d[j] < best {
                entering = j
                if bland { break }
                best = d[j]
            }
            if entering < 0 { return .optimal }
            var leaving = -1
            var ratio = Double.infinity
            for r in 0..<rows {
                let a = at(r, entering)
                guard a > Self.pivotTolerance else { continue }
                let q = max(rhs(r), 0) / a
                if q < ratio - 1e-12 || (abs(q - ratio) <= 1e-12 && leaving >= 0 && basis[r] < basis[leaving]) {
                    ratio = q
                    leaving = r
                }
            }
            if leaving < 0 { return .unbounded }
            degenerate = ratio <= 1e-12 ? degenerate + 1 : 0
            pivot(row: leaving, column: entering, reduced: &d)
        }
        return .limit
    }

    /// Restores feasibility after rows were added, keeping the reduced costs non-negative.
    mutating func dual(_ d: inout [Double], pivotLimit: Int) -> Outcome {
        for _ in 0..<pivotLimit {
            var leaving = -1
            var worst = -Self.feasibilityTolerance
            for r in 0..<rows where rhs(r) < worst {
                worst = rhs(r)
                leaving = r
            }
            if leaving < 0 { return .optimal }
            var entering = -1
            var ratio = Double.infinity
            for j in 0..<columns where allowed[j] {
                let a = at(leaving, j)
                guard a < -Self.pivotTolerance else { continue }
                let q = max(d[j], 0) / -a
                if q < ratio - 1e-12 { ratio = q; entering = j }
            }
            if entering < 0 { return .infeasible }
            pivot(row: leaving, column: entering, reduced: &d)
        }
        return .limit
    }

    mutating func pivot(row r: Int, column s: Int, reduced d: inout [Double]) {
        let w = width
        cells.withUnsafeMutableBufferPointer { c in
            let p = c[r * w + s]
            let rb = r * w
            for j in 0..<w { c[rb + j] /= p }
            c[rb + s] = 1
            for i in 0..<rows where i != r {
                let ib = i * w
                let f = c[ib + s]
                if f == 0 { continue }
                for j in 0..<w {
                    let v = c[rb + j]
                    if v != 0 { c[ib + j] -= f * v }
                }
                c[ib + s] = 0
            }
            let f = d[s]
            if f != 0 {
                for j in 0..<w {
                    let v = c[rb + j]
                    if v != 0 { d[j] -= f * v }
                }
                d[s] = 0
            }
        }
        basis[r] = s
    }

    mutating func removeRow(_ r: Int) {
        cells.removeSubrange(r * width..<(r + 1) * width)
        basis.remove(at: r)
        rows -= 1
    }

    /// Value of each integer variable in the current basic solution.
    func solution() -> [Double] {
        var x = Array(repeating: 0.0, count: variables.count)
        var varOf: [Int: Int] = [:]
        for (v, c) in variables.enumerated() { varOf[c] = v }
        for r in 0..<rows { if let v = varOf[basis[r]] { x[v] = rhs(r) } }
        return x
    }

    /// Adds a new integer variable for each given variable, with an identical column (so the
    /// basis stays feasible and the copy starts at 0). Splits a variable into two parts.
    mutating func addCopies(of vars: [Int]) -> [Int] {
        guard !vars.isEmpty else { return [] }
        let oldWidth = width
        let newColumns = columns + vars.count
        var next = Array(repeating: 0.0, count: rows * (newColumns + 1))
        for r in 0..<rows {
            let o = r * oldWidth, b = r * (newColumns + 1)
            for c in 0..<columns { next[b + c] = cells[o + c] }
            for (i, v) in vars.enumerated() { next[b + columns + i] = cells[o + variables[v]] }
            next[b + newColumns] = cells[o + columns]
        }
        var added: [Int] = []
        for i in vars.indices {
            added.append(variables.count)
            variables.append(columns + i)
            allowed.append(true)
        }
        cells = next
        columns = newColumns
        return added
    }

    /// Adds `x[variable] ≤ bound` (or ≥) as a new row with its own slack, in canonical form.
    mutating func addBound(variable j: Int, bound: Double, upper: Bool, reduced d: inout [Double]) {
        let oldWidth = width
        let newColumns = columns + 1
        var next = Array(repeating: 0.0, count: (rows + 1) * (newColumns + 1))
        for r in 0..<rows {
            for c in 0..<columns { next[r * (newColumns + 1) + c] = cells[r * oldWidth + c] }
            next[r * (newColumns + 1) + newColumns] = cells[r * oldWidth + columns]
        }
        let base = rows * (newColumns + 1)
        let slack = columns
        // upper: x_j + s = bound; lower: -x_j + s = -bound.
        let sign: Double = upper ? 1 : -1
        next[base + slack] = 1
        next[base + newColumns] = sign * bound
        if let r = basis.firstIndex(of: j) {
            // Substitute the basic x_j using its row.
            for c in 0..<columns where c != j { next[base + c] = -sign * cells[r * oldWidth + c] }
            next[base + newColumns] -= sign * cells[r * oldWidth + columns]
        } else {
            next[base + j] = sign
        }
        cells = next
        columns = newColumns
        rows += 1
        basis.append(slack)
        allowed.append(true)
        var nd = Array(d[0..<oldWidth - 1])
        nd.append(0)
        nd.append(d[oldWidth - 1])
        d = nd
    }
}
