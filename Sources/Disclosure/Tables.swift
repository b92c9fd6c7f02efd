// Tables of counts over one or two dimensions, counted from records.

/// A fixed list of categories (e.g. age group: adult, child, not known).
public struct Dimension: Hashable, Sendable, Codable {
    public let name: String
    public let categories: [String]
    public init(name: String, categories: [String]) {
        self.name = name
        self.categories = categories
    }
}

/// One counted unit (a person or a report) in one quarter, with its category in each dimension.
public struct Record: Sendable {
    /// A quarter such as "2026-Q1".
    public let period: String
    /// Dimension name → category.
    public let values: [String: String]
    public init(period: String, values: [String: String]) {
        self.period = period
        self.values = values
    }
}

/// A table to publish: a name and one or two dimension names.
public struct TableSpec: Hashable, Sendable, Codable {
    public let name: String
    public let dimensions: [String]
    public init(name: String, dimensions: [String]) {
        self.name = name
        self.dimensions = dimensions
    }
}

/// A cell of a table: dimension → category. A dimension left out means "all" (a margin);
/// the empty key is the grand total.
public struct CellKey: Hashable, Codable, Sendable, Comparable {
    public let values: [String: String]
    public init(_ values: [String: String]) { self.values = values }
    public init(values: [String: String]) { self.values = values }

    /// The grand total.
    public static let total = CellKey([:])

    /// Orders by the sorted (dimension, category) pairs, comparing bytes; fewer pairs first on a tie.
    public static func < (a: CellKey, b: CellKey) -> Bool {
        let x = a.sortedPairs, y = b.sortedPairs
        for (p, q) in zip(x, y) where p != q {
            if p.0 != q.0 { return Array(p.0.utf8).lexicographicallyPrecedes(Array(q.0.utf8)) }
            return Array(p.1.utf8).lexicographicallyPrecedes(Array(q.1.utf8))
        }
        return x.count < y.count
    }

    var sortedPairs: [(String, String)] {
        values.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }.map { ($0.key, $0.value) }
    }

    /// "Labour, adult" style text for people; "Total" for the grand total.
    public func label(order: [String]) -> String {
        let parts = order.compactMap { values[$0] }
        return parts.isEmpty ? "Total" : parts.joined(separator: ", ")
    }
}

/// The true counts of one table over a set of periods (never published as such).
public struct TrueTable: Sendable {
    public let name: String
    public let dimensions: [String]
    /// The quarters counted (one for a quarter, four for a year, two or three for a year to date).
    public let periods: [String]
    /// Interior cells first (first dimension slowest), then each dimension's margin, then the total.
    public let cells: [(key: CellKey, value: Int)]
    /// The categories of each dimension, in order (for interior cells and margins).
    public let categories: [[String]]

    public init(name: String, dimensions: [String], periods: [String], cells: [(key: CellKey, value: Int)], categories: [[String]]) {
        self.name = name
        self.dimensions = dimensions
        self.periods = periods
        self.cells = cells
        self.categories = categories
    }

    /// Whether the key names every dimension of the table (a histogram cell).
    public func isInterior(_ key: CellKey) -> Bool { key.values.count == dimensions.count }

    public func value(_ key: CellKey) -> Int? { cells.first { $0.key == key }?.value }
}

public enum TableError: Error, Equatable, Sendable {
    case unknownDimension(String)
    case badTableShape(String)
}

public enum Tabulate {
    /// The keys of a table in its stable order: interior, margins (one per dimension, for a
    /// two-way table), then the total.
    public static func keys(dimensions: [Dimension]) -> [CellKey] {
        var keys: [CellKey] = []
        if dimensions.count == 1, let d = dimensions.first {
            keys = d.categories.map { CellKey([d.name: $0]) }
        } else if dimensions.count == 2 {
            let a = dimensions[0], b = dimensions[1]
            for x in a.categories { for y in b.categories { keys.append(CellKey([a.name: x, b.name: y])) } }
            for d in dimensions { for c in d.categories { keys.append(CellKey([d.name: c])) } }
        }
        keys.append(.total)
        return keys
    }

    /// Counts the records whose period is in `periods`. A record is counted only when it has a
    /// listed category for every dimension of the table (map unknowns to a "not known" category).
    public static func table(_ spec: TableSpec, dimensions: [Dimension], periods: Set<String>, records: [Record]) throws(TableError) -> TrueTable {
        guard (1...2).contains(spec.dimensions.count), Set(spec.dimensions).count == spec.dimensions.count else {
            throw .badTableShape("a table has one or two different dimensions")
        }
        var dims: [Dimension] = []
        for name in spec.dimensions {
            guard let d = dimensions.first(where: { $0.name == name }) else { throw .unknownDimension(name) }
            dims.append(d)
        }
        let keys = keys(dimensions: dims)
        var counts: [CellKey: Int] = [:]
        let known = dims.map { Set($0.categories) }
        for r in records where periods.contains(r.period) {
            var interior: [String: String] = [:]
            var ok = true
            for (i, d) in dims.enumerated() {
                guard let c = r.values[d.name], known[i].contains(c) else { ok = false; break }
                interior[d.name] = c
            }
            guard ok else { continue }
            counts[CellKey(interior), default: 0] += 1
            if dims.count == 2 {
                for (name, c) in interior { counts[CellKey([name: c]), default: 0] += 1 }
            }
            counts[.total, default: 0] += 1
        }
        let sortedPeriods = periods.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        return TrueTable(name: spec.name, dimensions: spec.dimensions, periods: sortedPeriods,
                         cells: keys.map { ($0, counts[$0] ?? 0) }, categories: dims.map(\.categories))
    }
}
