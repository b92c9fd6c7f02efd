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
    /// England and Wales bank holidays, 2020–2030, as announced (gov.uk/bank-holidays).
    /// Kept as data, not computed, because one-off changes (jubilees, a state funeral, a
    /// coronation, a moved May holiday) are announced by proclamation and follow no rule.
    /// Extend this list when the government announces later years.
    public static let englandAndWales: [BankHoliday] = {
        let rows: [(Int, Int, Int, String)] = [
            (2020, 1, 1, "New Year’s Day"), (2020, 4, 10, "Good Friday"), (2020, 4, 13, "Easter Monday"),
            (2020, 5, 8, "Early May bank holiday (VE Day)"), (2020, 5, 25, "Spring bank holiday"),
            (2020, 8, 31, "Summer bank holiday"), (2020, 12, 25, "Christmas Day"),
            (2020, 12, 28, "Boxing Day (substitute day)"),

            (2021, 1, 1, "New Year’s Day"), (2021, 4, 2, "Good Friday"), (2021, 4, 5, "Easter Monday"),
            (2021, 5, 3, "Early May bank holiday"), (2021, 5, 31, "Spring bank holiday"),
            (2021, 8, 30, "Summer bank holiday"), (2021, 12, 27, "Christmas Day (substitute day)"),
            (2021, 12, 28, "Boxing Day (substitute day)"),

            (2022, 1, 3, "New Year’s Day (substitute day)"), (2022, 4, 15, "Good Friday"),
            (2022, 4, 18, "Easter Monday"), (2022, 5, 2, "Early May bank holiday"),
            (2022, 6, 2, "Spring bank holiday"), (2022, 6, 3, "Platinum Jubilee bank holiday"),
            (2022, 8, 29, "Summer bank holiday"),
            (2022, 9, 19, "Bank Holiday for the State Funeral of Queen Elizabeth II"),
            (2022, 12, 26, "Boxing Day"), (2022, 12, 27, "Christmas Day (substitute day)"),

            (2023, 1, 2, "New Year’s Day (substitute day)"), (2023, 4, 7, "Good Friday"),
            (2023, 4, 10, "Easter Monday"), (2023, 5, 1, "Early May bank holiday"),
            (2023, 5, 8, "Bank holiday for the coronation of King Charles III"),
            (2023, 5, 29, "Spring bank holiday"), (2023, 8, 28, "Summer bank holiday"),
            (2023, 12, 25, "Christmas Day"), (2023, 12, 26, "Boxing Day"),

            (2024, 1, 1, "New Year’s Day"), (2024, 3, 29, "Good Friday"), (2024, 4, 1, "Easter Monday"),
            (2024, 5, 6, "Early May bank holiday"), (2024, 5, 27, "Spring bank holiday"),
            (2024, 8, 26, "Summer bank holiday"), (2024, 12, 25, "Christmas Day"),
            (2024, 12, 26, "Boxing Day"),

            (2025, 1, 1, "New Year’s Day"), (2025, 4, 18, "Good Friday"), (2025, 4, 21, "Easter Monday"),
            (2025, 5, 5, "Early May bank holiday"), (2025, 5, 26, "Spring bank holiday"),
            (2025, 8, 25, "Summer bank holiday"), (2025, 12, 25, "Christmas Day"),
            (2025, 12, 26, "Boxing Day"),

            (2026, 1, 1, "New Year’s Day"), (2026, 4, 3, "Good Friday"), (2026, 4, 6, "Easter Monday"),
            (2026, 5, 4, "Early May bank holiday"), (2026, 5, 25, "Spring bank holiday"),
            (2026, 8, 31, "Summer bank holiday"), (2026, 12, 25, "Christmas Day"),
            (2026, 12, 28, "Boxing Day (substitute day)"),

            (2027, 1, 1, "New Year’s Day"), (2027, 3, 26, "Good Friday"), (2027, 3, 29, "Easter Monday"),
            (2027, 5, 3, "Early May bank holiday"), (2027, 5, 31, "Spring bank holiday"),
            (2027, 8, 30, "Summer bank holiday"), (2027, 12, 27, "Christmas Day (substitute day)"),
            (2027, 12, 28, "Boxing Day (substitute day)"),

            (2028, 1, 3, "New Year’s Day (substitute day)"), (2028, 4, 14, "Good Friday"),
            (2028, 4, 17, "Easter Monday"), (2028, 5, 1, "Early May bank holiday"),
            (2028, 5, 29, "Spring bank holiday"), (2028, 8, 28, "Summer bank holiday"),
            (2028, 12, 25, "Christmas Day"), (2028, 12, 26, "Boxing Day"),

            (2029, 1, 1, "New Year’s Day"), (2029, 3, 30, "Good Friday"), (2029, 4, 2, "Easter Monday"),
            (2029, 5, 7, "Early May bank holiday"), (2029, 5, 28, "Spring bank holiday"),
            (2029, 8, 27, "Summer bank holiday"), (2029, 12, 25, "Christmas Day"),
            (2029, 12, 26, "Boxing Day"),

            (2030, 1, 1, "New Year’s Day"), (2030, 4, 19, "Good Friday"), (2030, 4, 22, "Easter Monday"),
            (2030, 5, 6, "Early May bank holiday"), (2030, 5, 27, "Spring bank holiday"),
            (2030, 8, 26, "Summer bank holiday"), (2030, 12, 25, "Christmas Day"),
            (2030, 12, 26, "Boxing Day"),
        ]
        return rows.map { BankHoliday(date: CalendarDate($0.0, $0.1, $0.2), name: $0.3) }
    }()
}
