import CairnCore
import Foundation

/// View models of training's pages: the totals, courses and their form.
enum TrainingPages {
    static func choices<T: CaseIterable & RawRepresentable>(_ type: T.Type, selected: Set<String>, label: (T) -> String) -> [Choice] where T.RawValue == String {
        T.allCases.map { Choice(value: $0.rawValue, label: label($0), selected: selected.contains($0.rawValue)) }
    }

    static func duration(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        if hours == 0 { return "\(minutes) minutes" }
        let h = hours == 1 ? "1 hour" : "\(hours) hours"
        return rest == 0 ? h : "\(h) \(rest) minutes"
    }

    static func people(_ n: Int) -> String { n == 1 ? "1 person" : "\(n) people" }

    // MARK: Totals

    struct TotalsRow: Sendable {
        let label: String
        let people: Int
    }

    struct TotalsPage: Sendable, DateFieldPage {
        let canManage: Bool
        let breakdowns: [Choice]
        let byLabel: String
        let total: String
        let rows: [TotalsRow]
        let empty: Bool
        let svg: String
        let period: String
        var dates: [String: DateField]
    }

    static func totalsPage(_ totals: TrainingService.Totals, by: TrainingService.Breakdown, from: String, to: String, period: String,
                           canManage: Bool, today: CalendarDate) -> TotalsPage {
        let chart = BarChart(title: "People trained by \(by.label.lowercased()), \(period)", titleID: "totals-chart-title",
                             bars: totals.rows.map { .init(label: $0.label, value: Double($0.people)) }, format: { String(Int($0)) })
        let example = DateField.example(today)
        return TotalsPage(
            canManage: canManage,
            breakdowns: TrainingService.Breakdown.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == by) },
            byLabel: by.label, total: people(totals.total), rows: totals.rows.map { TotalsRow(label: $0.label, people: $0.people) },
            empty: totals.rows.isEmpty, svg: totals.rows.isEmpty ? "" : chart.svg, period: period,
            dates: ["from": DateField("from", legend: "From", hint: "Leave empty for every session. " + example, value: from),
                    "to": DateField("to", legend: "To", hint: example, value: to)])
    }

    // MARK: Courses

    struct CourseRow: Sendable {
        let id: String
        let title: String
        let topics: String
        let sectors: String
        let duration: String
    }

    struct CoursesPage: Sendable {
        let rows: [CourseRow]
        let empty: Bool
        let canManage: Bool
        let pagination: Pagination
    }

    static func row(_ c: TrainingCourse) -> CourseRow {
        CourseRow(id: c.id?.uuidString ?? "", title: c.title, topics: c.topicList.map(\.label).joined(separator: ", "),
                  sectors: c.sectorList.map(\.label).joined(separator: ", "), duration: duration(c.durationMinutes))
    }

    struct CoursePage: Sendable {
        let id: String
        let title: String
        let topics: [String]
        let sectors: [String]
        let outcomes: String?
        let duration: String
        let planAction: String?
        let planActionHref: String
        let sessions: [SessionRow]
        let noSessions: Bool
        let canManage: Bool
        let editHref: String
        let newSessionHref: String
        let added: String
    }

    static func coursePage(_ d: TrainingService.CourseDetail, agencies: [UUID: String], canManage: Bool, today: CalendarDate) -> CoursePage {
        let c = d.course, id = c.id ?? UUID()
        return CoursePage(
            id: id.uuidString, title: c.title, topics: c.topicList.map(\.label), sectors: c.sectorList.map(\.label),
            outcomes: c.outcomes.isEmpty ? nil : c.outcomes, duration: duration(c.durationMinutes), planAction: d.planAction,
            planActionHref: c.planActionID.map { PlanRoute.action(.value($0)).path } ?? "",
            sessions: d.sessions.map { sessionRow($0, course: c.title, agencies: agencies, today: today) }, noSessions: d.sessions.isEmpty,
            canManage: canManage, editHref: TrainingRoute.editCourse(.value(id)).path,
            newSessionHref: TrainingRoute.newSession.path(query: [("course", id.uuidString)]), added: Format.date(c.createdAt))
    }

    struct CourseFormPage: Sendable {
        let heading: String
        let action: String
        let button: String
        let cancelHref: String
        let title: String
        let outcomes: String
        let duration: String
        let topics: [Choice]
        let sectors: [Choice]
        let actions: [Choice]
    }

    static func courseForm(_ input: TrainingService.CourseInput, editing id: UUID?, actions: [PlanActions.Choice]) -> CourseFormPage {
        CourseFormPage(
            heading: id == nil ? "Add a course" : "Edit the course",
            action: id.map { TrainingRoute.updateCourse(.value($0)).path } ?? TrainingRoute.createCourse.path,
            button: id == nil ? "Add the course" : "Save changes",
            cancelHref: id.map { TrainingRoute.course(.value($0)).path } ?? TrainingRoute.courses.path,
            title: input.title, outcomes: input.outcomes, duration: input.duration,
            topics: choices(TrainingTopic.self, selected: Set(input.topics)) { $0.label },
            sectors: choices(Sector.self, selected: Set(input.sectors)) { $0.label },
            actions: actions.map { Choice(value: $0.id.uuidString, label: $0.title, selected: $0.id.uuidString == input.planActionID.uppercased()) })
    }

    // MARK: Sessions (rows shared by the course page and the list)

    struct SessionRow: Sendable {
        let id: String
        let date: String
        let course: String
        let agency: String
        let delivery: String
        let area: String
        let language: String
        let upcoming: Bool
    }

    static func sessionRow(_ s: TrainingSession, course: String, agencies: [UUID: String], today: CalendarDate) -> SessionRow {
        SessionRow(id: s.id?.uuidString ?? "", date: Format.day(s.heldOn), course: course, agency: agencies[s.trainerAgencyID] ?? "",
                   delivery: s.deliveryMode.label, area: s.area, language: s.language, upcoming: s.heldOn >= today.description)
    }
}
