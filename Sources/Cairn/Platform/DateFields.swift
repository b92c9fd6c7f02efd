import CairnCore
import Foundation

/// One date asked for on a page, in the GOV.UK pattern: day, month and year boxes in a
/// fieldset (`partials/date-input.mustache`). Built from the stored value (`YYYY-MM-DD`, a
/// partial `YYYY-MM` or `YYYY`), or from what was typed when it was wrong (`FormDates`).
struct DateField: Sendable {
    var name: String
    var legend: String
    var hint: String
    var day: String
    var month: String
    var year: String
    /// Set by `Views.render` from the page's errors.
    var error: String?
    var dayError = false
    var monthError = false
    var yearError = false

    /// `value` is stored text (`2026-12-06`, `1991-03`, `1991`) or boxes as typed (`31//2026`).
    init(_ name: String, legend: String, hint: String, value: String) {
        self.name = name
        self.legend = legend
        self.hint = hint
        let boxes = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if boxes.count == 3 {
            (day, month, year) = (boxes[0], boxes[1], boxes[2])
        } else {
            let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            func trimmed(_ s: String) -> String { s.count == 2 && s.hasPrefix("0") ? String(s.dropFirst()) : s }
            year = parts.first ?? ""
            month = parts.count > 1 ? trimmed(parts[1]) : ""
            day = parts.count > 2 ? trimmed(parts[2]) : ""
        }
    }

    /// A hint with an example date: "For example, 27 3 2026".
    static func example(_ date: CalendarDate) -> String { "For example, \(date.day) \(date.month) \(date.year)" }
}

/// A page with date fields: `Views.render` marks the ones the errors name.
protocol DateFieldPage: Sendable {
    var dates: [String: DateField] { get set }
}

extension DateFieldPage {
    /// Shows each date's boxes as they were typed (`FormDates.typed`), not the page's default.
    mutating func keep(typed: [String: [String]]) {
        for (name, boxes) in typed where boxes.count == 3 {
            guard var field = dates[name] else { continue }
            (field.day, field.month, field.year) = (boxes[0], boxes[1], boxes[2])
            dates[name] = field
        }
    }

    mutating func markErrors(_ errors: [AppError.FieldError], parts: [String: Set<DateInput.Part>]) {
        for error in errors {
            guard var field = dates[error.field], field.error == nil else { continue }
            field.error = error.message
            let wrong = parts[error.field] ?? Set(DateInput.Part.allCases)
            field.dayError = wrong.contains(.day)
            field.monthError = wrong.contains(.month)
            field.yearError = wrong.contains(.year)
            dates[error.field] = field
        }
    }
}

/// Reads date boxes (`NAME-day`, `NAME-month`, `NAME-year`) from a form or query into the one
/// field `NAME` the services read: the stored text when the boxes make a date, otherwise the
/// boxes as typed (`31//2026`, which no service accepts) with a GOV.UK message in `problems`.
struct FormDates: Sendable {
    var problems: [AppError.FieldError] = []
    var wrongParts: [String: Set<DateInput.Part>] = [:]
    /// Each date's boxes as typed (at most 20 characters a box), to fill the boxes again when
    /// the page comes back with an error.
    var typed: [String: [String]] = [:]

    static func read(_ lookup: (String) -> String?, fields: [String: DateInput.Rules], today: CalendarDate) -> (values: [String: String], dates: FormDates) {
        var values: [String: String] = [:]
        var dates = FormDates()
        for (name, rules) in fields.sorted(by: { $0.key < $1.key }) {
            let boxes = ["day", "month", "year"].map { lookup("\(name)-\($0)") }
            guard boxes.contains(where: { $0 != nil }) else { continue }
            dates.typed[name] = boxes.map { String(($0 ?? "").prefix(20)) }
            switch DateInput.parse(day: boxes[0], month: boxes[1], year: boxes[2], rules: rules, today: today) {
            case .success(let value):
                values[name] = value.stored
            case .failure(let problem):
                values[name] = boxes.map { String(($0 ?? "").filter { $0 != "/" }.prefix(20)) }.joined(separator: "/")
                dates.problems.append(.init(name, problem.message))
                dates.wrongParts[name] = problem.parts
            }
        }
        return (values, dates)
    }

    /// Throws the date problems, if any, as a 422 that names each field.
    func check() throws {
        if !problems.isEmpty { throw AppError.invalid(problems) }
    }
}
