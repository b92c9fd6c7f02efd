import CairnCore
import Foundation

/// View models of the sessions' pages: the list, the form, one session with its attendance and
/// feedback, and the register.
extension TrainingPages {
    struct SessionsPage: Sendable {
        let rows: [SessionRow]
        let empty: Bool
        let filtered: Bool
        let whens: [Choice]
        let courses: [Choice]
        let canManage: Bool
        let newHref: String
        let pagination: Pagination
    }

    struct SessionFormPage: Sendable, DateFieldPage {
        let heading: String
        let action: String
        let button: String
        let cancelHref: String
        let courses: [Choice]
        let noCourses: Bool
        let agencies: [Choice]
        let deliveries: [Choice]
        let area: String
        let language: String
        var dates: [String: DateField]
    }

    static func sessionForm(_ input: TrainingService.SessionInput, courses: [TrainingCourse], agencies: [Agency], today: CalendarDate,
                            editing id: UUID? = nil) -> SessionFormPage {
        SessionFormPage(
            heading: id == nil ? "Record a session" : "Edit the session",
            action: id.map { TrainingRoute.updateSession(.value($0)).path } ?? TrainingRoute.createSession.path,
            button: id == nil ? "Record the session" : "Save changes",
            cancelHref: id.map { TrainingRoute.session(.value($0)).path } ?? TrainingRoute.sessions.path,
            courses: courses.map { Choice(value: $0.id?.uuidString ?? "", label: $0.title, selected: $0.id?.uuidString == input.courseID.uppercased()) },
            noCourses: courses.isEmpty,
            agencies: agencies.map { Choice(value: $0.id?.uuidString ?? "", label: $0.name, selected: $0.id?.uuidString == input.trainerAgencyID.uppercased()) },
            deliveries: choices(TrainingDelivery.self, selected: [input.delivery]) { $0.label }, area: input.area,
            language: input.language.isEmpty ? "English" : input.language,
            dates: ["heldOn": DateField("heldOn", legend: "Date of the session", hint: DateField.example(today), value: input.heldOn)])
    }

    struct AttendanceRow: Sendable {
        let sector: String
        let agency: String
        let people: Int
    }

    /// One row of the attendance form.
    struct CountField: Sendable {
        let number: Int
        let sectors: [Choice]
        let agency: String
        let people: String
        /// The row's problem, if the form came back with one.
        let error: String?
    }

    struct ResultRow: Sendable {
        let question: String
        let meanBefore: String
        let meanAfter: String
        let meanChange: String
        let before: Int
        let after: Int
        let pairs: Int
    }

    struct SessionPage: Sendable {
        let id: String
        let heading: String
        let courseHref: String
        let summary: [Line]
        let attendance: [AttendanceRow]
        let registered: Int
        let hasRegister: Bool
        let noAttendance: Bool
        let total: String
        let canManage: Bool
        let editHref: String
        let deleteHref: String
        /// Counts may be recorded (no register kept).
        let takesCounts: Bool
        let countFields: [CountField]
        let attendanceAction: String
        let registerHref: String
        let results: [ResultRow]
        let noFeedback: Bool
        let sheets: Int
        let feedbackAction: String
        let phases: [Choice]
        let questions: [Question]
        let pair: String
    }

    struct Question: Sendable {
        let name: String
        let wording: String
        let options: [Choice]
        let error: String?
    }

    static func number(_ value: Double?, signed: Bool = false) -> String {
        guard let value else { return "None" }
        let rounded = (value * 100).rounded() / 100
        let text = String(format: "%.2f", rounded)
        return signed && rounded > 0 ? "+" + text : text
    }

