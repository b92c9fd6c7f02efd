// Integer optimum of a linear objective by depth-first branch and bound on the simplex.

struct IntegerSearch {
    enum Result {
        /// The best integer value found; `proven` when the search finished (not stopped by the
        /// node limit); `solution` is its point.
        case value(Int, proven: Bool, solution: [Int])
        case unbounded
        case failed
    }

    static let integrality = 1e-6

    /// Minimises `cost · x` over integer x in the region of `root` (a feasible tableau).
    /// Stops early once a point with value ≤ `stopAtOrBelow` is found (a proof enough for callers).
    static func minimise(root: Tableau, cost: [Double], nodeLimit: Int, stopAtOrBelow: Int? = nil, pivotLimit: Int = 20_000) -> Result {
        var t = root
        var columnCost = Array(repeating: 0.0, count: t.columns)
        for (v, c) in cost.enumerated() where v < t.variables.count { columnCost[t.variables[v]] = c }
        var d = t.reducedCosts(columnCost)
        switch t.primal(&d, pivotLimit: pivotLimit) {
        case .optimal: break
        case .unbounded: return .unbounded
        case .limit, .infeasible: return .failed
        }
        var stack: [(Tableau, [Double])] = [(t, d)]
        var incumbent: Int?
        var best: [Int] = []
        var nodes = 0
        var complete = true
        while let (node, nd) = stack.popLast() {
            nodes += 1
            if nodes > nodeLimit { complete = false; break }
            let objective = -nd[node.width - 1]
            let bound = Int((objective - integrality).rounded(.up))
            if let inc = incumbent, bound >= inc { continue }
            let x = node.solution()
            var branch = -1
            var worst = 0.0
            for (j, v) in x.enumerated() {
                let f = abs(v - v.rounded())
                if f > integrality && f > worst + 1e-12 { worst = f; branch = j }
            }
            if branch < 0 {
                let point = x.map { Int($0.rounded()) }
                var value = 0
                for (j, c) in cost.enumerated() where j < point.count && c != 0 { value += Int(c.rounded()) * point[j] }
                if incumbent.map({ value < $0 }) ?? true {
                    incumbent = value
                    best = point
                }
                if let s = stopAtOrBelow, value <= s { return .value(value, proven: true, solution: best) }
                continue
            }
            let v = x[branch]
            for upper in [false, true] {
                var child = node
                var cd = nd
                child.addBound(variable: node.variables[branch], bound: upper ? v.rounded(.down) : v.rounded(.up), upper: upper, reduced: &cd)
                if child.dual(&cd, pivotLimit: pivotLimit) == .optimal { stack.append((child, cd)) }
            }
        }
        guard let inc = incumbent else { return .failed }
        return .value(inc, proven: complete, solution: best)
    }
}
