import CairnCore
import FluentKit
import Foundation

/// Actions: creating one (from the plan's pages, the API, or another part of the partnership
/// such as a self-assessment turning a low-rated factor into an action), editing one, and
/// reading one with its factors and updates.
extension PlanService {
    /// An action as typed or sent: text, checked by `validate`. Build it with the typed
    /// initialiser when the values are already known (`init(goal:title:pathway:…)`).
    struct ActionInput: Sendable {
        var goalID = ""
        var title = ""
        var description = ""
        var pathway = ""
        var level = ""
        var strand = ""
        /// Framework factor keys (`Framework.factor`), any number, repeats ignored.
        var factors: [String] = []
        var ownerAgencyID = ""
        var lead = ""
        /// `YYYY-MM-DD`.
        var startsOn = ""
        /// `YYYY-MM-DD`, on or after `startsOn`.
        var dueOn = ""
        /// `ActionStatus` raw value; empty is "not started". Only read when an action is
        /// created: afterwards its status moves by updates.
        var status = ""
        var livedExperience = ""
        /// The self-assessment round the action answers a gap in (its id), or empty. Only read
        /// when an action is created.
        var assessmentRoundID = ""

        init() {}

        init(goalID: String = "", title: String = "", description: String = "", pathway: String = "", level: String = "", strand: String = "",
             factors: [String] = [], ownerAgencyID: String = "", lead: String = "", startsOn: String = "", dueOn: String = "",
             status: String = "", livedExperience: String = "", assessmentRoundID: String = "") {
            self.goalID = goalID
            self.title = title
            self.description = description
            self.pathway = pathway
            self.level = level
            self.strand = strand
            self.factors = factors
            self.ownerAgencyID = ownerAgencyID
            self.lead = lead
            self.startsOn = startsOn
            self.dueOn = dueOn
            self.status = status
            self.livedExperience = livedExperience
            self.assessmentRoundID = assessmentRoundID
        }

        /// An action from values already known, for other parts of Cairn (a self-assessment's
        /// low-rated factor becoming an action): `createAction` still checks every one.
        init(goal: UUID, title: String, description: String = "", pathway: PreventionPathway, level: PreventionLevel, strand: PlanStrand,
             factors: [String], owner: UUID, lead: String, startsOn: CalendarDate, dueOn: CalendarDate, status: ActionStatus = .notStarted,
             livedExperience: String = "", assessmentRound: UUID? = nil) {
            self.init(goalID: goal.uuidString, title: title, description: description, pathway: pathway.rawValue, level: level.rawValue,
                      strand: strand.rawValue, factors: factors, ownerAgencyID: owner.uuidString, lead: lead, startsOn: startsOn.description,
                      dueOn: dueOn.description, status: status.rawValue, livedExperience: livedExperience,
                      assessmentRoundID: assessmentRound?.uuidString ?? "")
        }
    }

    /// An input that passed every check.
    struct CheckedAction: Sendable {
        let goalID: UUID
        let title: String
        let description: String
        let pathway: PreventionPathway
        let level: PreventionLevel
        let strand: PlanStrand
        let factors: [String]
        let ownerAgencyID: UUID
        let lead: String
        let startsOn: CalendarDate
        let dueOn: CalendarDate
        let status: ActionStatus
        let livedExperience: String
        /// The self-assessment round it answers (new actions only).
        let assessmentRoundID: UUID?
    }

    /// One action with what its page shows.
    struct ActionDetail: Sendable {
        let action: PlanAction
        let goal: PlanGoal?
        let owner: Agency?
        /// In the framework's order.
        let factors: [FrameworkFactor]
        /// The self-assessment round whose gap it answers, if it was made from one.
        let assessment: (id: UUID, name: String)?
        /// Newest first, each with the name of who recorded it.
        let updates: [(update: PlanActionUpdate, recordedBy: String)]
    }

