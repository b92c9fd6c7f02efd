import FluentKit
import Foundation
import SQLKit

// Released: its name and effect never change. It names tables and columns as strings, never
// through a model, so later changes to a model cannot change what it does.

/// Reports waiting for triage when this runs were given the response deadline of their
/// provisional urgency (28 days for low); they get the default triage deadline instead, 24 hours
/// from when each was received. Reports received afterwards take the configured one.
struct SetTriageDeadlines: AsyncMigration {
    var name: String { "019_set_triage_deadlines" }
    func prepare(on db: any Database) async throws {
        let sql = try db.sqlDatabase()
        let waiting = try await sql.select().columns("id", "received_at").from("reports").where("status", .equal, "new").all()
        for row in waiting {
            let id = try row.decode(column: "id", as: UUID.self)
            let received = try row.decode(column: "received_at", as: Date.self)
            try await sql.update("reports").set("due_at", to: SQLBind(received.addingTimeInterval(24 * 3600)))
                .where("id", .equal, SQLBind(id)).run()
        }
    }
    func revert(on db: any Database) async throws {}
}
