/// Reports before and after a training session or a campaign, counted by whole months: the
/// `months` calendar months before the month the event began, and the same number after the
/// month it ended (the event's own months are neither). Worded as "before / after", never as
/// an effect: other things change too.
///
/// Small counts follow the partnership's rule: a month's count from 1 to `threshold - 1` is
/// hidden, and so is a window's total below `threshold`. A window that holds exactly one
/// hidden month while its other months are shown would give that month away by subtraction,
/// so its total is hidden as well (the second-cell rule along the time line).
public enum BeforeAfter {
    /// A month's count as shown: nil when hidden.
    public struct Month: Sendable, Hashable {
        public let month: MonthPeriod
        public let count: Int?
    }

    /// The total over a run of months.
    public struct Window: Sendable, Hashable {
        public let first: MonthPeriod
        public let last: MonthPeriod
        /// The total shown; nil when hidden or not begun.
        public let count: Int?
        /// Hidden by the small-numbers rule.
        public let hidden: Bool
        /// Every month of it has ended (an "after" window still running counts so far).
        public let complete: Bool
        /// None of it has begun yet.
        public let future: Bool
    }

    /// The series as shown, month by month.
    public static func months(_ counts: [MonthPeriod: Int], _ months: [MonthPeriod], threshold: Int) -> [Month] {
        months.map { Month(month: $0, count: hides(counts[$0] ?? 0, threshold) ? nil : counts[$0] ?? 0) }
    }

    /// The windows before and after an event that ran from `start` to `end` (months), given
    /// every month's count and the current month (not yet ended).
    public static func windows(start: MonthPeriod, end: MonthPeriod, months: Int, counts: [MonthPeriod: Int],
                               current: MonthPeriod, threshold: Int) -> (before: Window, after: Window) {
        let n = min(max(months, 1), 24)
        let last = max(start, end)
        let before = window(start.adding(months: -n), start.adding(months: -1), counts: counts, current: current, threshold: threshold)
        let after = window(last.adding(months: 1), last.adding(months: n), counts: counts, current: current, threshold: threshold)
        return (before, after)
    }

    static func window(_ first: MonthPeriod, _ last: MonthPeriod, counts: [MonthPeriod: Int], current: MonthPeriod, threshold: Int) -> Window {
        guard first <= current else { return Window(first: first, last: last, count: nil, hidden: false, complete: false, future: true) }
        // Months not yet begun count nothing; the current month counts so far.
        let inWindow = MonthPeriod.range(first, min(last, current))
        let total = inWindow.reduce(0) { $0 + (counts[$1] ?? 0) }
        let hiddenMonths = inWindow.filter { hides(counts[$0] ?? 0, threshold) }.count
        let hidden = hides(total, threshold) || (hiddenMonths == 1 && inWindow.count > 1)
        return Window(first: first, last: last, count: hidden ? nil : total, hidden: hidden, complete: last < current, future: false)
    }

    /// Whether a count is small enough to hide (zero is shown).
    public static func hides(_ count: Int, _ threshold: Int) -> Bool { count > 0 && count < threshold }
}
