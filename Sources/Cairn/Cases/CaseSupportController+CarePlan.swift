import CairnCore
import Foundation
import Hummingbird

/// Needs and the care plan: the page, assessing a need, and adding a task.
extension CaseSupportController {
    func addCarePlanRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/cases/:id/care-plan", .workCases, table: table) { request, context in
            let c = try await viewedCase(context, section: "care plan")
            return try views.render("cases/care-plan", try await carePlanPage(c), title: "Care plan · \(c.record.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/needs", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let data = try await FormData.read(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                let need = try await support.assessNeed(c, domain: data["domain"] ?? "", urgency: data["urgency"] ?? "", priority: data["survivorPriority"] ?? "",
                                                        note: data["note"] ?? "", address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/care-plan", flash: "\(need.needDomain.label): need recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/care-plan", try await carePlanPage(c), title: "Care plan · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(.post, "/cases/:id/tasks", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(Self.taskDateRules)
            let input = CaseSupportService.TaskInput(need: data["need"] ?? "", title: data["title"] ?? "", detail: data["detail"] ?? "",
                                                     agencyID: data["agencyID"] ?? "", dueOn: data["dueOn"] ?? "")
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                _ = try await support.addTask(c, input, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/care-plan", flash: "Task added. The agency sees it in its task inbox.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/care-plan", try await carePlanPage(c, task: input), title: "Care plan · \(c.record.code)", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
    }
}
