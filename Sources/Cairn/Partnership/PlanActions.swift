import FluentKit
import Foundation
import SQLKit

/// The plan's read interface for other capabilities that serve a plan action (training
/// courses, campaigns): the actions to choose from and an action's title, as plain values,
/// never the plan's models.
struct PlanActions: Sendable {
    let database: CairnDatabase

    struct Choice: Sendable, Equatable {
        let id: UUID
        let title: String
    }

    /// Every action, by title.
    func choices() async throws -> [Choice] {
        let rows = try await database.sql.raw("SELECT id, title FROM plan_actions ORDER BY title").all()
        return try rows.map { Choice(id: try $0.decode(column: "id", as: UUID.self), title: try $0.decode(column: "title", as: String.self)) }
    }

    /// The action's title, or nil when there is no such action.
    func title(of id: UUID) async throws -> String? {
        try await database.sql.raw("SELECT title FROM plan_actions WHERE id = \(bind: id)").first()?.decode(column: "title", as: String.self)
    }
}
