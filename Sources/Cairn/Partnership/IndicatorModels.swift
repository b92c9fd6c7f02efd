import CairnCore
import FluentKit
import Foundation

/// An indicator the partnership keeps: one of its own, entered each period, or its baseline,
/// target and place in the logic model for a computed one (`key` is then the computed key).
final class PlanIndicator: Model, @unchecked Sendable {
    static let schema = "plan_indicators"
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "computed") var computed: Bool
    @Field(key: "name") var name: String
    @Field(key: "definition") var definition: String
    @Field(key: "unit") var unit: String
    @Field(key: "direction") var direction: String
    @Field(key: "frequency") var frequency: String
    @Field(key: "source") var source: String
    @OptionalField(key: "baseline") var baseline: Double?
    @OptionalField(key: "target") var target: Double?
    @OptionalField(key: "logic_item_id") var logicItemID: UUID?
    @Field(key: "updated_by_id") var updatedByID: UUID
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A value entered for one of the partnership's own indicators, with who entered it and when.
final class PlanIndicatorValue: Model, @unchecked Sendable {
    static let schema = "plan_indicator_values"
    @ID(key: .id) var id: UUID?
    @Field(key: "indicator_id") var indicatorID: UUID
    @Field(key: "period") var period: String
    @Field(key: "value") var value: Double
    @Field(key: "entered_by_id") var enteredByID: UUID
    @Field(key: "entered_at") var enteredAt: Date

    init() {}
}

/// A step of a goal's logic model.
final class PlanLogicItem: Model, @unchecked Sendable {
    static let schema = "plan_logic_items"
    @ID(key: .id) var id: UUID?
    @Field(key: "goal_id") var goalID: UUID
    @Field(key: "stage") var stage: String
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// The stages of a logic model, in order.
enum LogicStage: String, CaseIterable, Sendable {
    case activity
    case output
    case shortOutcome = "short_outcome"
    case mediumOutcome = "medium_outcome"
    case longOutcome = "long_outcome"

    var label: String {
        switch self {
        case .activity: "Activities"
        case .output: "Outputs"
        case .shortOutcome: "Short-term outcomes"
        case .mediumOutcome: "Medium-term outcomes"
        case .longOutcome: "Long-term outcomes"
        }
    }
}
