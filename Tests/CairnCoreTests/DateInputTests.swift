import Testing

@testable import CairnCore

/// The GOV.UK date input parser: good, bad and partial input, and its messages.
@Suite struct DateInputTests {
    let today = CalendarDate(2026, 12, 6)
    func parse(_ d: String?, _ m: String?, _ y: String?, _ rules: DateInput.Rules) -> Result<DateInput.Value, DateInput.Problem> {
        DateInput.parse(day: d, month: m, year: y, rules: rules, today: today)
    }
    let review = DateInput.Rules(label: "Review date")
    let birth = DateInput.Rules(label: "Date of birth", required: false, partial: true, timing: .past)

    @Test func readsAFullDateHoweverTheBoxesAreTyped() throws {
        #expect(parse("6", "12", "2026", review) == .success(.date(CalendarDate(2026, 12, 6))))
        #expect(parse(" 06 ", "12", "2026", review) == .success(.date(CalendarDate(2026, 12, 6))))
        #expect(parse("6", "Dec", "2026", review) == .success(.date(CalendarDate(2026, 12, 6))))
        #expect(parse("6", "december", "2026", review) == .success(.date(CalendarDate(2026, 12, 6))))
        #expect(parse("29", "2", "2028", review) == .success(.date(CalendarDate(2028, 2, 29))))
        #expect(try parse("6", "3", "2026", review).get().stored == "2026-03-06")
    }

    @Test func namesWhatIsMissing() {
        #expect(parse("", "", "", review) == .failure(.init(message: "Enter review date", parts: [.day, .month, .year])))
        #expect(parse("6", "", "2026", review) == .failure(.init(message: "Review date must include a month", parts: [.month])))
        #expect(parse("", "12", "", review) == .failure(.init(message: "Review date must include a day and year", parts: [.day, .year])))
        #expect(parse(nil, nil, nil, DateInput.Rules(label: "End date", required: false)) == .success(.empty))
    }

    @Test func refusesDatesThatAreNotReal() {
        for (d, m, y) in [("31", "4", "2026"), ("29", "2", "2026"), ("0", "1", "2026"), ("x", "1", "2026"), ("1", "13", "2026"), ("1", "Smarch", "2026"),
                          ("1", "1", "20a6"), ("1", "1", "99999"), ("-1", "1", "2026"), ("1", "1", "0000"), ("١", "1", "2026")] {
            guard case .failure(let problem) = parse(d, m, y, review) else { Issue.record("accepted \(d)/\(m)/\(y)"); continue }
            #expect(problem.message == "Review date must be a real date", "\(d)/\(m)/\(y)")
        }
        #expect(parse("1", "1", "26", review) == .failure(.init(message: "Year must include 4 numbers", parts: [.year])))
        #expect(parse("40", "1", "2026", review) == .failure(.init(message: "Review date must be a real date", parts: [.day, .month, .year])))
        #expect(parse("ab", "1", "2026", review) == .failure(.init(message: "Review date must be a real date", parts: [.day])))
    }

    @Test func keepsPartialDatesOfBirth() throws {
        #expect(parse("", "", "1991", birth) == .success(.year(1991)))
        #expect(parse("", "3", "1991", birth) == .success(.month(year: 1991, month: 3)))
        #expect(try parse("", "3", "1991", birth).get().stored == "1991-03")
        #expect(try parse("", "", "1991", birth).get().stored == "1991")
        #expect(parse("14", "3", "1991", birth) == .success(.date(CalendarDate(1991, 3, 14))))
        // A day needs its month; the year is never optional.
        #expect(parse("14", "", "1991", birth) == .failure(.init(message: "Date of birth must include a month", parts: [.month])))
        #expect(parse("", "3", "", birth) == .failure(.init(message: "Date of birth must include a year", parts: [.year])))
        #expect(parse("", "", "", birth) == .success(.empty))
        // A full date is required where partial dates are not allowed.
        #expect(parse("", "3", "1991", review) == .failure(.init(message: "Review date must include a day", parts: [.day])))
    }

    @Test func checksTiming() {
        #expect(parse("6", "12", "2026", birth) == .failure(.init(message: "Date of birth must be in the past", parts: [.day, .month, .year])))
        #expect(parse("", "", "2027", birth) == .failure(.init(message: "Date of birth must be in the past", parts: [.day, .month, .year])))
        #expect(parse("5", "12", "2026", birth) == .success(.date(CalendarDate(2026, 12, 5))))
        let seen = DateInput.Rules(label: "Date seen", timing: .todayOrPast)
        #expect(parse("6", "12", "2026", seen) == .success(.date(CalendarDate(2026, 12, 6))))
        #expect(parse("7", "12", "2026", seen) == .failure(.init(message: "Date seen must be today or in the past", parts: [.day, .month, .year])))
        #expect(parse("7", "12", "2030", review) == .success(.date(CalendarDate(2030, 12, 7))))
        let due = DateInput.Rules(label: "Due date", required: false, timing: .todayOrFuture)
        #expect(parse("6", "12", "2026", due) == .success(.date(CalendarDate(2026, 12, 6))))
        #expect(parse("1", "1", "2031", due) == .success(.date(CalendarDate(2031, 1, 1))))
        #expect(parse("5", "12", "2026", due) == .failure(.init(message: "Due date must be today or in the future", parts: [.day, .month, .year])))
        #expect(parse("", "", "", due) == .success(.empty))
    }
}
