import Foundation

/// A day on the Gregorian calendar with no time and no time zone.
///
/// Deadlines such as "5 working days after referral" are about days, not instants; holding
/// them as `Date` lets a time-zone or daylight-saving shift move them by a day.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Builds a date, rejecting impossible ones such as 31 April.
    public init(year: Int, month: Int, day: Int) throws(CalendarDateError) {
        guard (1...9999).contains(year) else { throw .yearOutOfRange(year) }
        guard (1...12).contains(month) else { throw .monthOutOfRange(month) }
        guard (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else {
            throw .dayOutOfRange(year: year, month: month, day: day)
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// For tables of known-good dates in this module; a wrong literal traps in tests at once.
    init(_ year: Int, _ month: Int, _ day: Int) {
        do { try self.init(year: year, month: month, day: day) } catch {
            preconditionFailure("invalid date literal \(year)-\(month)-\(day): \(error)")
        }
    }

    /// Parses exactly `YYYY-MM-DD`, the form stored and exchanged everywhere.
    public init(parsing text: String) throws(CalendarDateError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { throw .badFormat(text) }
        try self.init(year: y, month: m, day: d)
    }

    /// The calendar day that `instant` falls on in `timeZone` (the partnership's, usually
    /// Europe/London); an instant outside years 1–9999 gives the nearest end of the calendar.
    public init(_ instant: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.era, .year, .month, .day], from: instant)
        let year = parts.era == 0 ? 0 : (parts.year ?? 1970)
        if year < 1 { self = .first } else if year > 9999 { self = .last } else {
            self.init(year, parts.month ?? 1, parts.day ?? 1)
        }
    }

    /// The ends of the calendar: arithmetic stops there rather than leaving it.
    public static let first = CalendarDate(1, 1, 1)
    public static let last = CalendarDate(9999, 12, 31)

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    // MARK: Arithmetic on a day count, so no Calendar or time zone is involved.

    /// Days since 1970-01-01 (negative before it).
    public var dayNumber: Int {
        // Days-from-civil (proleptic Gregorian), eras of 400 years.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `dayNumber` days after 1970-01-01, kept within 0001-01-01...9999-12-31.
    public init(dayNumber: Int) {
        let dayNumber = min(max(dayNumber, -719_162), 2_932_896)
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `days` later (earlier if negative), stopping at the ends of the calendar.
    public func adding(days: Int) -> CalendarDate {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        return CalendarDate(dayNumber: overflow ? (days > 0 ? Int.max : Int.min) : sum)
    }

    /// Adds calendar months, keeping the day where it exists and otherwise using the month's
    /// last day (31 January + 1 month = 28 or 29 February), so review points never skip a month.
    /// Stops at the ends of the calendar.
    public func adding(months: Int) -> CalendarDate {
        let here = year * 12 + (month - 1)
        let (sum, overflow) = here.addingReportingOverflow(months)
        let index = min(max(overflow ? (months > 0 ? Int.max : Int.min) : sum, 12), 9999 * 12 + 11)
        let y = index / 12, m = index % 12 + 1
        return CalendarDate(y, m, min(day, CalendarDate.daysIn(month: m, year: y)))
    }

    /// Whole days from `self` to `other` (negative if `other` is earlier).
    public func days(to other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((dayNumber % 7) + 7 + 3) % 7  // 0 = Monday
        return Weekday.allCases[index]
    }

    public var isWeekend: Bool { weekday == .saturday || weekday == .sunday }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public enum Weekday: String, Codable, CaseIterable, Sendable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday
}

public enum CalendarDateError: Error, Hashable, Sendable, CustomStringConvertible {
    case badFormat(String)
    case yearOutOfRange(Int)
    case monthOutOfRange(Int)
    case dayOutOfRange(year: Int, month: Int, day: Int)

    public var description: String {
        switch self {
        case .badFormat(let text):
            "“\(text)” is not a date in the form YYYY-MM-DD, for example 2026-11-23."
        case .yearOutOfRange(let y): "The year \(y) is not a usable year."
        case .monthOutOfRange(let m): "There is no month \(m); months run from 01 to 12."
        case .dayOutOfRange(let y, let m, let d):
            "There is no day \(d) in month \(m) of \(y); that month has \(CalendarDate.daysIn(month: m, year: y)) days."
        }
    }
}

extension TimeZone {
    /// The partnership's time zone, for "today" and deadlines (UTC only if the system has no
    /// time-zone data at all).
    public static let london = TimeZone(identifier: "Europe/London") ?? .gmt
}
