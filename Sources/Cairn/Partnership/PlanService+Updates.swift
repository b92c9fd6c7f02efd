import CairnCore
import FluentKit
import Foundation
import SQLKit

/// Dated status updates: where an action stands now, why, who said so and when. A done action
/// takes no more.
extension PlanService {
    /// Records an update and moves the action to its status. Refused (nothing changed) for an
    /// unknown status, a missing or over-long note, or an action already done (409).
    @discardableResult
    func recordUpdate(_ actionID: UUID, status: String, note: String, identity: Identity, address: String,
                      now: Date = Date()) async throws -> PlanActionUpdate {
        try require(identity, .editPartnership)
        var v = Validator()
        let statusText = status.trimmingCharacters(in: .whitespaces)
        let newStatus = ActionStatus(rawValue: statusText)
        if statusText.isEmpty { v.add("status", "Choose where the action stands now") }
        else if newStatus == nil { v.add("status", "Choose a status from the list") }
        let note = v.text(note, field: "note", label: "Update", required: false, max: 2000)
        if note.isEmpty, v.message(for: "note") == nil { v.add("note", "Say what has happened since the last update") }
        let problems = v.errors
        let postgres = !database.isSQLite
        return try await db.transaction { tx in
            // Another instance may be recording an update on the same action: hold the row
            // until this one commits (SQLite has one writer, so it needs nothing).
            if postgres {
                try await tx.sqlDatabase().raw("SELECT id FROM plan_actions WHERE id = \(bind: actionID) FOR UPDATE").run()
            }
            guard let action = try await PlanAction.find(actionID, on: tx) else { throw AppError.notFound("action") }
            if action.actionStatus == .done {
                throw AppError.conflict("This action is done: it takes no more updates. Record new work as a new action.", field: "status")
            }
            guard problems.isEmpty, let newStatus else { throw AppError.invalid(problems) }
            let update = PlanActionUpdate()
            update.id = UUID()
            update.actionID = actionID
            update.status = newStatus.rawValue
            update.note = note
            update.recordedByID = identity.userID
            update.recordedAt = now
            try await update.create(on: tx)
            let from = action.status
            action.status = newStatus.rawValue
            action.updatedAt = now
            try await action.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.action.status", recordType: "plan_action",
                                              recordID: actionID.uuidString, address: address, detail: "\(from) → \(newStatus.rawValue)"), on: tx)
            return update
        }
    }
}
