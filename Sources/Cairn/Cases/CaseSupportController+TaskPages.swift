import CairnCore
import Foundation

/// The agency's task inbox and a task's page (for the owning agency or the case team).
extension CaseSupportController {
    struct InboxRow: Sendable {
        let id: String
        let title: String
        let need: String
        let caseCode: String
        let chosenName: String
        let language: String
        let due: String
        let status: String
        let overdue: Bool
    }

    struct InboxPage: Sendable {
        let rows: [InboxRow]
        let empty: Bool
        let showDone: Bool
    }

    struct TaskPage: Sendable {
        let id: String
        let title: String
        let detail: String
        let need: String
        let caseCode: String
        let caseID: String
        let chosenName: String
        let interpreter: String
        let account: String
        let hasAccount: Bool
        let due: String
        let status: String
        let note: String
        let overdue: Bool
        let team: Bool
        let statuses: [Choice]
        // Strings are never false to a template: these say which parts to show.
        let hasDetail: Bool
        let hasNote: Bool
        let hasInterpreter: Bool
        /// Who set the task and how to reach them.
        let setBy: CaseService.Member?
    }

    func taskPage(_ shared: CaseSupportService.SharedTask) throws -> TaskPage {
        let t = shared.task
        return TaskPage(
            id: try t.requireID().uuidString, title: t.title, detail: t.detail, need: t.needDomain.label, caseCode: shared.caseCode, caseID: t.caseID.uuidString,
            chosenName: shared.chosenName,
            interpreter: SupportCase.contactLanguage(interpreterNeeded: shared.interpreterNeeded, language: shared.language),
            account: shared.account ?? "", hasAccount: shared.account != nil, due: Format.day(t.dueOn), status: t.taskStatus.label, note: t.updateNote,
            overdue: t.core.isOverdue(on: CaseSupportService.today()), team: shared.team,
            statuses: CarePlanTaskStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == t.taskStatus) },
            hasDetail: !t.detail.isEmpty, hasNote: !t.updateNote.isEmpty,
            hasInterpreter: !SupportCase.contactLanguage(interpreterNeeded: shared.interpreterNeeded, language: shared.language).isEmpty,
            setBy: shared.setBy)
    }
}
