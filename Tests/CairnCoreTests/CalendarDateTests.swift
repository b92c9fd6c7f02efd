import Foundation
import Testing
@testable import CairnCore

@Suite struct CalendarDateTests {
    @Test func parsesAndPrintsTheStoredForm() throws {
        let date = try CalendarDate(parsing: "2026-02-09")
        #expect(date.year == 2026 && date.month == 2 && date.day == 9)
        #expect(date.description == "2026-02-09")
    }

    @Test(arguments: ["2026-2-9", "26-02-09", "2026/02/09", "", "2026-02-09T00:00", "abcd-ef-gh", " 2026-02-09"])
    func refusesOtherForms(_ text: String) {
        #expect(throws: CalendarDateError.badFormat(text)) { try CalendarDate(parsing: text) }
    }

    @Test func refusesImpossibleDaysWithAClearMessage() {
        #expect(throws: CalendarDateError.dayOutOfRange(year: 2026, month: 4, day: 31)) { try CalendarDate(parsing: "2026-04-31") }
        #expect(throws: CalendarDateError.monthOutOfRange(13)) { try CalendarDate(parsing: "2026-13-01") }
        #expect(throws: CalendarDateError.dayOutOfRange(year: 2025, month: 2, day: 29)) { try CalendarDate(parsing: "2025-02-29") }
        #expect((try? CalendarDate(parsing: "2024-02-29")) != nil)
        #expect(CalendarDateError.dayOutOfRange(year: 2026, month: 4, day: 31).description.contains("30 days"))
    }

    @Test func ordersByDay() {
        #expect(day("2025-12-31") < day("2026-01-01"))
        #expect(day("2026-01-31") < day("2026-02-01"))
        #expect(!(day("2026-03-01") < day("2026-03-01")))
    }

    @Test func countsDaysAcrossMonthsYearsAndLeapDays() {
        #expect(day("2024-02-28").adding(days: 1) == day("2024-02-29"))
        #expect(day("2024-02-28").adding(days: 2) == day("2024-03-01"))
        #expect(day("2026-12-31").adding(days: 1) == day("2027-01-01"))
        #expect(day("2026-01-01").adding(days: -1) == day("2025-12-31"))
        #expect(day("2026-01-01").days(to: day("2027-01-01")) == 365)
        #expect(day("1970-01-01").dayNumber == 0)
        for n in stride(from: -500_000, through: 2_000_000, by: 997) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
    }

    @Test func knowsWeekdays() {
        #expect(day("2026-11-23").weekday == .monday)
        #expect(day("2026-11-28").isWeekend)
        #expect(day("2000-02-29").weekday == .tuesday)
        #expect(day("1969-12-31").weekday == .wednesday)
    }

    @Test func addsMonthsKeepingTheMonthEnd() {
        #expect(day("2026-01-31").adding(months: 1) == day("2026-02-28"))
        #expect(day("2028-01-31").adding(months: 1) == day("2028-02-29"))
        #expect(day("2026-11-23").adding(months: 3) == day("2027-02-23"))
        #expect(day("2026-03-31").adding(months: -1) == day("2026-02-28"))
        #expect(day("2026-06-15").adding(months: 12) == day("2027-06-15"))
    }

    @Test func codesAsAPlainString() throws {
        let data = try JSONEncoder().encode([day("2026-11-23")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-11-23\"]")
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [day("2026-11-23")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: Data("[\"2026-02-30\"]".utf8)) }
    }

    @Test func takesTheDayInTheGivenZoneNotUTC() {
        // 23:30 on 31 March 2026 in London is 22:30 UTC; 00:30 BST on 1 April is still 31 March in UTC.
        let justAfterMidnight = londonTime("2026-04-01 00:30")
        #expect(CalendarDate(justAfterMidnight, in: london) == day("2026-04-01"))
        #expect(CalendarDate(justAfterMidnight, in: TimeZone(identifier: "UTC")!) == day("2026-03-31"))
    }
}
