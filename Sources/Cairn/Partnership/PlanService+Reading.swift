import CairnCore
import FluentKit
import FluentSQL
import Foundation

/// Reading the plan: the action list with its filters, the pathway × level matrix, and what
/// the coordinator's home page shows.
extension PlanService {
    enum Sort: String, CaseIterable, Sendable {
        case due, status, updated, title

        var label: String {
            switch self {
            case .due: "Due soonest"
            case .status: "Needing attention first"
            case .updated: "Recently updated"
            case .title: "Title"
            }
        }
    }

    /// The list's filters (every one optional), order and page.
    struct ActionQuery: Sendable {
        var goalID: UUID?
        var ownerAgencyID: UUID?
        var strand: PlanStrand?
        var status: ActionStatus?
        /// A framework factor key (`Framework.factor`).
        var factor: String?
        var pathway: PreventionPathway?
        var level: PreventionLevel?
        /// Past the due date and not done.
        var overdue = false
        var sort = Sort.due
        var page = 1
        var perPage = 25
    }

    /// One page of the actions the query finds, and how many it finds in all.
    func actions(_ q: ActionQuery, identity: Identity, today: CalendarDate = PlanService.today()) async throws -> (actions: [PlanAction], total: Int) {
        try require(identity, .viewPartnership)
        var query = PlanAction.query(on: db)
        if let goal = q.goalID { query = query.filter(\.$goalID == goal) }
        if let owner = q.ownerAgencyID { query = query.filter(\.$ownerAgencyID == owner) }
        if let strand = q.strand { query = query.filter(\.$strand == strand.rawValue) }
        if let status = q.status { query = query.filter(\.$status == status.rawValue) }
        if let pathway = q.pathway { query = query.filter(\.$pathway == pathway.rawValue) }
        if let level = q.level { query = query.filter(\.$level == level.rawValue) }
        if let factor = q.factor {
            let ids = try await PlanActionFactor.query(on: db).filter(\.$factor == factor).all().map(\.actionID)
            query = query.filter(\.$id ~~ ids)
        }
        if q.overdue { query = query.filter(\.$status != ActionStatus.done.rawValue).filter(\.$dueOn < today.description) }
        let total = try await query.copy().count()
        switch q.sort {
        case .due: query = query.sort(\.$dueOn).sort(\.$title)
        case .status:
            // A constant expression: no input reaches it.
            query = query.sort(.sql(unsafeRaw: "CASE status WHEN 'off_track' THEN 0 WHEN 'at_risk' THEN 1 WHEN 'on_track' THEN 2 WHEN 'not_started' THEN 3 ELSE 4 END"),
                               .ascending).sort(\.$dueOn)
        case .updated: query = query.sort(\.$updatedAt, .descending)
        case .title: query = query.sort(\.$title).sort(\.$dueOn)
        }
        return (try await query.range(Pagination.rows(page: q.page, perPage: q.perPage)).all(), total)
    }

    /// The names lists show for goals and agencies, by id.
    struct Names: Sendable {
        let goals: [UUID: String]
        let agencies: [UUID: String]

        init(goals: [PlanGoal], agencies: [Agency]) {
            self.goals = Dictionary(goals.compactMap { g in g.id.map { ($0, g.title) } }, uniquingKeysWith: { first, _ in first })
            self.agencies = Dictionary(agencies.compactMap { a in a.id.map { ($0, a.name) } }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The factor keys of each of `actions`, in the framework's order.
    func factorKeys(of actions: [PlanAction]) async throws -> [UUID: [String]] {
        let ids = actions.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        var found: [UUID: Set<String>] = [:]
        for chunk in SQLRows.chunks(ids) {
            for row in try await PlanActionFactor.query(on: db).filter(\.$actionID ~~ chunk).all() { found[row.actionID, default: []].insert(row.factor) }
        }
        return found.mapValues { keys in Framework.all.map(\.key).filter(keys.contains) }
    }

    /// The plan as pathway × level, for all goals or one.
    func matrix(goalID: UUID? = nil, identity: Identity) async throws -> PlanMatrix {
        try require(identity, .viewPartnership)
        var query = PlanAction.query(on: db).field(\.$id).field(\.$pathway).field(\.$level).field(\.$status)
        if let goalID { query = query.filter(\.$goalID == goalID) }
        return PlanMatrix(try await query.all().map { ($0.actionPathway, $0.actionLevel, $0.actionStatus) })
    }

    /// What the coordinator's home page shows: actions at risk or off track, and actions past
    /// their due date and not done (each most urgent first, at most `limit`), with counts.
    struct Attention: Sendable {
        let concerns: [PlanAction]
        let concernCount: Int
        let overdue: [PlanAction]
        let overdueCount: Int
    }

    func attention(identity: Identity, today: CalendarDate = PlanService.today(), limit: Int = 5) async throws -> Attention {
        try require(identity, .editPartnership)
        let concerns = PlanAction.query(on: db).filter(\.$status ~~ [ActionStatus.offTrack.rawValue, ActionStatus.atRisk.rawValue])
        let overdue = PlanAction.query(on: db).filter(\.$status != ActionStatus.done.rawValue).filter(\.$dueOn < today.description)
        return Attention(
            concerns: try await concerns.copy().sort(.sql(unsafeRaw: "CASE status WHEN 'off_track' THEN 0 ELSE 1 END"), .ascending).sort(\.$dueOn)
                .limit(limit).all(),
            concernCount: try await concerns.count(),
            overdue: try await overdue.copy().sort(\.$dueOn).limit(limit).all(),
            overdueCount: try await overdue.count())
    }
}
