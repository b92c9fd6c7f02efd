import CairnCore
import Foundation

/// The needs and care-plan page: the needs assessment, the agencies' tasks, and the forms for both.
extension CaseSupportController {
    struct NeedRow: Sendable {
        let domain: String
        let urgency: String
        let priority: String
        let note: String
        let assessed: String
        let immediate: Bool
    }

    struct TaskRow: Sendable {
        let id: String
        let title: String
        let need: String
        let agency: String
        let due: String
        let status: String
        let overdue: Bool
        let noConsent: Bool
    }

    struct CarePlanPage: Sendable, DateFieldPage {
        let header: Header
        let needs: [NeedRow]
        let noNeeds: Bool
        let tasks: [TaskRow]
        let noTasks: Bool
        let domains: [Choice]
        let urgencies: [Choice]
        let priorities: [Choice]
        let agencies: [Choice]
        let task: CaseSupportService.TaskInput
        var dates: [String: DateField] = [:]
    }

    func carePlanPage(_ c: AuthorisedCase, task: CaseSupportService.TaskInput = .init()) async throws -> CarePlanPage {
        let needs = try await support.needs(of: c)
        let tasks = try await support.tasks(of: c)
        let agencies = try await services.accounts.agencies()
        let names = Dictionary(uniqueKeysWithValues: try agencies.map { (try $0.requireID(), $0.name) })
        let today = CaseSupportService.today()
        let consents = try await support.activeConsents(of: c, today: today)
        let consented = Set(try agencies.filter { consents.permit(.needsAndCarePlan, for: .supportAndCarePlanning, to: try $0.requireID().uuidString, on: today) }.map { try $0.requireID() })
        return CarePlanPage(
            header: Self.header(c, current: .carePlan),
            needs: needs.map { NeedRow(domain: $0.needDomain.label, urgency: $0.needUrgency.label, priority: $0.priority.label, note: $0.note,
                                       assessed: Format.day($0.assessedOn), immediate: $0.needUrgency == .immediate) },
            noNeeds: needs.isEmpty,
            tasks: try tasks.map { t in
                TaskRow(id: try t.requireID().uuidString, title: t.title, need: t.needDomain.label, agency: names[t.agencyID] ?? "", due: Format.day(t.dueOn),
                        status: t.taskStatus.label, overdue: t.core.isOverdue(on: today), noConsent: t.taskStatus.isOpen && !consented.contains(t.agencyID))
            },
            noTasks: tasks.isEmpty,
            domains: NeedDomain.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: task.need == $0.rawValue) },
            urgencies: NeedUrgency.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            priorities: SurvivorPriority.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            agencies: try agencies.map { a in
                Choice(value: try a.requireID().uuidString, label: a.name + (consented.contains(try a.requireID()) ? "" : " (no consent to share the care plan)"),
                       selected: task.agencyID == (try a.requireID().uuidString))
            },
            task: task, dates: Self.taskDates(task, today: today))
    }
}
