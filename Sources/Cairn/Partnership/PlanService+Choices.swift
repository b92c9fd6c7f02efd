import CairnCore
import FluentKit
import Foundation

/// The plan's actions as choices for other parts of the partnership (a campaign or a course
/// names the action it serves): ids and titles only, read by anyone who may read the plan.
extension PlanService {
    struct ActionChoice: Sendable, Equatable {
        let id: UUID
        let title: String
    }

    /// Every action, by title.
    func actionChoices(identity: Identity) async throws -> [ActionChoice] {
        try require(identity, .viewPartnership)
        return try await PlanAction.query(on: db).field(\.$id).field(\.$title).sort(\.$title).all().compactMap { a in
            a.id.map { ActionChoice(id: $0, title: a.title) }
        }
    }
}
