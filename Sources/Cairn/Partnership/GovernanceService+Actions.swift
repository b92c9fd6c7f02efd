import CairnCore
import FluentKit
import Foundation

/// The action log: what a meeting agreed someone would do, the member agency that owns it, by
/// when, and whether it is done. An open action past its due date is overdue, and shows so on
/// the coordinators' home page.
extension GovernanceService {
    enum ActionFilter: String, CaseIterable, Sendable {
        case open, overdue, done, all

        var label: String {
            switch self {
            case .open: "Open"
            case .overdue: "Overdue"
            case .done: "Done"
            case .all: "All"
            }
        }
    }

    struct ActionInput: Sendable {
        var text = ""
        var ownerAgencyID = ""
        var dueOn = ""
    }

    struct ActionRow: Sendable {
        let action: GovernanceAction
        let owner: Agency?
        let meeting: GovernanceMeeting?
        let overdue: Bool
    }

    /// Checks one action; nil (with the problems in `v`) when it cannot be stored.
    func checkAction(_ input: ActionInput, prefix: String = "", members: [UUID: PartnershipMember], agencies: [UUID: Agency],
                     into v: inout Validator) -> (String, UUID, CalendarDate)? {
        let before = v.errors.count
        let text = v.text(input.text, field: "\(prefix)text", label: "What is to be done", max: 1000)
        var owner: UUID?
        if input.ownerAgencyID.trimmingCharacters(in: .whitespaces).isEmpty {
            v.add("\(prefix)ownerAgencyId", "Choose the member agency that owns the action.")
        } else {
            owner = Self.memberAgencies([input.ownerAgencyID], field: "\(prefix)ownerAgencyId", members: members, agencies: agencies, into: &v).first
        }
        let due = Self.date(input.dueOn, field: "\(prefix)dueOn", label: "The date it is due", into: &v)
        guard v.errors.count == before, let owner, let due else { return nil }
        return (text, owner, due)
    }

    func newAction(meeting: UUID, text: String, owner: UUID, due: CalendarDate, now: Date) -> GovernanceAction {
        let action = GovernanceAction()
        action.id = UUID()
        action.meetingID = meeting
        action.text = text
        action.ownerAgencyID = owner
        action.dueOn = due.description
        action.status = GovernanceActionStatus.open.rawValue
        action.createdAt = now
        action.updatedAt = now
        return action
    }

    /// Adds an action agreed at a meeting to the log.
    func addAction(to meetingID: UUID, _ input: ActionInput, identity: Identity, address: String, now: Date = Date()) async throws -> GovernanceAction {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            guard try await GovernanceMeeting.find(meetingID, on: tx) != nil else { throw AppError.notFound("meeting") }
            var v = Validator()
            let checked = checkAction(input, members: try await Self.currentMembers(on: tx), agencies: try await Self.agencies(on: tx), into: &v)
            try v.check()
            let (text, owner, due) = try checked.checked("action")
            let action = newAction(meeting: meetingID, text: text, owner: owner, due: due, now: now)
            try await action.create(on: tx)
            try await log(identity, "meeting.action.added", "governance_action", action.id, address: address,
                          detail: "meeting \(meetingID.uuidString); due \(action.dueOn)", on: tx)
            return action
        }
    }

    /// Marks an action done, or open again.
    func setActionStatus(_ id: UUID, status: String, identity: Identity, address: String, now: Date = Date()) async throws -> GovernanceAction {
        try require(identity, .editPartnership)
        guard let next = GovernanceActionStatus(rawValue: status) else {
            throw AppError.invalid([.init("status", "Choose whether the action is open or done.")])
        }
        return try await db.transaction { tx in
            guard let action = try await GovernanceAction.find(id, on: tx) else { throw AppError.notFound("action") }
            guard action.actionStatus != next else { throw AppError.conflict("The action is already \(next.label.lowercased()).") }
            action.status = next.rawValue
            action.doneOn = next == .done ? Self.today(now).description : nil
            action.updatedAt = now
            try await action.save(on: tx)
            try await log(identity, "meeting.action.\(next.rawValue)", "governance_action", id, address: address, on: tx)
            return action
        }
    }

    /// The log, by due date (soonest first; done actions most recently done first).
    func actions(identity: Identity, filter: ActionFilter = .open, page: Int = 1, perPage: Int = 25, now: Date = Date()) async throws -> ListPage<ActionRow> {
        try require(identity, .viewPartnership)
        let today = Self.today(now)
        var query = GovernanceAction.query(on: db)
        switch filter {
        case .open: query = query.filter(\.$status == GovernanceActionStatus.open.rawValue)
        case .overdue: query = query.filter(\.$status == GovernanceActionStatus.open.rawValue).filter(\.$dueOn < today.description)
        case .done: query = query.filter(\.$status == GovernanceActionStatus.done.rawValue)
        case .all: break
        }
        let total = try await query.copy().count()
        query = filter == .done ? query.sort(\.$doneOn, .descending).sort(\.$dueOn) : query.sort(\.$status, .descending).sort(\.$dueOn)
        let actions = try await query.sort(\.$createdAt).range(Pagination.rows(page: page, perPage: perPage)).all()
        return ListPage(rows: try await rows(actions, today: today), total: total, page: page, perPage: perPage)
    }

    /// Open actions past their due date, oldest first: for the coordinators' home page.
    func overdueActions(identity: Identity, now: Date = Date(), limit: Int = 10) async throws -> (rows: [ActionRow], total: Int) {
        try require(identity, .viewPartnership)
        let today = Self.today(now)
        let query = GovernanceAction.query(on: db).filter(\.$status == GovernanceActionStatus.open.rawValue).filter(\.$dueOn < today.description)
        let total = try await query.copy().count()
        guard total > 0 else { return ([], 0) }
        let actions = try await query.sort(\.$dueOn).sort(\.$createdAt).range(..<max(1, limit)).all()
        return (try await rows(actions, today: today), total)
    }

    private func rows(_ actions: [GovernanceAction], today: CalendarDate) async throws -> [ActionRow] {
        let agencies = try await Self.agencies(on: db)
        let meetings = Dictionary(try await GovernanceMeeting.query(on: db).filter(\.$id ~~ Set(actions.map(\.meetingID))).all()
            .map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        return actions.map { ActionRow(action: $0, owner: agencies[$0.ownerAgencyID], meeting: meetings[$0.meetingID], overdue: $0.isOverdue(today: today)) }
    }
}
