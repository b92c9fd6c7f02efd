import CairnCore
import FluentKit
import Foundation

/// What is waiting in casework, for the work queue: warnings and updates on the cases the
/// person is on the team of, the care-plan tasks given to their agency (while the survivor's
/// consent stands), and tasks on their cases that partner agencies have let become overdue.
/// Only a case team sees a case, and only an owning agency sees its task.
extension CaseSupportService: WorkSource {
    func work(for identity: Identity, context: WorkContext) async throws -> [WorkItem] {
        var items: [WorkItem] = []
        let today = Self.today(context.now)
        if identity.can(.workCases) {
            let teamCaseIDs = Set(try await CaseTeamMember.query(on: db).filter(\.$userID == identity.userID).all().map(\.caseID))
            for alert in try await alerts(identity: identity) where teamCaseIDs.contains(alert.caseID) {
                items.append(WorkItem(.caseUpdate, title: alert.message, href: CaseRoute.show(.value(alert.caseID)).path, since: alert.createdAt))
            }
            if !teamCaseIDs.isEmpty {
                let open = try await SupportCase.query(on: db).filter(\.$id ~~ teamCaseIDs).filter(\.$status != CaseStatus.closed.rawValue).all()
                let byID = Dictionary(uniqueKeysWithValues: try open.map { (try $0.requireID(), $0) })
                let tasks = try await CareTask.query(on: db).filter(\.$caseID ~~ Set(byID.keys))
                    .filter(\.$status ~~ CarePlanTaskStatus.allCases.filter(\.isOpen).map(\.rawValue)).all()
                let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).filter(\.$id ~~ Set(tasks.map(\.agencyID))).all()
                    .map { (try $0.requireID(), $0.name) })
                for task in tasks where task.agencyID != identity.agencyID && task.core.isOverdue(on: today) {
                    guard let record = byID[task.caseID] else { continue }
                    items.append(WorkItem(.partnerTask, title: "\(record.code) · \(task.title)",
                                          detail: "With \(agencies[task.agencyID] ?? "a partner agency"): \(task.taskStatus.label.lowercased()).",
                                          href: CaseSupportRoute.carePlan(.value(task.caseID)).path, due: Self.endOfDay(task.dueOn), overdue: true))
                }
            }
        }
        if identity.can(.workCareTasks) {
            for (task, record) in try await agencyTasks(identity: identity, now: context.now) {
                let language = record.contactLanguage
                items.append(WorkItem(.agencyTask, title: task.title,
                                      detail: "For \(record.chosenName) (\(record.code)) · \(task.needDomain.label)\(language.isEmpty ? "" : " · \(language)")",
                                      href: CaseSupportRoute.task(.value(try task.requireID())).path, due: Self.endOfDay(task.dueOn),
                                      overdue: task.core.isOverdue(on: today), since: task.createdAt))
            }
        }
        return items
    }

    /// The last moment of a `yyyy-MM-dd` day in London: a task due on a day is due by its end.
    static func endOfDay(_ text: String?) -> Date? {
        guard let text, let day = try? CalendarDate(parsing: text) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london
        let next = day.adding(days: 1)
        guard let start = calendar.date(from: DateComponents(year: next.year, month: next.month, day: next.day)) else { return nil }
        return start.addingTimeInterval(-1)
    }
}
