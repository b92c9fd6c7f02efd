import CairnCore
import FluentKit
import Foundation

/// Each goal's logic model: activities → outputs → outcomes (short, medium and long term), each
/// step with the indicators that measure it.
extension IndicatorService {
    struct LogicStep: Sendable {
        let id: UUID
        let stage: LogicStage
        let text: String
        /// Keys and names of the indicators measuring it.
        let indicators: [(key: String, name: String)]
    }

    struct LogicGoal: Sendable {
        let id: UUID
        let title: String
        let steps: [LogicStep]
    }

    /// Every goal with its logic model, goals in the plan's order.
    func logicModel(identity: Identity) async throws -> [LogicGoal] {
        guard identity.can(.viewPartnership) else { throw AppError.forbidden }
        let goals = try await goalTitles()
        let items = try await PlanLogicItem.query(on: db).sort(\.$createdAt).all()
        let measuring = try await PlanIndicator.query(on: db).filter(\.$logicItemID != nil).all()
        let names = Dictionary(try await list(identity: identity).map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        var byItem: [UUID: [(key: String, name: String)]] = [:]
        for row in measuring { if let item = row.logicItemID { byItem[item, default: []].append((row.key, names[row.key] ?? row.name)) } }
        return try goals.map { goal in
            let steps = try items.filter { $0.goalID == goal.id }.compactMap { item -> LogicStep? in
                guard let stage = LogicStage(rawValue: item.stage) else { return nil }
                let id = try item.requireID()
                return LogicStep(id: id, stage: stage, text: item.text, indicators: (byItem[id] ?? []).sorted { $0.name < $1.name })
            }
            return LogicGoal(id: goal.id, title: goal.title, steps: steps.sorted { LogicStage.allCases.firstIndex(of: $0.stage) ?? 0 < LogicStage.allCases.firstIndex(of: $1.stage) ?? 0 })
        }
    }

    /// Adds a step to a goal's logic model.
    func addStep(goal: String, stage: String, text: String, identity: Identity, address: String, now: Date = Date()) async throws {
        guard identity.can(.editPartnership) else { throw AppError.forbidden }
        var v = Validator()
        let cleaned = v.text(text, field: "text", label: "The step", max: 500)
        let goalID = UUID(uuidString: goal)
        let known = try await goalTitles().map(\.id)
        if goalID.map({ !known.contains($0) }) ?? true { v.add("goal", "Choose a goal from the plan") }
        let parsed = LogicStage(rawValue: stage)
        if parsed == nil { v.add("stage", "Choose activity, output or outcome") }
        try v.check()
        guard let goalID, let parsed else { throw AppError.invalid(v.errors) }
        let item = PlanLogicItem()
        item.goalID = goalID
        item.stage = parsed.rawValue
        item.text = cleaned
        item.createdAt = now
        try await db.transaction { tx in
            try await item.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.logic_step.added", recordType: "plan_goal",
                                              recordID: goalID.uuidString, address: address, detail: parsed.rawValue), on: tx)
        }
    }

    /// Removes a step; the indicators that measured it stay, measuring nothing in the model.
    func removeStep(_ id: String, identity: Identity, address: String) async throws {
        guard identity.can(.editPartnership) else { throw AppError.forbidden }
        guard let uuid = UUID(uuidString: id), let item = try await PlanLogicItem.find(uuid, on: db) else {
            throw AppError.invalid([.init("step", "That step is not in the logic model (it may have been removed already)")])
        }
        try await db.transaction { tx in
            try await PlanIndicator.query(on: tx).filter(\.$logicItemID == uuid).set(\.$logicItemID, to: nil).update()
            try await item.delete(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.logic_step.removed", recordType: "plan_goal",
                                              recordID: item.goalID.uuidString, address: address), on: tx)
        }
    }

    /// Says an indicator measures a step of the logic model (an indicator measures one step).
    func measure(step: String, key: String, identity: Identity, address: String, now: Date = Date()) async throws {
        guard identity.can(.editPartnership) else { throw AppError.forbidden }
        var v = Validator()
        let item = try await UUID(uuidString: step).asyncFlatMap { try await PlanLogicItem.find($0, on: db) }
        if item == nil { v.add("step", "That step is not in the logic model") }
        let stored = try await PlanIndicator.query(on: db).filter(\.$key == key).first()
        if stored == nil, ComputedIndicator(rawValue: key) == nil { v.add("indicator", "Choose an indicator") }
        try v.check()
        guard let item else { throw AppError.invalid(v.errors) }
        let row = try stored ?? Self.settingsRow(for: key)
        row.logicItemID = try item.requireID()
        row.updatedByID = identity.userID
        row.updatedAt = now
        try await db.transaction { tx in
            try await row.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.logic_step.measured", recordType: "plan_indicator",
                                              recordID: key, address: address), on: tx)
        }
    }

    /// The stored row for a computed indicator's settings, made the first time one is set.
    static func settingsRow(for key: String) throws -> PlanIndicator {
        guard let computed = ComputedIndicator(rawValue: key) else { throw AppError.notFound("indicator") }
        let row = PlanIndicator()
        row.key = key
        row.computed = true
        row.name = computed.name
        row.definition = computed.definition
        row.unit = computed.unit.rawValue
        row.direction = computed.direction.rawValue
        row.frequency = IndicatorFrequency.month.rawValue
        row.source = "computed"
        return row
    }

    /// The plan's goals (id and title), in the plan's order.
    func goalTitles() async throws -> [(id: UUID, title: String)] {
        let rows = try await db.sqlDatabase().raw("SELECT id, title FROM plan_goals ORDER BY position, title").all()
        return try rows.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "title", as: String.self)) }
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
