/// Working-day arithmetic: Monday to Friday, less bank holidays.
///
/// Statutory targets ("a reasonable-grounds decision within 5 working days") count working
/// days, so a referral made before Easter or Christmas has a later target than a calendar count.
public struct WorkingDays: Sendable {
    /// The bank holidays of a year.
    public let holidays: @Sendable (Int) -> [BankHoliday]

    public init(holidays: @escaping @Sendable (Int) -> [BankHoliday]) {
        self.holidays = holidays
    }

    /// A fixed list, for a calendar other than England and Wales's.
    public init(bankHolidays: [BankHoliday]) {
        let byYear = Dictionary(grouping: bankHolidays, by: \.date.year)
        holidays = { byYear[$0] ?? [] }
    }

    /// England and Wales, for any year: computed from the rules with the announced one-off
    /// changes (`BankHoliday.englandAndWales(in:)`).
    public static let englandAndWales: WorkingDays = {
        // Years anyone is likely to ask about are worked out once; others when asked.
        let common = Dictionary(uniqueKeysWithValues: (1970...2100).map { ($0, BankHoliday.englandAndWales(in: $0)) })
        return WorkingDays { year in common[year] ?? BankHoliday.englandAndWales(in: year) }
    }()

    public func bankHoliday(on date: CalendarDate) -> BankHoliday? {
        holidays(date.year).first { $0.date == date }
    }

    public func isBankHoliday(_ date: CalendarDate) -> Bool { bankHoliday(on: date) != nil }

    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        !date.isWeekend && !isBankHoliday(date)
    }

    /// The date `count` working days after `date` (before it, if `count` is negative).
    /// The start day itself is never counted, so 5 working days after a Friday referral is
    /// the following Friday, and 0 returns `date` unchanged even on a weekend. Stops at the
    /// ends of the calendar (0001-01-01, 9999-12-31).
    public func addWorkingDays(_ count: Int, to date: CalendarDate) -> CalendarDate {
        let step = count >= 0 ? 1 : -1
        var remaining = count.magnitude
        var current = date
        while remaining > 0 {
            let next = current.adding(days: step)
            if next == current { break }
            current = next
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

    /// The first working day on or after `date` (or the calendar's last day).
    public func nextWorkingDay(onOrAfter date: CalendarDate) -> CalendarDate {
        var current = date
        while !isWorkingDay(current) {
            let next = current.adding(days: 1)
            if next == current { break }
            current = next
        }
        return current
    }
}
