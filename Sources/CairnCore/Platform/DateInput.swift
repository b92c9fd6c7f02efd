import Foundation

/// Reads a date typed into three boxes — day, month, year — as the GOV.UK date input pattern
/// asks for, with its error messages ("Date of birth must include a month", "… must be a real
/// date", "… must be in the past"). Pure: the caller supplies today's date.
public enum DateInput {
    /// What may be left out, and what the date must be.
    public struct Rules: Sendable {
        /// The field's name as people see it, with a capital: "Date of birth".
        public var label: String
        public var required: Bool
        /// Day and month may be left empty (a year alone, or a month and year): dates of birth.
        public var partial: Bool
        public var timing: Timing

        public init(label: String, required: Bool = true, partial: Bool = false, timing: Timing = .any) {
            self.label = label
            self.required = required
            self.partial = partial
            self.timing = timing
        }
    }

    public enum Timing: Sendable {
        case any
        /// Before today (a date of birth).
        case past
        /// Today or before (when something happened).
        case todayOrPast
        /// Today or after (when something is due).
        case todayOrFuture
    }

    /// What was entered.
    public enum Value: Sendable, Equatable {
        case empty
        case date(CalendarDate)
        /// A month and year, from a partial date.
        case month(year: Int, month: Int)
        /// A year alone, from a partial date.
        case year(Int)

        /// As stored: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; empty for `.empty`.
        public var stored: String {
            switch self {
            case .empty: ""
            case .date(let d): d.description
            case .month(let y, let m): "\(y)-\(m < 10 ? "0" : "")\(m)"
            case .year(let y): String(y)
            }
        }
    }

    public enum Part: String, Sendable, CaseIterable { case day, month, year }

    public struct Problem: Error, Sendable, Equatable {
        public var message: String
        /// The boxes to mark as wrong.
        public var parts: Set<Part>
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]

    /// A month box: 1–12 (with or without a leading zero), or a month's name or its first three letters.
    static func month(_ text: String) -> Int? {
        if let n = number(text) { return (1...12).contains(n) ? n : nil }
        let lower = text.lowercased()
        guard lower.count >= 3 else { return nil }
        return monthNames.firstIndex { $0 == lower || ($0.hasPrefix(lower) && lower.count == 3) }.map { $0 + 1 }
    }

    /// ASCII digits only, at most 4, so nothing overflows.
    static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.unicodeScalars.allSatisfy({ $0.value >= 48 && $0.value <= 57 }) else { return nil }
        return Int(text)
    }

    public static func parse(day: String?, month: String?, year: String?, rules: Rules, today: CalendarDate) -> Result<Value, Problem> {
        let d = (day ?? "").trimmingCharacters(in: .whitespaces)
        let m = (month ?? "").trimmingCharacters(in: .whitespaces)
        let y = (year ?? "").trimmingCharacters(in: .whitespaces)
        let label = rules.label
        var missing: [Part] = []
        if d.isEmpty { missing.append(.day) }
        if m.isEmpty { missing.append(.month) }
        if y.isEmpty { missing.append(.year) }
        if missing.count == 3 {
            return rules.required ? .failure(Problem(message: "Enter \(label.lowercasedFirst)", parts: Set(Part.allCases))) : .success(.empty)
        }
        // A partial date may leave out the day, or the day and month — never the year, nor
        // the month while giving the day.
        let allowedMissing: Set<Part> = rules.partial ? (d.isEmpty ? [.day, .month] : []) : []
        let mustHave = missing.filter { !allowedMissing.contains($0) }
        if !mustHave.isEmpty {
            let names = mustHave.map(\.rawValue)
            let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
            return .failure(Problem(message: "\(label) must include a \(list)", parts: Set(mustHave)))
        }
        var wrong: Set<Part> = []
        let dayValue = d.isEmpty ? nil : number(d)
        if !d.isEmpty && dayValue == nil { wrong.insert(.day) }
        let monthValue = m.isEmpty ? nil : Self.month(m)
        if !m.isEmpty && monthValue == nil { wrong.insert(.month) }
        if y.count != 4 || number(y) == nil {
            if wrong.isEmpty, number(y) != nil { return .failure(Problem(message: "Year must include 4 numbers", parts: [.year])) }
            wrong.insert(.year)
        }
        guard wrong.isEmpty, let yearValue = number(y) else {
            return .failure(Problem(message: "\(label) must be a real date", parts: wrong.isEmpty ? Set(Part.allCases) : wrong))
        }
        let value: Value
        let earliest: CalendarDate
        if let monthValue, let dayValue {
            guard let date = try? CalendarDate(year: yearValue, month: monthValue, day: dayValue) else {
                return .failure(Problem(message: "\(label) must be a real date", parts: Set(Part.allCases)))
            }
            value = .date(date)
            earliest = date
        } else if let monthValue {
            guard yearValue >= 1 else { return .failure(Problem(message: "\(label) must be a real date", parts: [.year])) }
            value = .month(year: yearValue, month: monthValue)
            earliest = (try? CalendarDate(year: yearValue, month: monthValue, day: 1)) ?? .first
        } else {
            guard yearValue >= 1 else { return .failure(Problem(message: "\(label) must be a real date", parts: [.year])) }
            value = .year(yearValue)
            earliest = (try? CalendarDate(year: yearValue, month: 1, day: 1)) ?? .first
        }
        switch rules.timing {
        case .any: break
        case .past:
            if earliest >= today { return .failure(Problem(message: "\(label) must be in the past", parts: Set(Part.allCases))) }
        case .todayOrPast:
            if earliest > today { return .failure(Problem(message: "\(label) must be today or in the past", parts: Set(Part.allCases))) }
        case .todayOrFuture:
            if earliest < today { return .failure(Problem(message: "\(label) must be today or in the future", parts: Set(Part.allCases))) }
        }
        return .success(value)
    }
}

extension String {
    /// "Date of birth" → "date of birth", for "Enter date of birth".
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
