/// Working-day arithmetic: Monday to Friday, less bank holidays.
///
/// Statutory targets ("a reasonable-grounds decision within 5 working days") count working
/// days, so a referral made before Easter or Christmas has a later target than a calendar count.
public struct WorkingDays: Sendable {
    public let bankHolidays: [CalendarDate: String]
    /// Years the holiday list is known to be complete for. Outside them only weekends are
    /// skipped, so a date there may be a day early; callers can check `isCovered`.
    public let coveredYears: ClosedRange<Int>

    public init(bankHolidays: [BankHoliday], coveredYears: ClosedRange<Int>) {
        self.bankHolidays = Dictionary(bankHolidays.map { ($0.date, $0.name) }, uniquingKeysWith: { a, _ in a })
        self.coveredYears = coveredYears
    }

    public static let englandAndWales = WorkingDays(
        bankHolidays: BankHoliday.englandAndWales, coveredYears: 2020...2030)

    public func isCovered(_ date: CalendarDate) -> Bool { coveredYears.contains(date.year) }

    public func isBankHoliday(_ date: CalendarDate) -> Bool { bankHolidays[date] != nil }

    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        !date.isWeekend && !isBankHoliday(date)
    }

    /// The date `count` working days after `date` (before it, if `count` is negative).
    /// The start day itself is never counted, so 5 working days after a Friday referral is
    /// the following Friday, and 0 returns `date` unchanged even on a weekend.
    public func addWorkingDays(_ count: Int, to date: CalendarDate) -> CalendarDate {
        let step = count >= 0 ? 1 : -1
        var remaining = abs(count)
        var current = date
        while remaining > 0 {
            current = current.adding(days: step)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// Working days after `start` up to and including `end`; negative when `end` is earlier.
    /// The inverse of `addWorkingDays`: `workingDays(from: d, to: addWorkingDays(n, to: d)) == n`.
    public func workingDays(from start: CalendarDate, to end: CalendarDate) -> Int {
        if end < start { return -workingDays(from: end, to: start) }
        var count = 0
        var current = start
        while current < end {
            current = current.adding(days: 1)
            if isWorkingDay(current) { count += 1 }
        }
        return count
    }

    /// The first working day on or after `date`.
    public func nextWorkingDay(onOrAfter date: CalendarDate) -> CalendarDate {
        var current = date
        while !isWorkingDay(current) { current = current.adding(days: 1) }
        return current
    }
}
