import CairnCore
import Foundation
import Hummingbird

/// Needs and the care plan: the page, assessing a need, and adding a task.
extension CaseSupportController {
    func addCarePlanRoutes(to router: AppRouter, table: RouteTable) {
        router.add(CaseSupportRoute.carePlan(.key), table: table) { request, context, identity in
            let c = try await viewedCase(context, identity, section: "care plan")
            return try views.render("cases/care-plan", try await carePlanPage(c), title: "Care plan · \(c.record.code)", request: request, context: context)
        }
        router.add(CaseSupportRoute.assessNeed(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let form = try await NeedForm.read(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                let need = try await support.assessNeed(c, domain: form.domain ?? "", urgency: form.urgency ?? "", priority: form.survivorPriority ?? "",
                                                        note: form.note ?? "", address: context.clientAddress)
                return .seeOther(CaseSupportRoute.carePlan(.value(id)).path, flash: "\(need.needDomain.label): need recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/care-plan", try await carePlanPage(c), title: "Care plan · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(CaseSupportRoute.addTask(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let (form, dates) = try await CareTaskForm.readWithDates(request)
            let input = form.input
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                _ = try await support.addTask(c, input, address: context.clientAddress)
                return .seeOther(CaseSupportRoute.carePlan(.value(id)).path, flash: "Task added. The agency sees it in its task inbox.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/care-plan", try await carePlanPage(c, task: input), title: "Care plan · \(c.record.code)", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
    }
}
