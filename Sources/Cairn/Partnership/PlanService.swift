import CairnCore
import FluentKit
import Foundation

/// The partnership's plan: shared goals, the actions towards them on the five prevention
/// pathways and four prevention levels, and each action's dated status updates. The only way
/// to the plan's tables: every signed-in person reads it (`viewPartnership`); coordinators and
/// administrators change it (`editPartnership`), and every change is written to the audit log
/// (never its wording, which is the partnership's and may name people: ids, keys and counts).
///
/// The parts: goals here, actions in `PlanService+Actions`, updates in `+Updates`, the lists,
/// matrix and home-page figures in `+Reading`.
public struct PlanService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog

    var db: any Database { database.db }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// The partnership's calendar day.
    static func today(_ now: Date = Date()) -> CalendarDate { CalendarDate(now, in: .london) }

    // MARK: Goals

    /// What a person types for a goal. `position` is where it goes (1 = first); empty keeps a
    /// goal where it is, or puts a new one last.
    struct GoalInput: Sendable {
        var title = ""
        var description = ""
        var position = ""
    }

    /// A goal with how many actions work towards it and how they stand.
    struct GoalRow: Sendable {
        let goal: PlanGoal
        let actions: Int
        let needingAttention: Int
        let done: Int
    }

    /// The goals in the partnership's order.
    func goals(identity: Identity) async throws -> [PlanGoal] {
        try require(identity, .viewPartnership)
        return try await Self.orderedGoals(on: db)
    }

    /// The goals with their actions' figures, for the goals page and the API.
    func goalRows(identity: Identity) async throws -> [GoalRow] {
        let goals = try await goals(identity: identity)
        let actions = try await PlanAction.query(on: db).field(\.$id).field(\.$goalID).field(\.$status).all()
        let byGoal = Dictionary(grouping: actions, by: \.goalID)
        return try goals.map { goal in
            let mine = byGoal[try goal.requireID()] ?? []
            return GoalRow(goal: goal, actions: mine.count, needingAttention: mine.filter(\.actionStatus.needsAttention).count,
                           done: mine.filter { $0.actionStatus == .done }.count)
        }
    }

    func goal(_ id: UUID, identity: Identity) async throws -> PlanGoal {
        try require(identity, .viewPartnership)
        guard let goal = try await PlanGoal.find(id, on: db) else { throw AppError.notFound("goal") }
        return goal
    }

    func createGoal(_ input: GoalInput, identity: Identity, address: String, now: Date = Date()) async throws -> PlanGoal {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            let goals = try await Self.orderedGoals(on: tx)
            let (title, description, position) = try Self.validate(input, count: goals.count + 1)
            let goal = PlanGoal()
            goal.id = UUID()
            goal.title = title
            goal.goalDescription = description
            goal.position = goals.count + 1
            goal.createdAt = now
            goal.updatedAt = now
            try await goal.create(on: tx)
            try await Self.place(goal, at: position ?? goal.position, among: goals + [goal], on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.goal.created", recordType: "plan_goal",
                                              recordID: try goal.requireID().uuidString, address: address, detail: "position \(goal.position)"), on: tx)
            return goal
        }
    }

    func updateGoal(_ id: UUID, _ input: GoalInput, identity: Identity, address: String, now: Date = Date()) async throws -> PlanGoal {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            let goals = try await Self.orderedGoals(on: tx)
            guard let goal = goals.first(where: { $0.id == id }) else { throw AppError.notFound("goal") }
            let (title, description, position) = try Self.validate(input, count: goals.count)
            var changed: [String] = []
            if goal.title != title { changed.append("title") }
            if goal.goalDescription != description { changed.append("description") }
            let before = goal.position
            goal.title = title
            goal.goalDescription = description
            goal.updatedAt = now
            try await goal.save(on: tx)
            try await Self.place(goal, at: position ?? goal.position, among: goals, on: tx)
            if goal.position != before { changed.append("position") }
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.goal.updated", recordType: "plan_goal", recordID: id.uuidString,
                                              address: address, detail: changed.isEmpty ? "no change" : "changed: " + changed.joined(separator: ", ")), on: tx)
            return goal
        }
    }

    static func validate(_ input: GoalInput, count: Int) throws -> (title: String, description: String, position: Int?) {
        var v = Validator()
        let title = v.text(input.title, field: "title", label: "Goal", required: false, max: 200)
        if title.isEmpty, v.message(for: "title") == nil { v.add("title", "Enter the goal") }
        let description = v.text(input.description, field: "description", label: "Description", required: false, max: 2000)
        var position: Int?
        let text = input.position.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty {
            if let number = Int(text.prefix(12)), text.count <= 12, (1...max(1, count)).contains(number) { position = number }
            else { v.add("position", "Order must be a whole number from 1 to \(max(1, count))") }
        }
        try v.check()
        return (title, description, position)
    }

    static func orderedGoals(on db: any Database) async throws -> [PlanGoal] {
        try await PlanGoal.query(on: db).sort(\.$position).sort(\.$createdAt).all()
    }

    /// Moves `goal` to `position` (1-based) and numbers every goal 1, 2, 3… in order, so the
    /// order stays whole whatever another instance did meanwhile.
    static func place(_ goal: PlanGoal, at position: Int, among goals: [PlanGoal], on db: any Database) async throws {
        var order = goals.filter { $0.id != goal.id }
        order.insert(goal, at: min(max(position - 1, 0), order.count))
        for (index, item) in order.enumerated() where item.position != index + 1 {
            item.position = index + 1
            try await item.save(on: db)
        }
    }
}
