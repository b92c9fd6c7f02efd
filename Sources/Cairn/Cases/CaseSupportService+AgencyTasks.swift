import CairnCore
import FluentKit
import Foundation

/// Care-plan tasks as their owning agency sees them: its inbox, a task, and its updates. An
/// agency sees a task only while the survivor's consent to share the care plan with it stands;
/// the case team sees every task of its cases.
extension CaseSupportService {
    /// What an owning agency may see of a task's case: only what the survivor agreed to share
    /// with that agency, and the language to use wherever contact happens.
    struct SharedTask: Sendable {
        let task: CareTask
        let caseCode: String
        let chosenName: String
        let language: String
        let interpreterNeeded: Bool
        /// The survivor's account, when they agreed to share it with this agency.
        let account: String?
        let team: Bool
        /// Who set the task, and how the partnership reaches them.
        let setBy: CaseService.Member?
    }

    /// Whether the agency may see the task now: the survivor's consent to share the care
    /// plan with it, for support, is in force.
    func agencyMaySee(_ task: CareTask, agencyID: UUID, consents: [ConsentRecord], today: CalendarDate) -> Bool {
        task.agencyID == agencyID && consents.permit(.needsAndCarePlan, for: .supportAndCarePlanning, to: agencyID.uuidString, on: today)
    }

    /// Open and recent tasks for the person's agency whose consent stands, soonest due first.
    func inbox(identity: Identity, address: String, via: String, includeDone: Bool = false, now: Date = Date()) async throws -> [(CareTask, SupportCase)] {
        let visible = try await agencyTasks(identity: identity, includeDone: includeDone, now: now)
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "task.listed", recordType: "care_task", address: address,
                                          detail: "\(via); \(visible.count) shown"))
        return visible
    }

    /// The tasks `inbox` lists, unaudited (the caller audits).
    func agencyTasks(identity: Identity, includeDone: Bool = false, now: Date = Date()) async throws -> [(CareTask, SupportCase)] {
        guard identity.can(.workCareTasks) else { throw AppError.forbidden }
        let today = Self.today(now)
        var query = CareTask.query(on: db).filter(\.$agencyID == identity.agencyID)
        if !includeDone { query = query.filter(\.$status ~~ CarePlanTaskStatus.allCases.filter(\.isOpen).map(\.rawValue)) }
        let tasks = try await query.all()
        let caseIDs = Set(tasks.map(\.caseID))
        let consentRows = try await CaseConsent.query(on: db).filter(\.$caseID ~~ caseIDs).all()
        let consentsByCase = Dictionary(grouping: consentRows, by: \.caseID).mapValues { $0.map(\.record) }
        let caseRows = try await SupportCase.query(on: db).filter(\.$id ~~ caseIDs).all()
        let casesByID = Dictionary(uniqueKeysWithValues: try caseRows.map { (try $0.requireID(), $0) })
        let visible = tasks.filter { agencyMaySee($0, agencyID: identity.agencyID, consents: consentsByCase[$0.caseID] ?? [], today: today) }
            .compactMap { task in casesByID[task.caseID].map { (task, $0) } }
            .sorted { ($0.0.dueOn ?? "9999", $0.0.createdAt) < ($1.0.dueOn ?? "9999", $1.0.createdAt) }
        return visible
    }

    /// A task for its owning agency (while consent stands) or the case team; 404 otherwise.
    func sharedTask(_ taskID: UUID, identity: Identity, address: String, via: String, now: Date = Date()) async throws -> SharedTask {
        try await visibleTask(taskID, identity: identity, address: address, via: via, now: now, on: db).shared
    }

    /// The task as `sharedTask` shows it, and its case (for the API's answer, which names the case).
    private func visibleTask(_ taskID: UUID, identity: Identity, address: String, via: String, now: Date,
                             on db: any Database) async throws -> (shared: SharedTask, record: SupportCase) {
        guard let task = try await CareTask.find(taskID, on: db), let record = try await SupportCase.find(task.caseID, on: db) else {
            throw AppError.notFound("task")
        }
        let today = Self.today(now)
        var onTeam = false
        if identity.can(.workCases) {
            onTeam = try await CaseTeamMember.query(on: db).filter(\.$caseID == (try record.requireID())).filter(\.$userID == identity.userID).first() != nil
        }
        let consents = try await CaseConsent.query(on: db).filter(\.$caseID == (try record.requireID())).all().map(\.record)
        let asAgency = identity.can(.workCareTasks) && agencyMaySee(task, agencyID: identity.agencyID, consents: consents, today: today)
        guard onTeam || asAgency else { throw AppError.notFound("task") }
        let account = onTeam || consents.permit(.account, for: .supportAndCarePlanning, to: identity.agencyID.uuidString, on: today)
            ? record.account : nil
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "task.viewed", recordType: "care_task", recordID: taskID.uuidString,
                                          address: address, detail: "\(via); case \(try record.requireID().uuidString)\(onTeam ? "" : "; as owning agency")"), on: db)
        let shared = SharedTask(task: task, caseCode: record.code, chosenName: record.chosenName, language: record.language,
                                interpreterNeeded: record.interpreterNeeded, account: account.flatMap { $0.isEmpty ? nil : $0 }, team: onTeam,
                                setBy: try await cases.member(task.createdByID, on: db))
        return (shared, record)
    }

    /// Changes a task's status (the owning agency or the case team); the team hears when it is done.
    /// Returns the task and its case.
    func updateTask(_ taskID: UUID, status: String, note: String, identity: Identity, address: String,
                    now: Date = Date()) async throws -> (task: CareTask, record: SupportCase) {
        var v = Validator()
        let target = CarePlanTaskStatus(rawValue: status)
        if target == nil { v.add("status", "Choose the task's status.") }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        try v.check()
        return try await db.transaction { tx in
            let (shared, record) = try await visibleTask(taskID, identity: identity, address: address, via: "update", now: now, on: tx)
            let task = shared.task
            let from = task.taskStatus
            task.status = try target.checked().rawValue
            if !cleaned.isEmpty { task.updateNote = cleaned }
            if target == .done, from != .done {
                task.completedAt = now
                task.completedByID = identity.userID
            } else if target != .done {
                task.completedAt = nil
                task.completedByID = nil
            }
            task.updatedAt = now
            try await task.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "task.updated", recordType: "care_task", recordID: taskID.uuidString,
                                              address: address, detail: "\(from.rawValue) → \((try target.checked()).rawValue)"), on: tx)
            if target == .done, from != .done {
                try await notifyTeam(task.caseID, except: identity.userID, on: tx, now: now,
                                     message: "Task done on case \(shared.caseCode): “\(task.title)”, by \(identity.displayName) (\(identity.agencyName))."
                                         + (cleaned.isEmpty ? "" : " Their note: \(cleaned.prefix(300))"))
            }
            return (task, record)
        }
    }
}
