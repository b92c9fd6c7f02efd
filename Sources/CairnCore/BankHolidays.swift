/// A public holiday on which partner agencies' offices are closed.
public struct BankHoliday: Hashable, Sendable, Codable {
    public let date: CalendarDate
    public let name: String

    public init(date: CalendarDate, name: String) {
        self.date = date
        self.name = name
    }
}

extension BankHoliday {
    /// England and Wales bank holidays of `year`, computed from the rules, with the one-off
    /// changes made by proclamation applied (`oneOffChanges`).
    ///
    /// The rules, in force since 1978: New Year's Day, Good Friday and Easter Monday (from the
    /// Gregorian computus), the early May bank holiday (first Monday in May), the spring bank
    /// holiday (last Monday in May), the summer bank holiday (last Monday in August), Christmas
    /// Day and Boxing Day. A New Year's Day, Christmas Day or Boxing Day that falls at a weekend
    /// is made up by a substitute day, the next weekday that is not already a holiday.
    /// Years before 1978 are computed by the same rules, which is not what they had.
    public static func englandAndWales(in year: Int) -> [BankHoliday] {
        var holidays: [BankHoliday] = []
        func add(_ date: CalendarDate, _ name: String) { holidays.append(BankHoliday(date: date, name: name)) }
        guard (1...9999).contains(year) else { return [] }

        let newYear = CalendarDate(year, 1, 1)
        if newYear.isWeekend { add(nextWeekday(after: newYear), "New Year’s Day (substitute day)") } else { add(newYear, "New Year’s Day") }
        let easter = easterSunday(year)
        add(easter.adding(days: -2), "Good Friday")
        add(easter.adding(days: 1), "Easter Monday")
        add(monday(.first, of: 5, in: year), "Early May bank holiday")
        add(monday(.last, of: 5, in: year), "Spring bank holiday")
        add(monday(.last, of: 8, in: year), "Summer bank holiday")
        // A Christmas Day or Boxing Day on a weekday keeps its date; one at the weekend moves to
        // the next weekday not already taken (Christmas on a Sunday: Tuesday 27th, as Boxing Day
        // is Monday 26th).
        let christmasDays = [(CalendarDate(year, 12, 25), "Christmas Day"), (CalendarDate(year, 12, 26), "Boxing Day")]
        var taken = Set(christmasDays.map(\.0).filter { !$0.isWeekend })
        for (day, name) in christmasDays {
            if !day.isWeekend {
                add(day, name)
            } else {
                var substitute = nextWeekday(after: day)
                while taken.contains(substitute) { substitute = nextWeekday(after: substitute) }
                taken.insert(substitute)
                add(substitute, "\(name) (substitute day)")
            }
        }

        for change in oneOffChanges where change.year == year {
            if let moved = change.moved { holidays.removeAll { $0.date == moved } }
            if let added = change.added { add(added, change.name) }
        }
        return holidays.sorted { $0.date < $1.date }
    }

    /// A change to a year's holidays announced by proclamation: a holiday `moved` away from its
    /// rule date (and `added` on another), or an extra holiday `added`.
    public struct OneOffChange: Sendable {
        public let year: Int
        public let moved: CalendarDate?
        public let added: CalendarDate?
        public let name: String
    }

    /// The one-off changes since 1995, as gov.uk and the proclamations give them.
    public static let oneOffChanges: [OneOffChange] = [
        .init(year: 1995, moved: CalendarDate(1995, 5, 1), added: CalendarDate(1995, 5, 8), name: "Early May bank holiday (VE Day)"),
        .init(year: 1999, moved: nil, added: CalendarDate(1999, 12, 31), name: "Millennium bank holiday"),
        .init(year: 2002, moved: CalendarDate(2002, 5, 27), added: CalendarDate(2002, 6, 4), name: "Spring bank holiday"),
        .init(year: 2002, moved: nil, added: CalendarDate(2002, 6, 3), name: "Golden Jubilee bank holiday"),
        .init(year: 2011, moved: nil, added: CalendarDate(2011, 4, 29), name: "Bank holiday for the wedding of Prince William and Catherine Middleton"),
        .init(year: 2012, moved: CalendarDate(2012, 5, 28), added: CalendarDate(2012, 6, 4), name: "Spring bank holiday"),
        .init(year: 2012, moved: nil, added: CalendarDate(2012, 6, 5), name: "Diamond Jubilee bank holiday"),
        .init(year: 2020, moved: CalendarDate(2020, 5, 4), added: CalendarDate(2020, 5, 8), name: "Early May bank holiday (VE Day)"),
        .init(year: 2022, moved: CalendarDate(2022, 5, 30), added: CalendarDate(2022, 6, 2), name: "Spring bank holiday"),
        .init(year: 2022, moved: nil, added: CalendarDate(2022, 6, 3), name: "Platinum Jubilee bank holiday"),
        .init(year: 2022, moved: nil, added: CalendarDate(2022, 9, 19), name: "Bank Holiday for the State Funeral of Queen Elizabeth II"),
        .init(year: 2023, moved: nil, added: CalendarDate(2023, 5, 8), name: "Bank holiday for the coronation of King Charles III"),
    ]

    /// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    public static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year, month, day)
    }

    enum Which { case first, last }

    static func monday(_ which: Which, of month: Int, in year: Int) -> CalendarDate {
        switch which {
        case .first:
            var day = CalendarDate(year, month, 1)
            while day.weekday != .monday { day = day.adding(days: 1) }
            return day
        case .last:
            var day = CalendarDate(year, month, CalendarDate.daysIn(month: month, year: year))
            while day.weekday != .monday { day = day.adding(days: -1) }
            return day
        }
    }

    static func nextWeekday(after day: CalendarDate) -> CalendarDate {
        var next = day.adding(days: 1)
        while next.isWeekend { next = next.adding(days: 1) }
        return next
    }
}
