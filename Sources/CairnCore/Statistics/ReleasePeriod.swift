/// The period a release covers: a calendar quarter ("2026-Q1") or a calendar year ("2026").
/// A year's figures are the sum of its four quarters, which is what lets the attacker check
/// relate an annual table to the quarters published before it.
public enum ReleasePeriod: Hashable, Comparable, Sendable, CustomStringConvertible {
    case quarter(year: Int, quarter: Int)
    case year(Int)

    /// Parses exactly `YYYY-Qn` (n 1–4) or `YYYY`; years 2000–2999.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let yearText = parts.first, yearText.count == 4, yearText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let year = Int(yearText), (2000...2999).contains(year) else { return nil }
        if parts.count == 1 { self = .year(year); return }
        guard parts.count == 2, parts[1].count == 2, parts[1].first == "Q",
              let q = parts[1].last?.wholeNumberValue, (1...4).contains(q) else { return nil }
        self = .quarter(year: year, quarter: q)
    }

    /// The quarter a day falls in.
    public init(quarterOf day: CalendarDate) {
        self = .quarter(year: day.year, quarter: (day.month - 1) / 3 + 1)
    }

    public var description: String {
        switch self {
        case .quarter(let year, let quarter): "\(year)-Q\(quarter)"
        case .year(let year): "\(year)"
        }
    }

    /// "January to March 2026", "2026".
    public var label: String {
        switch self {
        case .quarter(let year, let quarter):
            let spans = ["January to March", "April to June", "July to September", "October to December"]
            return "\(spans[max(0, min(3, quarter - 1))]) \(year)"
        case .year(let year): return "January to December \(year)"
        }
    }

    /// For ordering in time: (year, last quarter covered, 1 for a year) — so a year comes
    /// after its own fourth quarter, which ends the same day, and after none of its others.
    public var chronologicalKey: [Int] {
        switch self {
        case .quarter(let year, let quarter): [year, quarter, 0]
        case .year(let year): [year, 4, 1]
        }
    }

    public var year: Int {
        switch self {
        case .quarter(let year, _), .year(let year): year
        }
    }

    /// The quarters the period is made of, in order.
    public var quarters: [ReleasePeriod] {
        switch self {
        case .quarter: [self]
        case .year(let year): (1...4).map { .quarter(year: year, quarter: $0) }
        }
    }

    /// The months the period covers, in order.
    public var months: [MonthPeriod] {
        switch self {
        case .quarter(let year, let quarter): (0..<3).compactMap { MonthPeriod(year: year, month: (quarter - 1) * 3 + 1 + $0) }
        case .year(let year): (1...12).compactMap { MonthPeriod(year: year, month: $0) }
        }
    }

    public var firstDay: CalendarDate { months.first?.firstDay ?? .first }
    /// The last day of the period.
    public var lastDay: CalendarDate { (months.last?.adding(months: 1).firstDay ?? .first).adding(days: -1) }

    public static func < (a: ReleasePeriod, b: ReleasePeriod) -> Bool {
        (a.firstDay, a.lastDay) < (b.firstDay, b.lastDay)
    }
}

/// People or reports with the same category on every dimension, counted in one quarter: what
/// the records of a capability give a release to tabulate. `values` holds category keys.
public struct ReleaseRecord: Hashable, Sendable {
    public let quarter: ReleasePeriod
    public let values: [ReleaseDimension: String]
    public let count: Int

    public init(quarter: ReleasePeriod, values: [ReleaseDimension: String], count: Int = 1) {
        self.quarter = quarter
        self.values = values
        self.count = count
    }

    /// The categories in dimension order, for a stable order of records.
    public var sortKey: String { ReleaseDimension.allCases.map { values[$0] ?? "" }.joined(separator: "|") }

    /// The area key for a postcode district: itself when the partnership lists it, otherwise
    /// "outside the area or not known".
    public static func area(_ district: String?, in areas: Set<String>) -> String {
        guard let district = district?.uppercased(), areas.contains(district) else { return ReleaseDimension.otherArea }
        return district
    }
}

extension ReleasePeriod: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let period = ReleasePeriod(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a period is YYYY-Qn or YYYY"))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
