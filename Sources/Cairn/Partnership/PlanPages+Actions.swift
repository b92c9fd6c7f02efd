import CairnCore
import Foundation

/// View models of the actions' pages: the list with its filters, one action, and the form to
/// add or edit one.
extension PlanPages {
    struct ActionRow: Sendable {
        let id: String
        let title: String
        let goal: String
        let pathway: String
        let level: String
        let strand: String
        let owner: String
        let lead: String
        let due: String
        let overdue: Bool
        let status: StatusTag
    }

    struct FactorGroup: Sendable {
        let label: String
        let id: String
        let options: [Choice]
        /// Shown open on the form when one of its factors is ticked.
        let open: Bool
    }

    struct ActionsPage: Sendable {
        let rows: [ActionRow]
        let empty: Bool
        let filtered: Bool
        let goals: [Choice]
        let agencies: [Choice]
        let strands: [Choice]
        let statuses: [Choice]
        let factorGroups: [FactorGroup]
        let pathways: [Choice]
        let levels: [Choice]
        let sorts: [Choice]
        let overdue: Bool
        let canEdit: Bool
        let newHref: String
        let pagination: Pagination
    }

    static func row(_ action: PlanAction, names: PlanService.Names, today: CalendarDate) -> ActionRow {
        ActionRow(id: action.id?.uuidString ?? "", title: action.title, goal: names.goals[action.goalID] ?? "", pathway: action.actionPathway.shortLabel,
                  level: action.actionLevel.label, strand: action.actionStrand.label, owner: names.agencies[action.ownerAgencyID] ?? "", lead: action.lead,
                  due: Format.day(action.dueOn), overdue: action.isOverdue(on: today), status: StatusTag(action.actionStatus))
    }

    /// The framework's factors as checkbox or option groups, `selected` ticked.
    static func factorGroups(selected: Set<String>) -> [FactorGroup] {
        FrameworkGroup.allCases.map { group in
            let factors = Framework.all.filter { $0.group == group }
            return FactorGroup(label: group.label, id: "factors-" + group.rawValue.replacingOccurrences(of: "_", with: "-"),
                               options: factors.map { Choice(value: $0.key, label: $0.name, selected: selected.contains($0.key), hint: $0.wording) },
                               open: factors.contains { selected.contains($0.key) })
        }
    }

    static func choices<T: CaseIterable & RawRepresentable>(_ type: T.Type, selected: String?, label: (T) -> String) -> [Choice] where T.RawValue == String {
        T.allCases.map { Choice(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected) }
    }

    // MARK: One action

    struct FactorView: Sendable {
        let group: String
        let name: String
        let wording: String
    }

    struct UpdateView: Sendable {
        let status: StatusTag
        let note: String
        let by: String
        let when: String
    }

    struct ActionPage: Sendable {
        let id: String
        let title: String
        let description: String?
        let goal: String
        let goalHref: String
        let pathway: String
        let level: String
        let strand: String
        let owner: String
        let lead: String
        let starts: String
        let due: String
        let overdue: Bool
        let status: StatusTag
        let livedExperience: String?
        let factors: [FactorView]
        let noFactors: Bool
        /// The self-assessment round whose gap it answers.
        let assessment: SourceRound?
        let updates: [UpdateView]
        let noUpdates: Bool
        let canEdit: Bool
        let isDone: Bool
        let editHref: String
        let updateAction: String
        let statuses: [Choice]
        let note: String
        let cellHref: String
    }

