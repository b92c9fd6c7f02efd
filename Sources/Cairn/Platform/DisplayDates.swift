import CairnCore
import Foundation

/// The one way dates and times are shown to people, on every page and in every message:
/// "6 December 2026", "12:33am", "6 December 2026 at 12:33am" (GOV.UK style), in the
/// partnership's time zone (Europe/London). The JSON API keeps ISO 8601; this is for people.
enum Format {
    static let timeZone = TimeZone.london

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    private static func parts(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    /// "6 December 2026".
    static func date(_ date: Date) -> String {
        let p = parts(date)
        return day(year: p.year ?? 1970, month: p.month ?? 1, day: p.day ?? 1)
    }

    /// "12:33am", "9:05pm", "12:00pm" (midday).
    static func time(_ date: Date) -> String {
        let p = parts(date)
        return clock(hour: p.hour ?? 0, minute: p.minute ?? 0)
    }

    /// "6 December 2026 at 12:33am".
    static func dateTime(_ date: Date) -> String {
        let p = parts(date)
        return "\(day(year: p.year ?? 1970, month: p.month ?? 1, day: p.day ?? 1)) at \(clock(hour: p.hour ?? 0, minute: p.minute ?? 0))"
    }

    static func clock(hour: Int, minute: Int) -> String {
        let h = hour % 12 == 0 ? 12 : hour % 12
        return "\(h):\(minute < 10 ? "0" : "")\(minute)\(hour < 12 ? "am" : "pm")"
    }

    static func day(year: Int, month: Int, day: Int) -> String {
        "\(day) \(months[max(1, min(12, month)) - 1]) \(year)"
    }

    static func day(_ date: CalendarDate) -> String { day(year: date.year, month: date.month, day: date.day) }

    /// A stored calendar date as people read it: `2026-12-06` → "6 December 2026"; a partial
    /// date of birth `1991-03` → "March 1991", `1991` → "1991"; other text as it is.
    static func day(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return text ?? "" }
        if let date = try? CalendarDate(parsing: text) { return day(date) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) {
            return "\(months[m - 1]) \(y)"
        }
        return text
    }
}
