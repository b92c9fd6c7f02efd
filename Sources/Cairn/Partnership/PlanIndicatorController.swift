import CairnCore
import Foundation
import Hummingbird

/// The plan's indicators as pages: every signed-in role reads them; coordinators and
/// administrators add the partnership's own, set baselines and targets, enter values and say
/// which actions each measures. Everything goes through `IndicatorService`.
struct PlanIndicatorController {
    let indicators: IndicatorService
    let views: Views

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(PlanIndicatorRoute.list, table: table) { request, context, identity in
            let list = try await indicators.list(identity: identity)
            return try views.render("partnership/indicators", listPage(list, identity: identity), title: "Plan indicators", request: request, context: context)
        }
        router.add(PlanIndicatorRoute.new, table: table) { request, context, _ in
            try views.render("partnership/indicator-new", NewPage(form: .init()), title: "Add an indicator", request: request, context: context)
        }
        router.add(PlanIndicatorRoute.create, table: table) { request, context, identity in
            let form = try await NewPlanIndicatorForm.read(request)
            let input = IndicatorService.NewIndicator(name: form.name ?? "", definition: form.definition ?? "", unit: form.unit ?? "",
                                                      direction: form.direction ?? "", frequency: form.frequency ?? "", source: form.source ?? "",
                                                      baseline: form.baseline ?? "", target: form.target ?? "")
            do {
                let key = try await indicators.create(input, identity: identity, address: context.clientAddress)
                return .seeOther(PlanIndicatorRoute.show(.value(key)).path, flash: "Indicator added. Enter its values as each period ends.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("partnership/indicator-new", NewPage(form: input), title: "Add an indicator", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(PlanIndicatorRoute.show(.key), table: table) { request, context, identity in
            try await show(request, context, identity: identity)
        }
        router.add(PlanIndicatorRoute.targets(.key), table: table) { request, context, identity in
            let key = try Self.key(context)
            let form = try await IndicatorTargetsForm.read(request)
            do {
                try await indicators.setTargets(key: key, baseline: form.baseline ?? "", target: form.target ?? "", identity: identity, address: context.clientAddress)
                return .seeOther(PlanIndicatorRoute.show(.value(key)).path, flash: "Baseline and target saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await show(request, context, identity: identity, errors: error.fieldErrors, typed: ["baseline": form.baseline ?? "", "target": form.target ?? ""])
            }
        }
        router.add(PlanIndicatorRoute.values(.key), table: table) { request, context, identity in
            let key = try Self.key(context)
            let form = try await IndicatorValueForm.read(request)
            do {
                try await indicators.enterValue(key: key, period: form.period ?? "", value: form.value ?? "", identity: identity, address: context.clientAddress)
                return .seeOther(PlanIndicatorRoute.show(.value(key)).path, flash: "Value saved for \(form.period ?? "").")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                return try await show(request, context, identity: identity, errors: error.fieldErrors.isEmpty ? [.init("value", error.detail)] : error.fieldErrors,
                                      status: error.status, typed: ["period": form.period ?? "", "value": form.value ?? ""])
            }
        }
        router.add(PlanIndicatorRoute.actions(.key), table: table) { request, context, identity in
            let key = try Self.key(context)
            let form = try await IndicatorActionForm.read(request)
            do {
                guard let id = form.action.flatMap(UUID.init(uuidString:)) else { throw AppError.invalid([.init("action", "Choose an action from the plan")]) }
                let measured = form.measured != "false"
                try await indicators.link(key: key, actionID: id, measured: measured, identity: identity, address: context.clientAddress)
                return .seeOther(PlanIndicatorRoute.show(.value(key)).path, flash: measured ? "Action linked to this indicator." : "Action no longer linked.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await show(request, context, identity: identity, errors: error.fieldErrors, status: error.status)
            }
        }
    }

    /// The key from the path (keys are short: a longer one is no indicator).
    static func key(_ context: CairnRequestContext) throws -> String {
        guard let key = try? context.text(.indicatorKey), key.count <= 80 else { throw AppError.notFound("indicator") }
        return key
    }

    func show(_ request: Request, _ context: CairnRequestContext, identity: Identity, errors: [AppError.FieldError] = [],
              status: HTTPResponse.Status? = nil, typed: [String: String] = [:]) async throws -> Response {
        let key = try Self.key(context)
        var problems = errors
        let months: [MonthPeriod]
        do {
            months = try IndicatorService.months(from: request.query("from"), to: request.query("to"), now: Date())
        } catch let error as AppError where error.status == .unprocessableContent {
            problems += error.fieldErrors
            months = IndicatorService.defaultMonths(now: Date())
        }
        let detail = try await indicators.detail(key: key, months: months, identity: identity)
        let choices = identity.can(.editPartnership) ? try await indicators.actionChoices() : []
        let page = showPage(detail, months: months, identity: identity, choices: choices, typed: typed,
                            from: request.query("from"), to: request.query("to"))
        return try views.render("partnership/indicator", page, title: detail.indicator.name, request: request, context: context,
                                errors: problems, status: status ?? (problems.isEmpty ? .ok : .unprocessableContent))
    }
}
