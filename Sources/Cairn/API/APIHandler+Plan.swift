import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// The partnership plan: goals, actions (list with filters, create, read) and status updates,
/// through the same `PlanService` checks and audit as the plan's pages.
extension APIHandler {
    static func planGoal(_ row: PlanService.GoalRow) throws -> Components.Schemas.PlanGoal {
        .init(id: try row.goal.requireID().uuidString, title: row.goal.title, description: row.goal.goalDescription, position: row.goal.position,
              actions: row.actions, needingAttention: row.needingAttention, done: row.done)
    }

    static func planAction(_ a: PlanAction, goal: String, owner: String, factors: [String], updates: [(update: PlanActionUpdate, recordedBy: String)]?,
                           today: CalendarDate) throws -> Components.Schemas.PlanAction {
        .init(id: try a.requireID().uuidString, goalId: a.goalID.uuidString, goalTitle: goal, title: a.title, description: a.actionDescription,
              pathway: try APIEnum.map(a.pathway), level: try APIEnum.map(a.level), strand: try APIEnum.map(a.strand),
              factors: try factors.compactMap(Framework.factor).map { f in
                  .init(key: f.key, group: try APIEnum.map(f.group.rawValue), name: f.name, wording: f.wording)
              },
              ownerAgencyId: a.ownerAgencyID.uuidString, ownerAgencyName: owner, lead: a.lead, startsOn: a.startsOn, dueOn: a.dueOn,
              status: try APIEnum.map(a.status), overdue: a.isOverdue(on: today), livedExperience: a.livedExperience,
              assessmentRoundId: a.assessmentRoundID?.uuidString, createdAt: a.createdAt, updatedAt: a.updatedAt,
              updates: try updates?.map { u in
                  .init(id: try u.update.requireID().uuidString, status: try APIEnum.map(u.update.status), note: u.update.note,
                        recordedBy: u.recordedBy, recordedAt: u.update.recordedAt)
              })
    }

    /// One action as the API gives it: with its updates.
    func planActionDetail(_ id: UUID, identity: Identity) async throws -> Components.Schemas.PlanAction {
        let d = try await services.plan.action(id, identity: identity)
        return try Self.planAction(d.action, goal: d.goal?.title ?? "", owner: d.owner?.name ?? "", factors: d.factors.map(\.key),
                                   updates: d.updates, today: PlanService.today())
    }

    func listPlanGoals(_ input: Operations.ListPlanGoals.Input) async throws -> Operations.ListPlanGoals.Output {
        let (identity, _) = try APIRequest.authorize(.listPlanGoals)
        return .ok(.init(body: .json(.init(items: try await services.plan.goalRows(identity: identity).map(Self.planGoal)))))
    }

    func createPlanGoal(_ input: Operations.CreatePlanGoal.Input) async throws -> Operations.CreatePlanGoal.Output {
        let (identity, context) = try APIRequest.authorize(.createPlanGoal)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the goal as JSON.") }
        let goal = try await services.plan.createGoal(.init(title: body.title, description: body.description ?? "", position: body.position.map(String.init) ?? ""),
                                                      identity: identity, address: context.clientAddress)
        let row = try await services.plan.goalRows(identity: identity).first { $0.goal.id == goal.id }
        return .created(.init(body: .json(try Self.planGoal(row ?? .init(goal: goal, actions: 0, needingAttention: 0, done: 0)))))
    }

    func listPlanActions(_ input: Operations.ListPlanActions.Input) async throws -> Operations.ListPlanActions.Output {
        let (identity, _) = try APIRequest.authorize(.listPlanActions)
        let query = input.query
        var q = PlanService.ActionQuery()
        func id(_ text: String?, _ name: String) throws -> UUID? {
            guard let text else { return nil }
            guard let id = UUID(uuidString: text) else { throw AppError.badRequest("Query parameter '\(name)' is not a valid id.") }
            return id
        }
        q.goalID = try id(query.goalId, "goalId")
        q.ownerAgencyID = try id(query.ownerAgencyId, "ownerAgencyId")
        q.strand = query.strand.flatMap { PlanStrand(rawValue: $0.rawValue) }
        q.status = query.status.flatMap { ActionStatus(rawValue: $0.rawValue) }
        q.pathway = query.pathway.flatMap { PreventionPathway(rawValue: $0.rawValue) }
        q.level = query.level.flatMap { PreventionLevel(rawValue: $0.rawValue) }
        if let factor = query.factor {
            guard let known = Framework.factor(factor) else {
                throw AppError.badRequest("Query parameter 'factor' is not a framework factor's key (such as local.partnerships).")
            }
            q.factor = known.key
        }
        q.overdue = query.overdue ?? false
        q.sort = PlanService.Sort(rawValue: query.sort?.rawValue ?? "due") ?? .due
        q.page = query.page ?? 1
        q.perPage = query.perPage ?? 50
        guard q.page >= 1, q.page <= 100_000 else { throw AppError.badRequest("Query parameter 'page' must be 1 or more.") }
        guard (1...200).contains(q.perPage) else { throw AppError.badRequest("Query parameter 'perPage' must be from 1 to 200.") }
        let today = PlanService.today()
        let (actions, total) = try await services.plan.actions(q, identity: identity, today: today)
        let factors = try await services.plan.factorKeys(of: actions)
        let names = PlanService.Names(goals: try await services.plan.goals(identity: identity), agencies: try await accounts.agencies())
        return .ok(.init(body: .json(.init(
            items: try actions.map { a in
                try Self.planAction(a, goal: names.goals[a.goalID] ?? "", owner: names.agencies[a.ownerAgencyID] ?? "",
                                    factors: a.id.flatMap { factors[$0] } ?? [], updates: nil, today: today)
            },
            total: total, page: q.page, perPage: q.perPage))))
    }

    func createPlanAction(_ input: Operations.CreatePlanAction.Input) async throws -> Operations.CreatePlanAction.Output {
        let (identity, context) = try APIRequest.authorize(.createPlanAction)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the action as JSON.") }
        let action = try await services.plan.createAction(
            .init(goalID: body.goalId, title: body.title, description: body.description ?? "", pathway: body.pathway.rawValue, level: body.level.rawValue,
                  strand: body.strand.rawValue, factors: body.factors ?? [], ownerAgencyID: body.ownerAgencyId, lead: body.lead,
                  startsOn: body.startsOn, dueOn: body.dueOn, status: body.status?.rawValue ?? "", livedExperience: body.livedExperience ?? "",
                  assessmentRoundID: body.assessmentRoundId ?? ""),
            identity: identity, address: context.clientAddress)
        return .created(.init(body: .json(try await planActionDetail(try action.requireID(), identity: identity))))
    }

    func getPlanAction(_ input: Operations.GetPlanAction.Input) async throws -> Operations.GetPlanAction.Output {
        let (identity, _) = try APIRequest.authorize(.getPlanAction)
        return .ok(.init(body: .json(try await planActionDetail(try Self.uuid(input.path.actionId, "action"), identity: identity))))
    }

    func recordPlanActionUpdate(_ input: Operations.RecordPlanActionUpdate.Input) async throws -> Operations.RecordPlanActionUpdate.Output {
        let (identity, context) = try APIRequest.authorize(.recordPlanActionUpdate)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the update as JSON.") }
        let id = try Self.uuid(input.path.actionId, "action")
        try await services.plan.recordUpdate(id, status: body.status.rawValue, note: body.note, identity: identity, address: context.clientAddress)
        return .created(.init(body: .json(try await planActionDetail(id, identity: identity))))
    }
}
