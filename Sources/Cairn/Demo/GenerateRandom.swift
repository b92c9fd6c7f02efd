import CairnCore
import Foundation
import Linkage

/// The generator's source of chance: one seeded stream (SplitMix64, `Linkage.SeededRandom`),
/// drawn from in a fixed order, so the same seed and the same "today" give the same data set.
/// Nothing here iterates a `Set` or a `Dictionary`, whose order changes from run to run.
struct GenerateRandom: RandomNumberGenerator {
    private var source: SeededRandom

    init(seed: UInt64) { source = SeededRandom(seed: seed) }

    mutating func next() -> UInt64 { source.next() }

    /// A number in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    mutating func double(_ range: ClosedRange<Double>) -> Double { range.lowerBound + unit() * (range.upperBound - range.lowerBound) }

    /// One of `items`; the first when empty would be a caller's mistake, so callers pass non-empty lists.
    mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int(next() % UInt64(items.count))] }

    /// One of `items`, each as likely as its weight.
    mutating func weighted<T>(_ items: [(T, Double)]) -> T? {
        let total = items.reduce(0) { $0 + max(0, $1.1) }
        guard total > 0 else { return items.first?.0 }
        var x = unit() * total
        for (item, weight) in items where weight > 0 {
            if x < weight { return item }
            x -= weight
        }
        return items.last?.0
    }

    /// A log-normal amount: half fall below `median`; `spread` is the log's standard deviation.
    mutating func logNormal(median: Double, spread: Double) -> Double {
        // Box–Muller; 1 - unit() is in (0, 1], so the logarithm is finite.
        let u1 = 1 - unit(), u2 = unit()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return median * exp(spread * normal)
    }
}

/// Whole months ending with the one "today" falls in, and how many reports each receives: a
/// steady rise over the period (partnerships see more reports as awareness grows), more in
/// summer (seasonal work), each in proportion to the part of the month before "today".
struct GenerateMonths {
    struct Month: Sendable {
        let start: Date
        /// The next month's start, or "today" for the current month.
        let end: Date
        var reports = 0
    }

    let months: [Month]

    init(count: Int, reports: Int, now: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.london
        let today = CalendarDate(now, in: TimeZone.london)
        func start(_ offset: Int) -> Date {
            let first = (try? CalendarDate(year: today.year, month: today.month, day: 1)) ?? today
            let day = first.adding(months: -offset)
            return calendar.date(from: DateComponents(year: day.year, month: day.month, day: 1)) ?? now
        }
        var months: [Month] = []
        for offset in stride(from: count - 1, through: 0, by: -1) {
            let from = start(offset)
            let to = offset == 0 ? now : start(offset - 1)
            if to > from { months.append(Month(start: from, end: to)) }
        }
        // Weights: length × growth (about 1.5% a month) × season (peak in July).
        let weights: [Double] = months.enumerated().map { index, month in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone.london
            let number = calendar.component(.month, from: month.start)
            let season = 1 + 0.18 * cos(2 * Double.pi * Double(number - 7) / 12)
            return month.end.timeIntervalSince(month.start) * pow(1.015, Double(index)) * season
        }
        let total = weights.reduce(0, +)
        // Largest remainder, so the months add up to exactly `reports`.
        var shares = weights.map { total > 0 ? Double(reports) * $0 / total : 0 }
        var counts = shares.map { Int($0.rounded(.down)) }
        let missing = reports - counts.reduce(0, +)
        let order = shares.indices.sorted { (shares[$0] - Double(counts[$0]), -$0) > (shares[$1] - Double(counts[$1]), -$1) }
        for index in order.prefix(max(0, missing)) { counts[index] += 1 }
        shares = []
        self.months = zip(months, counts).map { month, count in
            var m = month
            m.reports = count
            return m
        }
    }

    /// `count` instants in the month, in order, in whole milliseconds, fewer at weekends.
    static func instants(in month: Month, count: Int, random: inout GenerateRandom) -> [Date] {
        let span = month.end.timeIntervalSince(month.start)
        var result: [Date] = []
        result.reserveCapacity(count)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.london
        for _ in 0..<count {
            var at = month.start.addingTimeInterval(random.unit() * span)
            // A weekend instant is drawn again half the time.
            if calendar.isDateInWeekend(at), random.chance(0.5) { at = month.start.addingTimeInterval(random.unit() * span) }
            result.append(Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
        }
        return result.sorted()
    }
}

extension Date {
    /// Whole milliseconds, which both databases store exactly.
    var wholeMilliseconds: Date { Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded(.down) / 1000) }

    var milliseconds: UInt64 { UInt64(max(0, (timeIntervalSince1970 * 1000).rounded(.down))) }
}