    static func actionPage(_ d: PlanService.ActionDetail, canEdit: Bool, today: CalendarDate, typed: (status: String, note: String) = ("", "")) -> ActionPage {
        let a = d.action
        let id = a.id ?? UUID()
        return ActionPage(
            id: id.uuidString, title: a.title, description: a.actionDescription.isEmpty ? nil : a.actionDescription, goal: d.goal?.title ?? "",
            goalHref: PlanRoute.actions.path(query: [("goal", a.goalID.uuidString)]), pathway: a.actionPathway.label, level: a.actionLevel.label,
            strand: a.actionStrand.label, owner: d.owner?.name ?? "", lead: a.lead, starts: Format.day(a.startsOn), due: Format.day(a.dueOn),
            overdue: a.isOverdue(on: today), status: StatusTag(a.actionStatus), livedExperience: a.livedExperience.isEmpty ? nil : a.livedExperience,
            factors: d.factors.map { FactorView(group: $0.group.label, name: $0.name, wording: $0.wording) }, noFactors: d.factors.isEmpty,
            assessment: d.assessment.map { SourceRound(id: $0.id.uuidString, name: $0.name, href: AssessmentRoute.round(.value($0.id)).path) },
            updates: d.updates.map { UpdateView(status: StatusTag($0.update.updateStatus), note: $0.update.note, by: $0.recordedBy, when: Format.dateTime($0.update.recordedAt)) },
            noUpdates: d.updates.isEmpty, canEdit: canEdit, isDone: a.actionStatus == .done, editHref: PlanRoute.editAction(.value(id)).path,
            updateAction: PlanRoute.recordUpdate(.value(id)).path,
            statuses: choices(ActionStatus.self, selected: typed.status.isEmpty ? a.status : typed.status) { $0.label }, note: typed.note,
            cellHref: PlanRoute.actions.path(query: [("pathway", a.pathway), ("level", a.level)]))
    }

    // MARK: The form

    struct ActionFormPage: Sendable, DateFieldPage {
        let heading: String
        let action: String
        let isNew: Bool
        let button: String
        let cancelHref: String
        let input: PlanService.ActionInput
        let goals: [Choice]
        let noGoals: Bool
        let pathways: [Choice]
        let levels: [Choice]
        let strands: [Choice]
        let statuses: [Choice]
        let agencies: [Choice]
        let factorGroups: [FactorGroup]
        /// The self-assessment round a new action answers a gap in (from its heat map).
        let assessment: SourceRound?
        var dates: [String: DateField]
    }

    struct SourceRound: Sendable {
        let id: String
        let name: String
        let href: String
    }

    static func actionFormPage(_ input: PlanService.ActionInput, editing id: UUID?, goals: [PlanGoal], agencies: [Agency], today: CalendarDate,
                               round: (id: UUID, name: String)? = nil) -> ActionFormPage {
        let example = DateField.example(today)
        return ActionFormPage(
            heading: id == nil ? "Add an action" : "Edit the action", action: id.map { PlanRoute.updateAction(.value($0)).path } ?? PlanRoute.createAction.path,
            isNew: id == nil, button: id == nil ? "Add the action" : "Save changes",
            cancelHref: id.map { PlanRoute.action(.value($0)).path } ?? PlanRoute.matrix.path, input: input,
            goals: goals.map { Choice(value: $0.id?.uuidString ?? "", label: $0.title, selected: $0.id?.uuidString == input.goalID.uppercased()) },
            noGoals: goals.isEmpty,
            pathways: choices(PreventionPathway.self, selected: input.pathway) { $0.label },
            levels: choices(PreventionLevel.self, selected: input.level) { $0.label },
            strands: choices(PlanStrand.self, selected: input.strand) { $0.label },
            statuses: choices(ActionStatus.self, selected: input.status.isEmpty ? ActionStatus.notStarted.rawValue : input.status) { $0.label },
            agencies: agencies.map { Choice(value: $0.id?.uuidString ?? "", label: $0.name, selected: $0.id?.uuidString == input.ownerAgencyID.uppercased()) },
            factorGroups: factorGroups(selected: Set(input.factors)),
            assessment: round.map { SourceRound(id: $0.id.uuidString, name: $0.name, href: AssessmentRoute.round(.value($0.id)).path) },
            dates: ["startsOn": DateField("startsOn", legend: "Start date", hint: example, value: input.startsOn),
                    "dueOn": DateField("dueOn", legend: "Due date", hint: "The same as or after the start date. " + example, value: input.dueOn)])
    }
}
