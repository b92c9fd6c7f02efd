import Testing
@testable import CairnCore

@Suite struct WorkingDaysTests {
    let calendar = WorkingDays.englandAndWales

    @Test func weekendsAreNotWorkingDays() {
        #expect(calendar.isWorkingDay(day("2026-11-23")))
        #expect(!calendar.isWorkingDay(day("2026-11-28")))
        #expect(!calendar.isWorkingDay(day("2026-11-29")))
    }

    @Test func fiveWorkingDaysFromFridayIsNextFriday() {
        #expect(calendar.addWorkingDays(5, to: day("2026-11-20")) == day("2026-11-27"))
        #expect(calendar.addWorkingDays(1, to: day("2026-11-27")) == day("2026-11-30"))
        // From a Saturday the count starts on Monday.
        #expect(calendar.addWorkingDays(1, to: day("2026-11-28")) == day("2026-11-30"))
        #expect(calendar.addWorkingDays(0, to: day("2026-11-28")) == day("2026-11-28"))
    }

    @Test func easterSkipsGoodFridayAndEasterMonday() {
        // 2026: Good Friday 3 April, Easter Monday 6 April.
        #expect(calendar.addWorkingDays(1, to: day("2026-04-02")) == day("2026-04-07"))
        #expect(calendar.addWorkingDays(5, to: day("2026-03-31")) == day("2026-04-09"))
    }

    @Test func christmasAndBoxingDaySubstitutes() {
        // 2026: Boxing Day is a Saturday, so Monday 28 December is the substitute.
        #expect(!calendar.isWorkingDay(day("2026-12-28")))
        #expect(calendar.addWorkingDays(1, to: day("2026-12-24")) == day("2026-12-29"))
        // 2027: both fall at the weekend; Monday 27 and Tuesday 28 are holidays.
        #expect(calendar.addWorkingDays(1, to: day("2027-12-24")) == day("2027-12-29"))
        // 2022: Christmas Day on Sunday, substitute Tuesday 27 December.
        #expect(!calendar.isWorkingDay(day("2022-12-27")))
    }

    @Test func crossesYearBoundaries() {
        // 2027-12-31 Friday → 2028-01-03 substitute New Year → first working day 4 January.
        #expect(calendar.addWorkingDays(1, to: day("2027-12-31")) == day("2028-01-04"))
        // 24, 29, 30, 31 December, then 4 January (25, 28 December and 1 January are holidays).
        #expect(calendar.addWorkingDays(5, to: day("2026-12-23")) == day("2027-01-04"))
        #expect(calendar.workingDays(from: day("2026-12-23"), to: day("2027-01-05")) == 6)
    }

    @Test func oneOffHolidaysAreKept() {
        for date in ["2022-06-02", "2022-06-03", "2022-09-19", "2023-05-08", "2020-05-08"] {
            #expect(calendar.isBankHoliday(day(date)), "\(date)")
        }
        // The May 2020 holiday moved to Friday for VE Day, so Monday 4 May was a working day.
        #expect(calendar.isWorkingDay(day("2020-05-04")))
        #expect(calendar.isWorkingDay(day("2022-05-30")))
    }

    @Test func countingIsTheInverseOfAdding() {
        var date = day("2020-01-01")
        while date < day("2030-12-01") {
            for n in [0, 1, 5, 23] {
                #expect(calendar.workingDays(from: date, to: calendar.addWorkingDays(n, to: date)) == n)
            }
            date = date.adding(days: 11)
        }
        #expect(calendar.workingDays(from: day("2026-11-27"), to: day("2026-11-20")) == -5)
        #expect(calendar.addWorkingDays(-5, to: day("2026-11-27")) == day("2026-11-20"))
    }

    @Test func aYearHasTheExpectedWorkingDays() {
        // 2026: 261 weekdays less 8 bank holidays.
        #expect(calendar.workingDays(from: day("2025-12-31"), to: day("2026-12-31")) == 253)
        #expect(calendar.nextWorkingDay(onOrAfter: day("2026-12-25")) == day("2026-12-29"))
    }

    /// The data agrees with the rules for every year, except the announced one-off changes.
    @Test func listMatchesTheRulesApartFromOneOffs() {
        let oneOffsAdded: Set<CalendarDate> = [day("2020-05-08"), day("2022-06-02"), day("2022-06-03"), day("2022-09-19"), day("2023-05-08")]
        let ruleDaysMoved: Set<CalendarDate> = [day("2020-05-04"), day("2022-05-30")]
        var expected = Set<CalendarDate>()
        for year in 2020...2030 { expected.formUnion(Self.ruleHolidays(year)) }
        let listed = Set(calendar.bankHolidays.keys)
        #expect(listed == expected.subtracting(ruleDaysMoved).union(oneOffsAdded))
        #expect(BankHoliday.englandAndWales.count == listed.count)
        #expect(calendar.bankHolidays.keys.allSatisfy { !$0.isWeekend })
    }

    static func ruleHolidays(_ year: Int) -> [CalendarDate] {
        // Anonymous Gregorian computus.
        let a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451
        let easter = CalendarDate(year, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1)
        func firstMonday(_ month: Int) -> CalendarDate {
            var d = CalendarDate(year, month, 1)
            while d.weekday != .monday { d = d.adding(days: 1) }
            return d
        }
        func lastMonday(_ month: Int) -> CalendarDate {
            var d = CalendarDate(year, month, CalendarDate.daysIn(month: month, year: year))
            while d.weekday != .monday { d = d.adding(days: -1) }
            return d
        }
        func weekdayOnOrAfter(_ d: CalendarDate, avoiding taken: [CalendarDate] = []) -> CalendarDate {
            var d = d
            while d.isWeekend || taken.contains(d) { d = d.adding(days: 1) }
            return d
        }
        let newYear = weekdayOnOrAfter(CalendarDate(year, 1, 1))
        let christmas = weekdayOnOrAfter(CalendarDate(year, 12, 25))
        let boxing = weekdayOnOrAfter(CalendarDate(year, 12, 26), avoiding: [christmas])
        return [newYear, easter.adding(days: -2), easter.adding(days: 1), firstMonday(5), lastMonday(5), lastMonday(8), christmas, boxing]
    }
}