    static func sessionPage(_ d: TrainingService.SessionDetail, canManage: Bool, typed: [TrainingService.CountInput] = [],
                            sheet: TrainingService.SheetInput = .init(), errors: [AppError.FieldError] = []) -> SessionPage {
        let s = d.session, id = s.id ?? UUID()
        let existing = d.attendance.map { TrainingService.CountInput(sector: $0.sector, agency: $0.agency, people: String($0.people)) }
        var rows = typed.isEmpty ? existing : typed
        rows += Array(repeating: TrainingService.CountInput(), count: max(3, 8 - rows.count))
        let results = TrainingService.results(d.sheets)
        return SessionPage(
            id: id.uuidString, heading: "\(d.course.title), \(Format.day(s.heldOn))",
            courseHref: TrainingRoute.course(.value(d.course.id ?? UUID())).path,
            summary: [Line(label: "Course", value: d.course.title), Line(label: "Date", value: Format.day(s.heldOn)),
                      Line(label: "Trainer agency", value: d.trainerAgency), Line(label: "Delivery", value: s.deliveryMode.label),
                      Line(label: "Area", value: s.area), Line(label: "Language", value: s.language)],
            attendance: d.attendance.map { AttendanceRow(sector: Sector(rawValue: $0.sector)?.label ?? $0.sector, agency: $0.agency, people: $0.people) },
            registered: d.registered, hasRegister: d.registered > 0, noAttendance: !d.hasAttendance, total: people(d.peopleCounted),
            canManage: canManage, editHref: TrainingRoute.editSession(.value(id)).path, deleteHref: TrainingRoute.confirmDeleteSession(.value(id)).path,
            takesCounts: d.registered == 0,
            countFields: rows.enumerated().map { index, row in
                let names = ["sector-\(index + 1)", "agency-\(index + 1)", "people-\(index + 1)"]
                return CountField(number: index + 1, sectors: choices(Sector.self, selected: [row.sector]) { $0.label }, agency: row.agency, people: row.people,
                                  error: errors.first { names.contains($0.field) }?.message)
            },
            attendanceAction: TrainingRoute.recordAttendance(.value(id)).path, registerHref: TrainingRoute.register(.value(id)).path,
            results: results.map { r in
                ResultRow(question: r.question.wording, meanBefore: number(r.meanBefore), meanAfter: number(r.meanAfter),
                          meanChange: number(r.meanChange, signed: true), before: r.before, after: r.after, pairs: r.pairs)
            },
            noFeedback: d.sheets.isEmpty, sheets: d.sheets.count, feedbackAction: TrainingRoute.recordFeedback(.value(id)).path,
            phases: choices(ConfidencePhase.self, selected: [sheet.phase]) { $0.label },
            questions: ConfidenceQuestion.allCases.map { q in
                Question(name: q.rawValue, wording: q.wording,
                         options: (1...5).map { Choice(value: String($0), label: String($0), selected: sheet.answers[q.rawValue] == String($0)) },
                         error: errors.first { $0.field == q.rawValue }?.message)
            },
            pair: sheet.pair)
    }

    struct AttendeeRow: Sendable {
        let name: String
        let agency: String
        let email: String
        let sector: String
        let removeHref: String
    }

    struct RegisterPage: Sendable {
        let heading: String
        let sessionHref: String
        let rows: [AttendeeRow]
        let empty: Bool
        let takesNames: Bool
        let action: String
        let name: String
        let agency: String
        let email: String
        let sectors: [Choice]
    }

    static func registerPage(_ d: TrainingService.SessionDetail, attendees: [TrainingAttendee], typed: TrainingService.AttendeeInput = .init()) -> RegisterPage {
        let id = d.session.id ?? UUID()
        return RegisterPage(
            heading: "Register: \(d.course.title), \(Format.day(d.session.heldOn))", sessionHref: TrainingRoute.session(.value(id)).path,
            rows: attendees.map {
                AttendeeRow(name: $0.name, agency: $0.agency, email: $0.email, sector: Sector(rawValue: $0.sector)?.label ?? $0.sector,
                            removeHref: TrainingRoute.confirmRemoveAttendee(.value(id), .value($0.id ?? UUID())).path)
            },
            empty: attendees.isEmpty, takesNames: d.attendance.isEmpty, action: TrainingRoute.addAttendee(.value(id)).path,
            name: typed.name, agency: typed.agency, email: typed.email, sectors: choices(Sector.self, selected: [typed.sector]) { $0.label })
    }
}
