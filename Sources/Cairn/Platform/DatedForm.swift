import CairnCore
import Foundation
import Hummingbird

/// A form (`FormInput`) with GOV.UK date inputs. Each date is typed in three boxes
/// (`NAME-day`, `NAME-month`, `NAME-year`); `FormDates` reads them, by the date's rules, into
/// the field `NAME` the services read, as it always has: the stored text when the boxes make a
/// date, otherwise what was typed, with the problem kept for the page. A date sent as `NAME`
/// itself, without boxes, is read as sent.
protocol DatedForm: FormInput {
    /// Each date on the form: its name, the field its value goes into, and its rules (which may
    /// depend on other fields, as the NRM form's do).
    var dateFields: [DateFormField<Self>] { get }
}

/// One date of a `DatedForm`.
struct DateFormField<Form> {
    let name: String
    let field: WritableKeyPath<Form, String?>
    let rules: DateInput.Rules

    init(_ name: String, _ field: WritableKeyPath<Form, String?>, _ rules: DateInput.Rules) {
        self.name = name
        self.field = field
        self.rules = rules
    }
}

extension DatedForm {
    /// Reads the form and its dates' boxes: the form with each date in its field, and the
    /// dates' problems and boxes as typed (for `Views.render`).
    static func readWithDates(_ request: Request, today: CalendarDate = CalendarDate(Date(), in: .london)) async throws -> (Self, FormDates) {
        withDates(try await DateBoxes<Self>.read(request), today: today)
    }

    /// `readWithDates` for a body already in hand.
    static func decodeWithDates(body: String, today: CalendarDate = CalendarDate(Date(), in: .london)) throws -> (Self, FormDates) {
        withDates(try DateBoxes<Self>.decode(body: body), today: today)
    }

    private static func withDates(_ read: DateBoxes<Self>, today: CalendarDate) -> (Self, FormDates) {
        var form = read.form
        let fields = form.dateFields
        let rules = Dictionary(fields.map { ($0.name, $0.rules) }, uniquingKeysWith: { first, _ in first })
        let (values, dates) = FormDates.read({ read.boxes[$0] }, fields: rules, today: today)
        for date in fields {
            if let value = values[date.name] { form[keyPath: date.field] = value }
        }
        return (form, dates)
    }
}

/// A form's fields and, beside them, every date box it was sent.
private struct DateBoxes<Form: FormInput>: FormInput {
    static var lists: Set<String> { Form.lists }
    let form: Form
    let boxes: [String: String]

    init(from decoder: any Decoder) throws {
        form = try Form(from: decoder)
        let container = try decoder.container(keyedBy: FormKey.self)
        var boxes: [String: String] = [:]
        for key in container.allKeys where ["-day", "-month", "-year"].contains(where: key.stringValue.hasSuffix) {
            boxes[key.stringValue] = try container.decode(String.self, forKey: key)
        }
        self.boxes = boxes
    }
}

/// A form field named at run time (a date's boxes, an outcome's rating).
struct FormKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension FormDates {
    /// A search form's dates (sent with GET): typed into boxes (`from-day`, `from-month`,
    /// `from-year`), or given whole as `YYYY-MM-DD` (`from=`) by a link or bookmark. A date
    /// whose boxes do not make a date is kept as typed, with its problem in `dates`.
    static func read(_ request: Request, fields: [String: DateInput.Rules], today: CalendarDate) -> (values: [String: String], dates: FormDates) {
        var (values, dates) = read({ request.uri.queryParameters[Substring($0)].map(String.init) }, fields: fields, today: today)
        for name in fields.keys where values[name] == nil {
            let whole = request.query(name, max: 40)
            if !whole.isEmpty { values[name] = whole }
        }
        return (values, dates)
    }
}
