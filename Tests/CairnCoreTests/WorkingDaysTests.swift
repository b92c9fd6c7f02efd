import Foundation
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

    /// The England and Wales lists published on gov.uk/bank-holidays, 2020–2030, written out
    /// by hand; the computed holidays must be exactly these, date and name.
    @Test func computedHolidaysAreThePublishedOnes2020To2030() {
        let published: [Int: [(String, String)]] = [
            2020: [("2020-01-01", "New Year’s Day"), ("2020-04-10", "Good Friday"), ("2020-04-13", "Easter Monday"),
                   ("2020-05-08", "Early May bank holiday (VE Day)"), ("2020-05-25", "Spring bank holiday"), ("2020-08-31", "Summer bank holiday"),
                   ("2020-12-25", "Christmas Day"), ("2020-12-28", "Boxing Day (substitute day)")],
            2021: [("2021-01-01", "New Year’s Day"), ("2021-04-02", "Good Friday"), ("2021-04-05", "Easter Monday"),
                   ("2021-05-03", "Early May bank holiday"), ("2021-05-31", "Spring bank holiday"), ("2021-08-30", "Summer bank holiday"),
                   ("2021-12-27", "Christmas Day (substitute day)"), ("2021-12-28", "Boxing Day (substitute day)")],
            2022: [("2022-01-03", "New Year’s Day (substitute day)"), ("2022-04-15", "Good Friday"), ("2022-04-18", "Easter Monday"),
                   ("2022-05-02", "Early May bank holiday"), ("2022-06-02", "Spring bank holiday"), ("2022-06-03", "Platinum Jubilee bank holiday"),
                   ("2022-08-29", "Summer bank holiday"), ("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"),
                   ("2022-12-26", "Boxing Day"), ("2022-12-27", "Christmas Day (substitute day)")],
            2023: [("2023-01-02", "New Year’s Day (substitute day)"), ("2023-04-07", "Good Friday"), ("2023-04-10", "Easter Monday"),
                   ("2023-05-01", "Early May bank holiday"), ("2023-05-08", "Bank holiday for the coronation of King Charles III"),
                   ("2023-05-29", "Spring bank holiday"), ("2023-08-28", "Summer bank holiday"), ("2023-12-25", "Christmas Day"),
                   ("2023-12-26", "Boxing Day")],
            2024: [("2024-01-01", "New Year’s Day"), ("2024-03-29", "Good Friday"), ("2024-04-01", "Easter Monday"),
                   ("2024-05-06", "Early May bank holiday"), ("2024-05-27", "Spring bank holiday"), ("2024-08-26", "Summer bank holiday"),
                   ("2024-12-25", "Christmas Day"), ("2024-12-26", "Boxing Day")],
            2025: [("2025-01-01", "New Year’s Day"), ("2025-04-18", "Good Friday"), ("2025-04-21", "Easter Monday"),
                   ("2025-05-05", "Early May bank holiday"), ("2025-05-26", "Spring bank holiday"), ("2025-08-25", "Summer bank holiday"),
                   ("2025-12-25", "Christmas Day"), ("2025-12-26", "Boxing Day")],
            2026: [("2026-01-01", "New Year’s Day"), ("2026-04-03", "Good Friday"), ("2026-04-06", "Easter Monday"),
                   ("2026-05-04", "Early May bank holiday"), ("2026-05-25", "Spring bank holiday"), ("2026-08-31", "Summer bank holiday"),
                   ("2026-12-25", "Christmas Day"), ("2026-12-28", "Boxing Day (substitute day)")],
            2027: [("2027-01-01", "New Year’s Day"), ("2027-03-26", "Good Friday"), ("2027-03-29", "Easter Monday"),
                   ("2027-05-03", "Early May bank holiday"), ("2027-05-31", "Spring bank holiday"), ("2027-08-30", "Summer bank holiday"),
                   ("2027-12-27", "Christmas Day (substitute day)"), ("2027-12-28", "Boxing Day (substitute day)")],
            2028: [("2028-01-03", "New Year’s Day (substitute day)"), ("2028-04-14", "Good Friday"), ("2028-04-17", "Easter Monday"),
                   ("2028-05-01", "Early May bank holiday"), ("2028-05-29", "Spring bank holiday"), ("2028-08-28", "Summer bank holiday"),
                   ("2028-12-25", "Christmas Day"), ("2028-12-26", "Boxing Day")],
            2029: [("2029-01-01", "New Year’s Day"), ("2029-03-30", "Good Friday"), ("2029-04-02", "Easter Monday"),
                   ("2029-05-07", "Early May bank holiday"), ("2029-05-28", "Spring bank holiday"), ("2029-08-27", "Summer bank holiday"),
                   ("2029-12-25", "Christmas Day"), ("2029-12-26", "Boxing Day")],
            2030: [("2030-01-01", "New Year’s Day"), ("2030-04-19", "Good Friday"), ("2030-04-22", "Easter Monday"),
                   ("2030-05-06", "Early May bank holiday"), ("2030-05-27", "Spring bank holiday"), ("2030-08-26", "Summer bank holiday"),
                   ("2030-12-25", "Christmas Day"), ("2030-12-26", "Boxing Day")],
        ]
        for year in 2020...2030 {
            let computed = BankHoliday.englandAndWales(in: year).map { ($0.date.description, $0.name) }
            let expected = published[year] ?? []
            #expect(computed.map(\.0) == expected.map(\.0), "\(year) dates")
            #expect(computed.map(\.1) == expected.map(\.1), "\(year) names")
        }
    }

    /// The earlier one-off changes, and years far from now: always the eight rule holidays on
    /// weekdays plus what was proclaimed, never a trap.
    @Test func oneOffChangesAndAnyYear() {
        let dates = { (year: Int) in Set(BankHoliday.englandAndWales(in: year).map(\.date.description)) }
        #expect(dates(1995).contains("1995-05-08") && !dates(1995).contains("1995-05-01"))
        #expect(dates(1999).contains("1999-12-31") && dates(1999).contains("1999-12-27") && dates(1999).contains("1999-12-28"))
        #expect(dates(2002).isSuperset(of: ["2002-06-03", "2002-06-04"]) && !dates(2002).contains("2002-05-27"))
        #expect(dates(2011).contains("2011-04-29") && dates(2011).count == 9)
        #expect(dates(2012).isSuperset(of: ["2012-06-04", "2012-06-05"]) && !dates(2012).contains("2012-05-28"))
        // Easter at its extremes: 22 March (2285) and 25 April (2038); and 2000, 2100.
        for (year, easter) in [(2285, "2285-03-22"), (2038, "2038-04-25"), (2000, "2000-04-23"), (2100, "2100-03-28"), (1818, "1818-03-22")] {
            #expect(BankHoliday.easterSunday(year).description == easter)
        }
        for year in Swift.stride(from: 1, through: 9999, by: 1) {
            let holidays = BankHoliday.englandAndWales(in: year)
            if holidays.count != 8 && !BankHoliday.oneOffChanges.contains(where: { $0.year == year }) || holidays.contains(where: \.date.isWeekend) {
                Issue.record("\(year): \(holidays.map(\.date.description))")
                break
            }
        }
        #expect(BankHoliday.englandAndWales(in: 0).isEmpty && BankHoliday.englandAndWales(in: 10_000).isEmpty)
        #expect(calendar.isBankHoliday(day("2101-12-26")) && calendar.isBankHoliday(day("2400-04-14")))
    }

    /// Arithmetic stops at the ends of the calendar instead of leaving it.
    @Test func theEndsOfTheCalendarAreSafe() {
        #expect(calendar.addWorkingDays(5, to: day("9999-12-29")) == CalendarDate.last)
        #expect(calendar.addWorkingDays(-5, to: day("0001-01-02")) == CalendarDate.first)
        #expect(calendar.addWorkingDays(Int.max, to: day("9999-12-01")) == CalendarDate.last)
        #expect(day("9999-12-31").adding(days: Int.max) == CalendarDate.last)
        #expect(day("0001-01-01").adding(days: Int.min) == CalendarDate.first)
        #expect(day("9999-12-31").adding(months: Int.max) == CalendarDate.last)
        #expect(day("2026-01-31").adding(months: Int.min) == day("0001-01-31"))
        #expect(CalendarDate(Date(timeIntervalSince1970: 1e15), in: .gmt) == CalendarDate.last)
        #expect(CalendarDate(Date(timeIntervalSince1970: -1e15), in: .gmt) == CalendarDate.first)
        #expect(calendar.nextWorkingDay(onOrAfter: day("9999-12-31")) == CalendarDate.last)
    }
}
