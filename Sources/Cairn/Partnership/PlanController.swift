import CairnCore
import Foundation
import Hummingbird

/// The plan's pages (`PlanRoute`): the pathway × level matrix and the goals here, the actions
/// in `PlanController+Actions.swift`. Everything comes from `PlanService`, which checks who may
/// read and change the plan; the pages' view models are in `PlanPages*.swift`.
struct PlanController {
    let services: AppServices
    let views: Views
    var plan: PlanService { services.plan }

    /// Shares in the last twelve months that no agreement covered, and the latest closed
    /// self-assessment's gaps with how many the plan answers.
    func signals(_ identity: Identity) async throws -> [PlanPages.Signal] {
        let byKind = AgreementService.byKind(try await services.agreements.recentUncoveredCounts(identity: identity))
        let total = byKind.values.reduce(0, +)
        let kinds = ShareKind.allCases.compactMap { kind in byKind[kind].map { "\(kind.label.lowercased()) \($0)" } }
        var signals = [PlanPages.Signal(
            text: total == 0 ? "In the last twelve months every referral, shared intelligence item and case share was covered by an information-sharing agreement."
                : "In the last twelve months \(total == 1 ? "1 share" : "\(total) shares") went to an agency with no current information-sharing agreement "
                  + "covering it (\(kinds.joined(separator: ", "))).",
            href: AgreementRoute.agreements.path, linkText: "Information-sharing agreements")]
        if let results = try await services.assessments.latestClosed(before: Date(), identity: identity), let id = results.round.id {
            let latest = results.round
            let gaps = results.map.gaps
            let answered = gaps.filter { results.answeredBy[$0.factor.key] != nil }.count
            signals.append(PlanPages.Signal(
                text: gaps.isEmpty ? "The latest self-assessment, \(latest.name), found no gaps."
                    : "The latest self-assessment, \(latest.name), found \(gaps.count == 1 ? "1 gap" : "\(gaps.count) gaps"); "
                      + "\(answered) \(answered == 1 ? "is" : "are") answered by an action on the plan.",
                href: AssessmentRoute.round(.value(id)).path, linkText: "The self-assessment"))
        } else {
            signals.append(PlanPages.Signal(text: "No self-assessment round has closed yet.", href: AssessmentRoute.list.path, linkText: "Self-assessment"))
        }
        return signals
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(PlanRoute.matrix, table: table) { request, context, identity in
            let goals = try await plan.goals(identity: identity)
            var errors: [AppError.FieldError] = []
            var goal: PlanGoal?
            let goalText = request.query("goal")
            if !goalText.isEmpty {
                goal = goals.first { $0.id?.uuidString == goalText.uppercased() }
                if goal == nil { errors.append(.init("goal", "Choose a goal from the list")) }
            }
            let matrix = try await plan.matrix(goalID: goal?.id, identity: identity)
            var page = PlanPages.matrixPage(matrix, goals: goals, goal: goal, canEdit: identity.can(.editPartnership))
            page.signals = try await signals(identity)
            return try views.render("partnership/plan-matrix", page, title: "Partnership plan", request: request, context: context,
                                    errors: errors, status: errors.isEmpty ? .ok : .badRequest)
        }
        router.add(PlanRoute.goals, table: table) { request, context, identity in
            try await goalsPage(request, context, identity)
        }
        router.add(PlanRoute.createGoal, table: table) { request, context, identity in
            let form = try await GoalForm.read(request).input
            do {
                let goal = try await plan.createGoal(form, identity: identity, address: context.clientAddress)
                return .seeOther(PlanRoute.goals.path(fragment: "goal-\(try goal.requireID().uuidString)"), flash: "Goal added.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await goalsPage(request, context, identity, form: form, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(PlanRoute.editGoal(.key), table: table) { request, context, identity in
            let goal = try await plan.goal(try context.id(.goalId, "goal"), identity: identity)
            let count = try await plan.goals(identity: identity).count
            return try views.render("partnership/plan-goal-form", PlanPages.goalFormPage(goal, count: count), title: "Edit the goal",
                                    request: request, context: context)
        }
        router.add(PlanRoute.updateGoal(.key), table: table) { request, context, identity in
            let id = try context.id(.goalId, "goal")
            let form = try await GoalForm.read(request).input
            do {
                _ = try await plan.updateGoal(id, form, identity: identity, address: context.clientAddress)
                return .seeOther(PlanRoute.goals.path(fragment: "goal-\(id.uuidString)"), flash: "Goal saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let goal = try await plan.goal(id, identity: identity)
                let count = try await plan.goals(identity: identity).count
                return try views.render("partnership/plan-goal-form", PlanPages.goalFormPage(goal, form: form, count: count), title: "Edit the goal",
                                        request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        addActionRoutes(to: router, table: table)
    }

    func goalsPage(_ request: Request, _ context: CairnRequestContext, _ identity: Identity, form: PlanService.GoalInput = .init(),
                   errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let rows = try await plan.goalRows(identity: identity)
        return try views.render("partnership/plan-goals", PlanPages.goalsPage(rows, canEdit: identity.can(.editPartnership), form: form),
                                title: "Plan goals", request: request, context: context, errors: errors, status: status)
    }
}
