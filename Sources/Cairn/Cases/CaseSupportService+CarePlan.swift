import CairnCore
import FluentKit
import Foundation

/// The multi-agency care plan: tasks the case team gives to agencies, each for a need.
extension CaseSupportService {
    struct TaskInput: Sendable {
        var need = ""
        var title = ""
        var detail = ""
        var agencyID = ""
        var dueOn = ""
    }

    /// The case's tasks, oldest first.
    func tasks(of c: AuthorisedCase) async throws -> [CareTask] {
        try await CareTask.query(on: db).filter(\.$caseID == c.id).sort(\.$createdAt).all()
    }

    /// A task for an agency the survivor has not consented to share their care plan with (for
    /// support) is refused.
    func addTask(_ c: AuthorisedCase, _ input: TaskInput, address: String, now: Date = Date()) async throws -> CareTask {
        var v = Validator()
        let need = NeedDomain(rawValue: input.need)
        if need == nil { v.add("need", "Choose the need this task meets.") }
        let title = v.text(input.title, field: "title", label: "What needs doing", max: 200)
        let detail = v.text(input.detail, field: "detail", label: "Detail", required: false, max: 2000)
        let agencyID = UUID(uuidString: input.agencyID)
        if agencyID == nil { v.add("agencyID", "Choose the agency that owns this task.") }
        let due = Self.date(input.dueOn, field: "dueOn", label: "Due date", required: false, into: &v)
        let today = Self.today(now)
        if let due, due < today { v.add("dueOn", "The due date (\(due)) is in the past.") }
        let checked = v
        return try await db.transaction { tx in
            var v = checked
            if let agencyID {
                if try await Agency.find(agencyID, on: tx) == nil {
                    v.add("agencyID", "Choose the agency that owns this task.")
                } else if let need {
                    let task = CarePlanTask(need: need, ownerAgency: agencyID.uuidString, dueDate: due)
                    for issue in task.validate(consents: try await activeConsents(of: c, today: today, on: tx), on: today) {
                        v.add("agencyID", issue.message)
                    }
                }
            }
            try v.check()
            let row = CareTask()
            row.id = UUID()
            row.caseID = c.id
            row.need = try need.checked().rawValue
            row.title = title
            row.detail = detail
            row.agencyID = try agencyID.checked()
            row.dueOn = due?.description
            row.status = CarePlanTaskStatus.notStarted.rawValue
            row.createdByID = c.identity.userID
            row.createdAt = now
            row.updateNote = ""
            row.updatedAt = now
            try await row.create(on: tx)
            try await log(c, "case.task.added", address, "task \(try row.requireID().uuidString) for agency \((try agencyID.checked()).uuidString)", on: tx)
            return row
        }
    }
}
