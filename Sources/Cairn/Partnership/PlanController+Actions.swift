import CairnCore
import Foundation
import Hummingbird

/// The actions' pages: the list with its filters (held in the URL), the form to add or edit an
/// action, one action with its updates, and recording an update.
extension PlanController {
    func addActionRoutes(to router: AppRouter, table: RouteTable) {
        router.add(PlanRoute.actions, table: table) { request, context, identity in
            let (q, errors) = Self.query(request)
            let today = PlanService.today()
            let (actions, total) = try await plan.actions(q, identity: identity, today: today)
            let goals = try await plan.goals(identity: identity)
            let agencies = try await services.accounts.agencies()
            let names = PlanService.Names(goals: goals, agencies: agencies)
            let items = Self.queryItems(q)
            let page = PlanPages.ActionsPage(
                rows: actions.map { PlanPages.row($0, names: names, today: today) }, empty: actions.isEmpty,
                filtered: items.contains { $0.0 != "sort" && !$0.1.isEmpty },
                goals: goals.map { Choice(value: $0.id?.uuidString ?? "", label: $0.title, selected: $0.id != nil && $0.id == q.goalID) },
                agencies: agencies.map { Choice(value: $0.id?.uuidString ?? "", label: $0.name, selected: $0.id != nil && $0.id == q.ownerAgencyID) },
                strands: PlanPages.choices(PlanStrand.self, selected: q.strand?.rawValue) { $0.label },
                statuses: PlanPages.choices(ActionStatus.self, selected: q.status?.rawValue) { $0.label },
                factorGroups: PlanPages.factorGroups(selected: Set(q.factor.map { [$0] } ?? [])),
                pathways: PlanPages.choices(PreventionPathway.self, selected: q.pathway?.rawValue) { $0.label },
                levels: PlanPages.choices(PreventionLevel.self, selected: q.level?.rawValue) { $0.label },
                sorts: PlanPages.choices(PlanService.Sort.self, selected: q.sort.rawValue) { $0.label }, overdue: q.overdue,
                canEdit: identity.can(.editPartnership),
                newHref: PlanRoute.newAction.path(query: [("pathway", q.pathway?.rawValue ?? ""), ("level", q.level?.rawValue ?? ""),
                                                          ("goal", q.goalID?.uuidString ?? "")]),
                pagination: Pagination(page: q.page, perPage: q.perPage, total: total, path: PlanRoute.actions.path, query: items))
            return try views.render("partnership/plan-actions", page, title: "Plan actions", request: request, context: context,
                                    errors: errors, status: errors.isEmpty ? .ok : .badRequest)
        }
        router.add(PlanRoute.newAction, table: table) { request, context, identity in
            var input = PlanService.ActionInput()
            // The matrix's "Add an action here" fills in its cell (and goal); anything else is left for the person.
            input.pathway = PreventionPathway(rawValue: request.query("pathway"))?.rawValue ?? ""
            input.level = PreventionLevel(rawValue: request.query("level"))?.rawValue ?? ""
            input.goalID = UUID(uuidString: request.query("goal"))?.uuidString ?? ""
            // A self-assessment's heat map sends a low-rated factor with a suggested title and its round.
            if let factor = Framework.factor(request.query("factor")) { input.factors = [factor.key] }
            input.title = String(request.query("title").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
            input.assessmentRoundID = UUID(uuidString: request.query("assessment"))?.uuidString ?? ""
            return try await actionForm(request, context, identity, input: input, editing: nil)
        }
        router.add(PlanRoute.createAction, table: table) { request, context, identity in
            let (form, dates) = try await ActionForm.readWithDates(request)
            let input = form.input
            do {
                let action = try await plan.createAction(input, identity: identity, address: context.clientAddress)
                return .seeOther(PlanRoute.action(.value(try action.requireID())).path, flash: "Action added to the plan.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await actionForm(request, context, identity, input: input, editing: nil, errors: Self.merge(error.fieldErrors, dates), dates: dates)
            }
        }
        router.add(PlanRoute.action(.key), table: table) { request, context, identity in
            try await actionPage(request, context, identity, id: try context.id(.actionId, "action"))
        }
        router.add(PlanRoute.editAction(.key), table: table) { request, context, identity in
            let d = try await plan.action(try context.id(.actionId, "action"), identity: identity)
            let a = d.action
            let input = PlanService.ActionInput(
                goalID: a.goalID.uuidString, title: a.title, description: a.actionDescription, pathway: a.pathway, level: a.level, strand: a.strand,
                factors: d.factors.map(\.key), ownerAgencyID: a.ownerAgencyID.uuidString, lead: a.lead, startsOn: a.startsOn, dueOn: a.dueOn,
                status: a.status, livedExperience: a.livedExperience)
            return try await actionForm(request, context, identity, input: input, editing: try a.requireID())
        }
        router.add(PlanRoute.updateAction(.key), table: table) { request, context, identity in
            let id = try context.id(.actionId, "action")
            let (form, dates) = try await ActionForm.readWithDates(request)
            let input = form.input
            do {
                try await plan.updateAction(id, input, identity: identity, address: context.clientAddress)
                return .seeOther(PlanRoute.action(.value(id)).path, flash: "Action saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                _ = try await plan.action(id, identity: identity)  // a page for an action that exists
                return try await actionForm(request, context, identity, input: input, editing: id, errors: Self.merge(error.fieldErrors, dates), dates: dates)
            }
        }
        router.add(PlanRoute.recordUpdate(.key), table: table) { request, context, identity in
            let id = try context.id(.actionId, "action")
            let form = try await ActionUpdateForm.read(request)
            do {
                try await plan.recordUpdate(id, status: form.status ?? "", note: form.note ?? "", identity: identity, address: context.clientAddress)
                return .seeOther(PlanRoute.action(.value(id)).path(fragment: "updates"), flash: "Update recorded.")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                return try await actionPage(request, context, identity, id: id, typed: (String((form.status ?? "").prefix(20)), form.note ?? ""),
                                            errors: error.fieldErrors.isEmpty ? [.init("status", error.detail)] : error.fieldErrors, status: error.status)
            }
        }
    }

    func actionPage(_ request: Request, _ context: CairnRequestContext, _ identity: Identity, id: UUID, typed: (String, String) = ("", ""),
                    errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let d = try await plan.action(id, identity: identity)
        return try views.render("partnership/plan-action", PlanPages.actionPage(d, canEdit: identity.can(.editPartnership), today: PlanService.today(), typed: typed),
                                title: d.action.title, request: request, context: context, errors: errors, status: status)
    }

    func actionForm(_ request: Request, _ context: CairnRequestContext, _ identity: Identity, input: PlanService.ActionInput, editing: UUID?,
                    errors: [AppError.FieldError] = [], dates: FormDates? = nil) async throws -> Response {
        let goals = try await plan.goals(identity: identity)
        let agencies = try await services.accounts.agencies()
        var round: (id: UUID, name: String)?
        if editing == nil, let id = UUID(uuidString: input.assessmentRoundID) {
            // A round that is gone is left out here; submitting names it as the problem.
            do { round = (id, try await services.assessments.round(id, identity: identity).name) }
            catch let error as AppError where error.status == .notFound {}
        }
        let page = PlanPages.actionFormPage(input, editing: editing, goals: goals, agencies: agencies, today: PlanService.today(), round: round)
        return try views.render("partnership/plan-action-form", page, title: page.heading, request: request, context: context,
                                errors: errors, status: errors.isEmpty ? .ok : .unprocessableContent, dates: dates)
    }

    /// The service's errors, with a date's own message (from its boxes) in place of the
    /// service's for the same field.
    static func merge(_ errors: [AppError.FieldError], _ dates: FormDates) -> [AppError.FieldError] {
        let own = Dictionary(dates.problems.map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
        var merged = errors.map { own[$0.field] ?? $0 }
        for problem in dates.problems where !merged.contains(where: { $0.field == problem.field }) { merged.append(problem) }
        return merged
    }

    /// The list's filters from the URL. A value that is not one of the choices is named in the
    /// errors (the page is shown with a 400) and left out of the filter.
    static func query(_ request: Request) -> (PlanService.ActionQuery, [AppError.FieldError]) {
        var q = PlanService.ActionQuery()
        var errors: [AppError.FieldError] = []
        func read<T>(_ name: String, _ parse: (String) -> T?, _ message: String) -> T? {
            let text = request.query(name)
            guard !text.isEmpty else { return nil }
            guard let value = parse(text) else { errors.append(.init(name, message)); return nil }
            return value
        }
        q.goalID = read("goal", UUID.init(uuidString:), "Choose a goal from the list")
        q.ownerAgencyID = read("agency", UUID.init(uuidString:), "Choose an owner agency from the list")
        q.strand = read("strand", PlanStrand.init(rawValue:), "Choose Pursue, Prevent, Protect or Prepare")
        q.status = read("status", ActionStatus.init(rawValue:), "Choose a status from the list")
        q.factor = read("factor", { Framework.factor($0)?.key }, "Choose a framework factor from the list")
        q.pathway = read("pathway", PreventionPathway.init(rawValue:), "Choose a prevention pathway from the list")
        q.level = read("level", PreventionLevel.init(rawValue:), "Choose a prevention level from the list")
        q.overdue = request.query("overdue") == "1"
        q.sort = read("sort", PlanService.Sort.init(rawValue:), "Choose an order from the list") ?? .due
        q.page = Pagination.pageNumber(request)
        return (q, errors)
    }

    static func queryItems(_ q: PlanService.ActionQuery) -> [(String, String)] {
        [("goal", q.goalID?.uuidString ?? ""), ("agency", q.ownerAgencyID?.uuidString ?? ""), ("strand", q.strand?.rawValue ?? ""),
         ("status", q.status?.rawValue ?? ""), ("factor", q.factor ?? ""), ("pathway", q.pathway?.rawValue ?? ""), ("level", q.level?.rawValue ?? ""),
         ("overdue", q.overdue ? "1" : ""), ("sort", q.sort == .due ? "" : q.sort.rawValue)]
    }
}