    /// Records a new action (and the factors it addresses) from `editPartnership`. Every field
    /// is checked and all problems are reported at once (422, naming each field); nothing is
    /// stored unless all pass.
    @discardableResult
    func createAction(_ input: ActionInput, identity: Identity, address: String, now: Date = Date()) async throws -> PlanAction {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            let checked = try await Self.check(input, creating: true, on: tx)
            let action = PlanAction()
            action.id = UUID()
            Self.apply(checked, to: action)
            action.status = checked.status.rawValue
            action.assessmentRoundID = checked.assessmentRoundID
            action.createdAt = now
            action.updatedAt = now
            try await action.create(on: tx)
            let id = try action.requireID()
            for factor in checked.factors { try await PlanActionFactor(actionID: id, factor: factor).create(on: tx) }
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.action.created", recordType: "plan_action", recordID: id.uuidString,
                                              address: address, detail: "goal \(checked.goalID.uuidString); \(checked.pathway.rawValue) × \(checked.level.rawValue); "
                                                  + "\(checked.strand.rawValue); \(checked.status.rawValue); \(checked.factors.count) factors"
                                                  + (checked.assessmentRoundID.map { "; answers self-assessment round \($0.uuidString)" } ?? "")), on: tx)
            return action
        }
    }

    /// Saves an edited action: everything but its status, which moves by updates.
    @discardableResult
    func updateAction(_ id: UUID, _ input: ActionInput, identity: Identity, address: String, now: Date = Date()) async throws -> PlanAction {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            guard let action = try await PlanAction.find(id, on: tx) else { throw AppError.notFound("action") }
            let checked = try await Self.check(input, creating: false, on: tx)
            let before = try await Self.factorKeys(of: id, on: tx)
            let changed = Self.changes(from: action, to: checked) + (before == checked.factors ? [] : ["factors"])
            Self.apply(checked, to: action)
            action.updatedAt = now
            try await action.save(on: tx)
            if before != checked.factors {
                try await PlanActionFactor.query(on: tx).filter(\.$actionID == id).delete()
                for factor in checked.factors { try await PlanActionFactor(actionID: id, factor: factor).create(on: tx) }
            }
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.action.updated", recordType: "plan_action", recordID: id.uuidString,
                                              address: address, detail: changed.isEmpty ? "no change" : "changed: " + changed.joined(separator: ", ")), on: tx)
            return action
        }
    }

    /// One action with its goal, owner, factors and updates.
    func action(_ id: UUID, identity: Identity) async throws -> ActionDetail {
        try require(identity, .viewPartnership)
        guard let action = try await PlanAction.find(id, on: db) else { throw AppError.notFound("action") }
        let keys = Set(try await Self.factorKeys(of: id, on: db))
        let updates = try await PlanActionUpdate.query(on: db).filter(\.$actionID == id).sort(\.$recordedAt, .descending).all()
        let people = Set(updates.map(\.recordedByID))
        let names = people.isEmpty ? [:] : Dictionary(try await User.query(on: db).filter(\.$id ~~ people).all().map { (try $0.requireID(), $0.displayName) },
                                                     uniquingKeysWith: { first, _ in first })
        var assessment: (id: UUID, name: String)?
        if let roundID = action.assessmentRoundID, let round = try await AssessmentRound.find(roundID, on: db) { assessment = (roundID, round.name) }
        return ActionDetail(action: action, goal: try await PlanGoal.find(action.goalID, on: db), owner: try await Agency.find(action.ownerAgencyID, on: db),
                            factors: Framework.all.filter { keys.contains($0.key) },
                            assessment: assessment,
                            updates: updates.map { ($0, names[$0.recordedByID] ?? "A former user") })
    }

    /// The factor keys of an action, in the framework's order.
    static func factorKeys(of id: UUID, on db: any Database) async throws -> [String] {
        let keys = Set(try await PlanActionFactor.query(on: db).filter(\.$actionID == id).all().map(\.factor))
        return Framework.all.map(\.key).filter(keys.contains)
    }

    // MARK: Checks

    /// Checks every field (the goal and owner against the database) and reports all problems
    /// at once, in the order the form shows them.
    static func check(_ input: ActionInput, creating: Bool, on db: any Database) async throws -> CheckedAction {
        var v = Validator()
        let goalText = input.goalID.trimmingCharacters(in: .whitespaces)
        var goalID: UUID?
        if goalText.isEmpty { v.add("goalId", "Choose the goal this action works towards") }
        else if let id = UUID(uuidString: goalText), try await PlanGoal.find(id, on: db) != nil { goalID = id }
        else { v.add("goalId", "Choose a goal from the list") }
        let title = required(&v, input.title, field: "title", label: "Title", missing: "Enter the action’s title", max: 200)
        let description = v.text(input.description, field: "description", label: "Description", required: false, max: 2000)
        let pathway = choice(&v, input.pathway, PreventionPathway.self, field: "pathway", missing: "Choose a prevention pathway",
                             unknown: "Choose a prevention pathway from the list")
        let level = choice(&v, input.level, PreventionLevel.self, field: "level", missing: "Choose a prevention level",
                           unknown: "Choose a prevention level from the list")
        let strand = choice(&v, input.strand, PlanStrand.self, field: "strand", missing: "Choose Pursue, Prevent, Protect or Prepare",
                            unknown: "Choose Pursue, Prevent, Protect or Prepare")
        var factors: Set<String> = []
        for key in input.factors {
            let key = key.trimmingCharacters(in: .whitespaces)
            guard Framework.factor(key) != nil else {
                v.add("factors", "Choose framework factors from the list: \u{201C}\(key.prefix(40))\u{201D} is not one of them")
                break
            }
            factors.insert(key)
        }
        let ownerText = input.ownerAgencyID.trimmingCharacters(in: .whitespaces)
        var ownerID: UUID?
        if ownerText.isEmpty { v.add("ownerAgencyId", "Choose the agency that owns the action") }
        else if let id = UUID(uuidString: ownerText), try await Agency.find(id, on: db) != nil { ownerID = id }
        else { v.add("ownerAgencyId", "Choose an agency from the list") }
        let lead = required(&v, input.lead, field: "lead", label: "Lead", missing: "Enter who leads the action (a name or a role)", max: 200)
        let startsOn = date(&v, input.startsOn, field: "startsOn", label: "start date")
        let dueOn = date(&v, input.dueOn, field: "dueOn", label: "due date")
        if let startsOn, let dueOn, dueOn < startsOn {
            v.add("dueOn", "The due date must be the same as or after the start date (\(Format.day(startsOn)))")
        }
        var status = ActionStatus.notStarted
        if creating, !input.status.trimmingCharacters(in: .whitespaces).isEmpty {
            status = choice(&v, input.status, ActionStatus.self, field: "status", missing: "", unknown: "Choose a status from the list") ?? .notStarted
        }
        let lived = v.text(input.livedExperience, field: "livedExperience", label: "How people with lived experience shaped it", required: false, max: 2000)
        var roundID: UUID?
        let roundText = input.assessmentRoundID.trimmingCharacters(in: .whitespaces)
        if creating, !roundText.isEmpty {
            if let id = UUID(uuidString: roundText), try await AssessmentRound.find(id, on: db) != nil { roundID = id }
            else { v.add("assessmentRoundId", "The self-assessment round this action was to answer no longer exists; clear it and add the action on its own") }
        }
        guard v.errors.isEmpty, let goalID, let pathway, let level, let strand, let ownerID, let startsOn, let dueOn else { throw AppError.invalid(v.errors) }
        return CheckedAction(goalID: goalID, title: title, description: description, pathway: pathway, level: level, strand: strand,
                             factors: Framework.all.map(\.key).filter(factors.contains), ownerAgencyID: ownerID, lead: lead, startsOn: startsOn,
                             dueOn: dueOn, status: status, livedExperience: lived, assessmentRoundID: roundID)
    }

    private static func required(_ v: inout Validator, _ text: String, field: String, label: String, missing: String, max: Int) -> String {
        let cleaned = v.text(text, field: field, label: label, required: false, max: max)
        if cleaned.isEmpty, v.message(for: field) == nil { v.add(field, missing) }
        return cleaned
    }

    private static func choice<T: RawRepresentable>(_ v: inout Validator, _ text: String, _ type: T.Type, field: String, missing: String,
                                                    unknown: String) -> T? where T.RawValue == String {
        let cleaned = text.trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty { v.add(field, missing); return nil }
        guard let value = T(rawValue: cleaned) else { v.add(field, unknown); return nil }
        return value
    }

    /// A stored date (`YYYY-MM-DD`); the page's boxes have already been read into one.
    private static func date(_ v: inout Validator, _ text: String, field: String, label: String) -> CalendarDate? {
        let cleaned = text.trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty { v.add(field, "Enter the \(label)"); return nil }
        guard let date = try? CalendarDate(parsing: cleaned) else {
            v.add(field, "The \(label) must be a real date, as YYYY-MM-DD")
            return nil
        }
        return date
    }

    static func apply(_ checked: CheckedAction, to action: PlanAction) {
        action.goalID = checked.goalID
        action.title = checked.title
        action.actionDescription = checked.description
        action.pathway = checked.pathway.rawValue
        action.level = checked.level.rawValue
        action.strand = checked.strand.rawValue
        action.ownerAgencyID = checked.ownerAgencyID
        action.lead = checked.lead
        action.startsOn = checked.startsOn.description
        action.dueOn = checked.dueOn.description
        action.livedExperience = checked.livedExperience
    }

    /// The names of the fields an edit changes (for the audit log: names, never values).
    static func changes(from action: PlanAction, to checked: CheckedAction) -> [String] {
        let pairs: [(String, Bool)] = [
            ("goal", action.goalID != checked.goalID), ("title", action.title != checked.title),
            ("description", action.actionDescription != checked.description), ("pathway", action.pathway != checked.pathway.rawValue),
            ("level", action.level != checked.level.rawValue), ("strand", action.strand != checked.strand.rawValue),
            ("owner", action.ownerAgencyID != checked.ownerAgencyID), ("lead", action.lead != checked.lead),
            ("startsOn", action.startsOn != checked.startsOn.description), ("dueOn", action.dueOn != checked.dueOn.description),
            ("livedExperience", action.livedExperience != checked.livedExperience),
        ]
        return pairs.filter(\.1).map(\.0)
    }
}
