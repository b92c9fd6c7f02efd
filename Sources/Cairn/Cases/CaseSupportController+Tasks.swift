import CairnCore
import Foundation
import Hummingbird

/// The agency's task inbox, a task, and its updates.
extension CaseSupportController {
    func addTaskRoutes(to router: AppRouter, table: RouteTable) {
        router.add(CaseSupportRoute.taskInbox, table: table) { request, context, identity in
            let showDone = request.uri.queryParameters.get("show") == "all"
            let today = CaseSupportService.today()
            let rows = try await support.inbox(identity: identity, address: context.clientAddress, via: "web", includeDone: showDone).map { task, c in
                InboxRow(id: try task.requireID().uuidString, title: task.title, need: task.needDomain.label, caseCode: c.code, chosenName: c.chosenName,
                         language: c.interpreterNeeded ? "Interpreter: \(c.language)" : c.language, due: Format.day(task.dueOn), status: task.taskStatus.label,
                         overdue: task.core.isOverdue(on: today))
            }
            return try views.render("cases/inbox", InboxPage(rows: rows, empty: rows.isEmpty, showDone: showDone), title: "Care-plan tasks",
                                    request: request, context: context)
        }
        router.add(CaseSupportRoute.task(.key), table: table) { request, context, identity in
            let shared = try await support.sharedTask(try context.id(.taskId, "task"), identity: identity, address: context.clientAddress, via: "web")
            return try views.render("cases/task", taskPage(shared), title: shared.task.title, request: request, context: context)
        }
        router.add(CaseSupportRoute.updateTask(.key), table: table) { request, context, identity in
            let taskID = try context.id(.taskId, "task")
            let form = try await StatusUpdateForm.read(request)
            do {
                let (task, _) = try await support.updateTask(taskID, status: form.status ?? "", note: form.note ?? "", identity: identity,
                                                        address: context.clientAddress)
                return .seeOther(CaseSupportRoute.task(.value(taskID)).path, flash: "Task updated: \(task.taskStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent {
                let shared = try await support.sharedTask(taskID, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("cases/task", taskPage(shared), title: shared.task.title, request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
    }
}
