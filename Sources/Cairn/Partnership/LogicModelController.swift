import CairnCore
import Foundation
import Hummingbird

/// Each goal's logic model as a page: activities → outputs → outcomes, each step with the
/// indicators measuring it. Coordinators and administrators add and remove steps and say which
/// indicator measures which. Everything goes through `IndicatorService`.
struct LogicModelController {
    let indicators: IndicatorService
    let views: Views

    struct StepRow: Sendable {
        let id: String
        let text: String
        let indicators: [Choice]
        let unmeasured: Bool
        let removeHref: String
    }

    struct StageColumn: Sendable {
        let label: String
        let steps: [StepRow]
        let empty: Bool
    }

    struct GoalBlock: Sendable {
        let id: String
        let title: String
        let stages: [StageColumn]
    }

    struct Page: Sendable {
        let goals: [GoalBlock]
        let noGoals: Bool
        let canEdit: Bool
        let goalChoices: [Choice]
        let stageChoices: [Choice]
        let indicatorChoices: [Choice]
        let text: String
        let planHref: String
    }

    struct StepForm: FormInput {
        let goal: String?
        let stage: String?
        let text: String?
    }

    struct MeasureForm: FormInput {
        let step: String?
        let indicator: String?
    }

    struct RemoveForm: FormInput {
        let step: String?
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(PlanIndicatorRoute.logicModel, table: table) { request, context, identity in
            try views.render("partnership/logic-model", try await page(identity: identity, typed: nil), title: "Logic model", request: request, context: context)
        }
        router.add(PlanIndicatorRoute.addStep, table: table) { request, context, identity in
            let form = try await StepForm.read(request)
            do {
                try await indicators.addStep(goal: form.goal ?? "", stage: form.stage ?? "", text: form.text ?? "", identity: identity, address: context.clientAddress)
                return .seeOther(PlanIndicatorRoute.logicModel.path(fragment: "goal-\(form.goal ?? "")"), flash: "Step added to the logic model.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("partnership/logic-model", try await page(identity: identity, typed: form), title: "Logic model", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(PlanIndicatorRoute.measureStep, table: table) { request, context, identity in
            let form = try await MeasureForm.read(request)
            do {
                try await indicators.measure(step: form.step ?? "", key: form.indicator ?? "", identity: identity, address: context.clientAddress)
                return .seeOther(PlanIndicatorRoute.logicModel.path, flash: "The indicator now measures that step.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("partnership/logic-model", try await page(identity: identity, typed: nil), title: "Logic model", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(PlanIndicatorRoute.confirmRemoveStep, table: table) { request, context, identity in
            let step = request.query("step")
            let model = try await indicators.logicModel(identity: identity)
            guard let found = model.flatMap(\.steps).first(where: { $0.id.uuidString == step }) else {
                return .seeOther(PlanIndicatorRoute.logicModel.path, flash: "That step is not in the logic model (it may have been removed already).")
            }
            let page = ConfirmPage(heading: "Remove this step?", body: "“\(found.text)” will be removed from the logic model. Indicators measuring it are kept.",
                                                       action: PlanIndicatorRoute.removeStep.path(query: [("step", step)]), button: "Remove step",
                                                       cancel: PlanIndicatorRoute.logicModel.path, warning: true)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(PlanIndicatorRoute.removeStep, table: table) { request, context, identity in
            let step = request.query("step")
            try await indicators.removeStep(step, identity: identity, address: context.clientAddress)
            return .seeOther(PlanIndicatorRoute.logicModel.path, flash: "Step removed.")
        }
    }

    func page(identity: Identity, typed: StepForm?) async throws -> Page {
        let model = try await indicators.logicModel(identity: identity)
        let all = try await indicators.list(identity: identity)
        return Page(
            goals: model.map { goal in
                GoalBlock(id: goal.id.uuidString, title: goal.title, stages: LogicStage.allCases.map { stage in
                    let steps = goal.steps.filter { $0.stage == stage }.map { step in
                        StepRow(id: step.id.uuidString, text: step.text,
                                indicators: step.indicators.map { Choice(value: PlanIndicatorRoute.show(.value($0.key)).path, label: $0.name, selected: false) },
                                unmeasured: step.indicators.isEmpty,
                                removeHref: PlanIndicatorRoute.confirmRemoveStep.path(query: [("step", step.id.uuidString)]))
                    }
                    return StageColumn(label: stage.label, steps: steps, empty: steps.isEmpty)
                })
            },
            noGoals: model.isEmpty, canEdit: identity.can(.editPartnership),
            goalChoices: model.map { Choice(value: $0.id.uuidString, label: $0.title, selected: $0.id.uuidString == typed?.goal) },
            stageChoices: LogicStage.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == typed?.stage) },
            indicatorChoices: all.map { Choice(value: $0.key, label: $0.name, selected: false) },
            text: typed?.text ?? "", planHref: "/plan")
    }
}
