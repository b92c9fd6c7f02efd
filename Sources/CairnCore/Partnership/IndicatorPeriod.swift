/// A period an entered indicator value is for: a month `2026-11`, a quarter `2026-Q3` or a year
/// `2026`, as the indicator's frequency says.
public struct IndicatorPeriod: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let frequency: IndicatorFrequency
    /// The first month of the period.
    public let first: MonthPeriod

    /// Parses a period of the given frequency; nil for anything else.
    public init?(parsing text: String, frequency: IndicatorFrequency) {
        switch frequency {
        case .month:
            guard let month = MonthPeriod(parsing: text) else { return nil }
            first = month
        case .quarter:
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(parts[0]),
                  parts[1].count == 2, parts[1].first == "Q", let q = Int(parts[1].dropFirst()), (1...4).contains(q),
                  let month = MonthPeriod(year: year, month: (q - 1) * 3 + 1) else { return nil }
            first = month
        case .year:
            guard text.count == 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(text),
                  let month = MonthPeriod(year: year, month: 1) else { return nil }
            first = month
        }
        self.frequency = frequency
    }

    public var description: String {
        switch frequency {
        case .month: first.description
        case .quarter: "\(String(format: "%04d", first.year))-Q\((first.month - 1) / 3 + 1)"
        case .year: String(format: "%04d", first.year)
        }
    }

    /// What a period of this frequency looks like, for hints and errors.
    public static func example(_ frequency: IndicatorFrequency) -> String {
        switch frequency {
        case .month: "a month such as 2026-11"
        case .quarter: "a quarter such as 2026-Q3"
        case .year: "a year such as 2026"
        }
    }

    public static func < (a: IndicatorPeriod, b: IndicatorPeriod) -> Bool { a.first < b.first }
}
