import FluentKit
import Foundation

/// The self-assessment round whose low-rated factor a plan action answers (`plan_actions.
/// assessment_round_id`), set when the action is made from the round's heat map.
struct AddPlanActionRound: AsyncMigration {
    var name: String { "032_add_plan_action_round" }
    func prepare(on db: any Database) async throws {
        try await db.schema("plan_actions").field("assessment_round_id", .uuid).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("plan_actions").deleteField("assessment_round_id").update()
    }
}
