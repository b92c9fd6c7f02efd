// The attacker's unknowns: one count per quarter and full combination of categories.

public enum AtomSpaceError: Error, Equatable, Sendable {
    case duplicateDimension(String)
    case duplicateCategory(String)
    case emptyDimension(String)
    case tooLarge(Int)
}

/// Maps (quarter, one category of every dimension) to an atom index and back, and gives the
/// atoms a table cell sums.
public struct AtomSpace: Sendable {
    public let dimensions: [Dimension]
    public let periods: [String]
    /// Number of atoms: periods × the product of the category counts.
    public let count: Int
    /// The most atoms a space may have (the attacker check is dense; see the README).
    public static let maximumAtoms = 2_000_000

    private let combinations: Int
    private let periodIndex: [String: Int]
    private let categoryIndex: [[String: Int]]
    private let dimensionIndex: [String: Int]
    /// strides[i]: how far apart consecutive categories of dimension i are.
    private let strides: [Int]

    public init(dimensions: [Dimension], periods: [String]) throws(AtomSpaceError) {
        var dimIdx: [String: Int] = [:]
        var catIdx: [[String: Int]] = []
        var combos = 1
        for (i, d) in dimensions.enumerated() {
            guard dimIdx[d.name] == nil else { throw .duplicateDimension(d.name) }
            guard !d.categories.isEmpty else { throw .emptyDimension(d.name) }
            dimIdx[d.name] = i
            var m: [String: Int] = [:]
            for (j, c) in d.categories.enumerated() {
                guard m[c] == nil else { throw .duplicateCategory("\(d.name): \(c)") }
                m[c] = j
            }
            catIdx.append(m)
            let (p, o) = combos.multipliedReportingOverflow(by: d.categories.count)
            guard !o, p <= Self.maximumAtoms else { throw .tooLarge(Int.max) }
            combos = p
        }
        var pIdx: [String: Int] = [:]
        var uniquePeriods: [String] = []
        for p in periods where pIdx[p] == nil {
            pIdx[p] = uniquePeriods.count
            uniquePeriods.append(p)
        }
        let (total, o) = combos.multipliedReportingOverflow(by: max(uniquePeriods.count, 1))
        guard !o, total <= Self.maximumAtoms else { throw .tooLarge(o ? Int.max : total) }
        var s = Array(repeating: 1, count: dimensions.count)
        var acc = 1
        for i in stride(from: dimensions.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= dimensions[i].categories.count
        }
        self.dimensions = dimensions
        self.periods = uniquePeriods
        self.combinations = combos
        self.count = combos * uniquePeriods.count
        self.periodIndex = pIdx
        self.categoryIndex = catIdx
        self.dimensionIndex = dimIdx
        self.strides = s
    }

    /// The atom of one quarter and a category for every dimension; nil if anything is unknown.
    public func index(period: String, combination: [String: String]) -> Int? {
        guard let p = periodIndex[period], combination.count == dimensions.count else { return nil }
        var offset = 0
        for (name, c) in combination {
            guard let d = dimensionIndex[name], let j = categoryIndex[d][c] else { return nil }
            offset += j * strides[d]
        }
        return p * combinations + offset
    }

    /// The quarter and combination of an atom; nil when out of range.
    public func atom(at index: Int) -> (period: String, combination: [String: String])? {
        guard index >= 0, index < count else { return nil }
        let p = index / combinations
        var rest = index % combinations
        var combo: [String: String] = [:]
        for (i, d) in dimensions.enumerated() {
            combo[d.name] = d.categories[rest / strides[i]]
            rest %= strides[i]
        }
        return (periods[p], combo)
    }

    /// The atoms a cell sums over the given quarters (ascending); nil if a quarter, dimension or
    /// category is unknown.
    public func atoms<S: Sequence>(periods: S, key: CellKey) -> [Int]? where S.Element == String {
        var fixed = Array(repeating: -1, count: dimensions.count)
        for (name, c) in key.values {
            guard let d = dimensionIndex[name], let j = categoryIndex[d][c] else { return nil }
            fixed[d] = j
        }
        var offsets = [0]
        for (i, d) in dimensions.enumerated() {
            if fixed[i] >= 0 {
                offsets = offsets.map { $0 + fixed[i] * strides[i] }
            } else {
                var next: [Int] = []
                next.reserveCapacity(offsets.count * d.categories.count)
                for o in offsets { for j in 0..<d.categories.count { next.append(o + j * strides[i]) } }
                offsets = next
            }
        }
        var result: [Int] = []
        var seen = Set<Int>()
        for p in periods {
            guard let pi = periodIndex[p] else { return nil }
            guard seen.insert(pi).inserted else { continue }
            result.append(contentsOf: offsets.map { pi * combinations + $0 })
        }
        return result.sorted()
    }
}
