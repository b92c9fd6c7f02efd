import CairnCore
import FluentKit
import Foundation

/// A shared goal of the partnership ("More reports from the hospitality sector"), in the
/// order the partnership put them (`position`, from 1).
public final class PlanGoal: Model, @unchecked Sendable {
    public static let schema = "plan_goals"
    @ID(key: .id) public var id: UUID?
    @Field(key: "title") public var title: String
    @Field(key: "description") public var goalDescription: String
    @Field(key: "position") public var position: Int
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}

/// One action of the plan: what a member agency does towards a goal, where it sits on the
/// prevention pathways and levels, and where it stands. Status changes only through a dated
/// update (`PlanActionUpdate`) after the action is created.
public final class PlanAction: Model, @unchecked Sendable {
    public static let schema = "plan_actions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "goal_id") public var goalID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "description") public var actionDescription: String
    /// `PreventionPathway` raw value.
    @Field(key: "pathway") public var pathway: String
    /// `PreventionLevel` raw value.
    @Field(key: "level") public var level: String
    /// `PlanStrand` raw value.
    @Field(key: "strand") public var strand: String
    @Field(key: "owner_agency_id") public var ownerAgencyID: UUID
    /// The person or role who leads it, as text ("Hotel-network lead, Riverside Hotels").
    @Field(key: "lead") public var lead: String
    /// `YYYY-MM-DD`.
    @Field(key: "starts_on") public var startsOn: String
    /// `YYYY-MM-DD`, on or after `startsOn`.
    @Field(key: "due_on") public var dueOn: String
    /// `ActionStatus` raw value: the latest update's, or the status it was created with.
    @Field(key: "status") public var status: String
    /// How people with lived experience of exploitation shaped it.
    @Field(key: "lived_experience") public var livedExperience: String
    /// The self-assessment round whose low-rated factor this action answers (set when it is
    /// made from the round's heat map; never changed afterwards).
    @OptionalField(key: "assessment_round_id") public var assessmentRoundID: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    // Stored values are only ever written from the enums; an unknown one reads as the first case.
    public var actionPathway: PreventionPathway { PreventionPathway(rawValue: pathway) ?? .fundamentals }
    public var actionLevel: PreventionLevel { PreventionLevel(rawValue: level) ?? .before }
    public var actionStrand: PlanStrand { PlanStrand(rawValue: strand) ?? .prevent }
    public var actionStatus: ActionStatus { ActionStatus(rawValue: status) ?? .notStarted }

    /// Past its due date and not done, on `today` (the partnership's calendar day).
    public func isOverdue(on today: CalendarDate) -> Bool {
        actionStatus != .done && dueOn < today.description
    }
}

/// A framework factor (`Framework`, by key) an action addresses.
final class PlanActionFactor: Model, @unchecked Sendable {
    static let schema = "plan_action_factors"
    @ID(key: .id) var id: UUID?
    @Field(key: "action_id") var actionID: UUID
    @Field(key: "factor") var factor: String

    init() {}
    init(actionID: UUID, factor: String) {
        self.id = UUID()
        self.actionID = actionID
        self.factor = factor
    }
}

/// A dated status update on an action: the status it moved to, why, who said so and when.
public final class PlanActionUpdate: Model, @unchecked Sendable {
    public static let schema = "plan_action_updates"
    @ID(key: .id) public var id: UUID?
    @Field(key: "action_id") public var actionID: UUID
    /// `ActionStatus` raw value.
    @Field(key: "status") public var status: String
    @Field(key: "note") public var note: String
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}

    public var updateStatus: ActionStatus { ActionStatus(rawValue: status) ?? .notStarted }
}
