import CairnCore
import Foundation

/// The days a dashboard view covers, both included, in the partnership's time zone: a preset
/// ending today, or any from–to a person chose (up to 20 years).
struct InsightPeriod: Sendable, Equatable {
    enum Preset: String, CaseIterable, Sendable {
        case last3Months = "3m"
        case last12Months = "12m"
        case thisYear = "year"
        case lastYear = "last-year"
        case last5Years = "5y"
        case custom

        var label: String {
            switch self {
            case .last3Months: "Last 3 months"
            case .last12Months: "Last 12 months"
            case .thisYear: "This calendar year"
            case .lastYear: "Last calendar year"
            case .last5Years: "Last 5 years"
            case .custom: "Dates I choose"
            }
        }
    }

    static let longest = 20

    let from: CalendarDate
    let to: CalendarDate
    let preset: Preset

    /// A preset's days on `today`. "Last N months" are whole months, this one included.
    init(_ preset: Preset, today: CalendarDate) {
        let month = MonthPeriod(today)
        switch preset {
        case .last3Months: from = month.adding(months: -2).firstDay
        case .last12Months, .custom: from = month.adding(months: -11).firstDay
        case .thisYear: from = (try? CalendarDate(year: today.year, month: 1, day: 1)) ?? today
        case .lastYear: from = (try? CalendarDate(year: today.year - 1, month: 1, day: 1)) ?? today
        case .last5Years: from = month.adding(months: -59).firstDay
        }
        to = preset == .lastYear ? ((try? CalendarDate(year: today.year - 1, month: 12, day: 31)) ?? today) : today
        self.preset = preset == .custom ? .last12Months : preset
    }

    /// Chosen days, checked: a malformed date, `from` after `to` or a span over 20 years is a
    /// 400 that names the field.
    init(from fromText: String, to toText: String, today: CalendarDate) throws {
        guard let from = try? CalendarDate(parsing: fromText) else {
            throw AppError.invalid([.init("from", "Give the first day as YYYY-MM-DD, for example \(today.adding(days: -30)).")])
        }
        guard let to = try? CalendarDate(parsing: toText) else {
            throw AppError.invalid([.init("to", "Give the last day as YYYY-MM-DD, for example \(today).")])
        }
        guard from <= to else { throw AppError.invalid([.init("from", "The first day (\(from)) is after the last day (\(to)).")]) }
        guard from.adding(months: 12 * Self.longest) > to else {
            throw AppError.invalid([.init("to", "A period can be at most \(Self.longest) years long.")])
        }
        self.from = from
        self.to = to
        preset = .custom
    }

    /// From a page's or the API's query: the preset named by `period` (with its own days, or
    /// none), or else the days `from` and `to` when either is given (checked), or else the last
    /// 12 months. An unknown preset is a 422.
    static func read(period: String, from: String, to: String, today: CalendarDate) throws -> InsightPeriod {
        let preset = period.isEmpty ? nil : Preset(rawValue: period)
        if !period.isEmpty, preset == nil {
            throw AppError.invalid([.init("period", "Choose a period from the list, or dates.")])
        }
        if let preset, preset != .custom {
            // The form sends the preset's own days with it; days changed by hand win.
            let chosen = InsightPeriod(preset, today: today)
            if (from.isEmpty || from == chosen.from.description), (to.isEmpty || to == chosen.to.description) { return chosen }
        }
        if !from.isEmpty || !to.isEmpty { return try InsightPeriod(from: from, to: to, today: today) }
        return InsightPeriod(.last12Months, today: today)
    }

    var days: Int { from.days(to: to) + 1 }

    /// Weeks when the period is up to six months, otherwise months.
    var byWeek: Bool { days <= 186 }

    var label: String {
        preset == .custom ? "\(Self.long(from)) to \(Self.long(to))" : "\(preset.label) (\(Self.long(from)) to \(Self.long(to)))"
    }

    /// "in the last 12 months (1 January 2026 to 6 December 2026)", "from … to …".
    var phrase: String {
        preset == .custom ? "from \(Self.long(from)) to \(Self.long(to))" : "in the \(label.prefix(1).lowercased() + label.dropFirst())"
    }

    static func long(_ day: CalendarDate) -> String {
        "\(day.day) \(MonthPeriod(day).label)"
    }
}

/// Which reports the dashboard counts, as the page's and the API's query names it.
struct InsightFilters: Sendable, Equatable {
    var district: String?
    var type: ExploitationType?
    var agencyID: UUID?

    /// Reads `area`, `type` and `agency`: an unknown type or a malformed agency is a 400, an
    /// area is a postcode district (letters and digits, up to 4).
    static func read(area: String, type: String, agency: String) throws -> InsightFilters {
        var filters = InsightFilters()
        let area = area.trimmingCharacters(in: .whitespaces).uppercased()
        if !area.isEmpty {
            guard area.count <= 4, area.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), area.first?.isLetter == true else {
                throw AppError.invalid([.init("area", "An area is a postcode district such as WM1.")])
            }
            filters.district = area
        }
        if !type.isEmpty {
            guard let known = ExploitationType(rawValue: type) else {
                throw AppError.invalid([.init("type", "Unknown exploitation type \"\(type.prefix(40))\".")])
            }
            filters.type = known
        }
        if !agency.isEmpty {
            guard let id = UUID(uuidString: agency) else { throw AppError.invalid([.init("agency", "Unknown agency.")]) }
            filters.agencyID = id
        }
        return filters
    }

    var directory: ReportDirectory.InsightFilter { .init(district: district, type: type, agencyID: agencyID) }

    /// The filter's name in the store: one set of kept counts per filter anyone has used.
    var key: String {
        "a=\(district ?? "");t=\(type?.rawValue ?? "");g=\(agencyID?.uuidString ?? "")"
    }

    var isEmpty: Bool { district == nil && type == nil && agencyID == nil }
}
