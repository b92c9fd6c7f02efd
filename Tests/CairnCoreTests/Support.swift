import Foundation
@testable import CairnCore

/// A date from `YYYY-MM-DD`; tests use only valid literals.
func day(_ text: String) -> CalendarDate { try! CalendarDate(parsing: text) }

/// A seeded generator (SplitMix64) so generated references and passphrases are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let london = TimeZone(identifier: "Europe/London")!

/// An instant from a London wall-clock time.
func londonTime(_ text: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_GB_POSIX")
    formatter.timeZone = london
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.date(from: text)!
}
