import Foundation

/// A date of birth as far as it is known: a full date, a month and year, a year, or a
/// range of years (from an age range such as "25-30" or "about 40").
public struct PartialDate: Sendable, Hashable, Codable {
    public var year: Int16      // 0 when unknown
    public var month: UInt8     // 0 when unknown
    public var day: UInt8       // 0 when unknown
    /// For an age range: the latest possible birth year (year holds the earliest).
    public var yearTo: Int16

    public init(year: Int, month: Int = 0, day: Int = 0, yearTo: Int? = nil) {
        self.year = Int16(year); self.month = UInt8(month); self.day = UInt8(day)
        self.yearTo = Int16(yearTo ?? year)
    }
    public static let unknown = PartialDate(year: 0)
    public var isKnown: Bool { year != 0 }
    public var isFull: Bool { year != 0 && month != 0 && day != 0 }
    public var isRange: Bool { yearTo != year }

    /// ISO-style text: "1990-03-14", "1990-03", "1990", "1985..1990", "".
    public var text: String {
        if year == 0 { return "" }
        if isRange { return "\(year)..\(yearTo)" }
        var s = String(format: "%04d", Int(year))
        if month != 0 { s += String(format: "-%02d", Int(month)) }
        if month != 0 && day != 0 { s += String(format: "-%02d", Int(day)) }
        return s
    }
}

/// Dates of birth in the forms UK reports use: 14/03/1990, 14-3-90, 1990-03-14,
/// 14 March 1990, March 1990, 03/1990, 1990, "age 25-30", "approx 40", "30s".
public enum DateNormaliser {
    static let months: [String: Int] = [
        "JAN": 1, "JANUARY": 1, "FEB": 2, "FEBRUARY": 2, "MAR": 3, "MARCH": 3, "APR": 4, "APRIL": 4,
        "MAY": 5, "JUN": 6, "JUNE": 6, "JUL": 7, "JULY": 7, "AUG": 8, "AUGUST": 8, "SEP": 9, "SEPT": 9,
        "SEPTEMBER": 9, "OCT": 10, "OCTOBER": 10, "NOV": 11, "NOVEMBER": 11, "DEC": 12, "DECEMBER": 12,
    ]

    /// - Parameter referenceYear: the year ages are counted from (the report's year).
    public static func parse(_ raw: String, referenceYear: Int = 2026) -> PartialDate {
        if raw.isEmpty { return .unknown }
        let f = TextKit.fold(raw)
        if f.isEmpty || f.count > 64 { return .unknown }
        let words = TextKit.words(f).map(String.init)
        let isAge = words.contains { ["AGE", "AGED", "APPROX", "ABOUT", "AROUND", "C", "CA", "YEARS", "YRS", "YO", "OLD"].contains($0) }
            || (words.count == 2 && words.allSatisfy { $0.count <= 2 && Int($0) != nil })
            || (words.count == 1 && words[0].hasSuffix("S") && Int(words[0].dropLast()) != nil)
        var nums = [Int]()
        var monthName = 0
        for w in words {
            if let n = Int(w), w.count <= 4 { nums.append(n) }
            else if let m = months[w] { monthName = m }
            else if w.count > 1, w.hasSuffix("S"), let n = Int(w.dropLast()), n < 100 { nums.append(n); nums.append(n + 9) }
            else if w.hasSuffix("ST") || w.hasSuffix("ND") || w.hasSuffix("RD") || w.hasSuffix("TH"),
                    let n = Int(w.dropLast(2)) { nums.append(n) }
        }
        // Compact forms: 14031990, 19900314.
        if nums.isEmpty, words.count == 1, words[0].count == 8, Int(words[0]) != nil {
            let d = Array(words[0])
            let a = Int(String(d[0..<4]))!, b = Int(String(d[4..<6]))!, c = Int(String(d[6..<8]))!
            if a > 1900 { return make(year: a, month: b, day: c) }
            return make(year: Int(String(d[4..<8]))!, month: Int(String(d[2..<4]))!, day: Int(String(d[0..<2]))!)
        }
        if isAge && !nums.isEmpty && nums.allSatisfy({ $0 < 120 }) {
            let lo = nums.min()!, hi = nums.max()!
            // An age of a gives birth years referenceYear-a-1 ... referenceYear-a.
            return PartialDate(year: referenceYear - hi - 1, yearTo: referenceYear - lo)
        }
        if monthName != 0 {
            let year = nums.first(where: { $0 > 31 || nums.count == 1 && $0 > 12 }).map(expandYear)
            let day = nums.first(where: { $0 >= 1 && $0 <= 31 && expandYear($0) != year })
            guard let y = year else { return .unknown }
            return make(year: y, month: monthName, day: day ?? 0)
        }
        switch nums.count {
        case 1:
            let y = nums[0]
            if (1900...referenceYear).contains(y) { return PartialDate(year: y) }
            return .unknown
        case 2:
            // A range of birth years, as written by `text` ("1995..2001").
            if (1900...2030).contains(nums[0]) && (1900...2030).contains(nums[1]) && nums[0] < nums[1] {
                return PartialDate(year: nums[0], yearTo: nums[1])
            }
            // 03/1990 or 1990-03
            if nums[1] > 31, (1...12).contains(nums[0]) { return make(year: expandYear(nums[1]), month: nums[0], day: 0) }
            if nums[0] > 31, (1...12).contains(nums[1]) { return make(year: expandYear(nums[0]), month: nums[1], day: 0) }
            return .unknown
        case 3:
            if nums[0] > 31 { return make(year: expandYear(nums[0]), month: nums[1], day: nums[2]) }
            // UK order day/month/year; if the month is impossible but the day is a month, it was US order.
            if nums[1] > 12 && nums[0] <= 12 { return make(year: expandYear(nums[2]), month: nums[0], day: nums[1]) }
            return make(year: expandYear(nums[2]), month: nums[1], day: nums[0])
        default:
            return .unknown
        }
    }

    static func expandYear(_ y: Int) -> Int {
        if y >= 100 { return y }
        return y <= 26 ? 2000 + y : 1900 + y
    }

    static func make(year: Int, month: Int, day: Int) -> PartialDate {
        guard (1900...2030).contains(year) else { return .unknown }
        guard (0...12).contains(month) else { return PartialDate(year: year) }
        let maxDay = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        if month == 0 { return PartialDate(year: year) }
        guard day >= 0, day <= maxDay[month - 1] else { return PartialDate(year: year, month: month) }
        return PartialDate(year: year, month: month, day: day)
    }
}
