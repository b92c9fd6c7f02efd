import CairnCore
import Foundation

/// View models of the meetings' and action log's pages (`partnership/meeting-*.mustache`).
extension MeetingController {
    struct MeetingRow: Sendable {
        let id: String
        let title: String
        let date: String
        let group: String
        let present: Int
        let openActions: Int
    }

    struct MeetingsPage: Sendable {
        let rows: [MeetingRow]
        let empty: Bool
        let canEdit: Bool
        let sorts: [Choice]
        let groups: [Choice]
        let pagination: Pagination
    }

    struct ActionRow: Sendable {
        let id: String
        let text: String
        let owner: String
        let due: String
        let status: String
        let done: Bool
        let doneOn: String?
        let overdue: Bool
        let meetingID: String
        let meeting: String
    }

    struct ActionsPage: Sendable {
        let rows: [ActionRow]
        let empty: Bool
        let filter: String
        let tabs: [Choice]
        let canEdit: Bool
        let pagination: Pagination
    }

    struct PaperRow: Sendable {
        let number: Int
        let title: String
        let url: String
        /// This row's problems, when the form came back with errors.
        var titleError: String? = nil
        var urlError: String? = nil
    }

    struct MeetingPage: Sendable, DateFieldPage {
        let id: String
        let title: String
        let date: String
        let groupID: String
        let group: String
        let present: [String]
        let noPresent: Bool
        let apologies: [String]
        let noApologies: Bool
        let papers: [PaperRow]
        let noPapers: Bool
        let decisions: [String]
        let noDecisions: Bool
        let actions: [ActionRow]
        let noActions: Bool
        let canEdit: Bool
        /// The add-action form.
        let actionText: String
        let owners: [Choice]
        var dates: [String: DateField]
    }

    struct MeetingFormPage: Sendable, DateFieldPage {
        let isNew: Bool
        let action: String
        let cancel: String
        let groups: [Choice]
        let noGroups: Bool
        let title: String
        let present: [Choice]
        let apologies: [Choice]
        let papers: [PaperRow]
        let decisions: String
        var dates: [String: DateField]
    }

    static func row(_ r: GovernanceService.MeetingRow) throws -> MeetingRow {
        MeetingRow(id: try r.meeting.requireID().uuidString, title: r.meeting.title, date: Format.day(r.meeting.heldOn),
                   group: r.group?.name ?? "", present: r.present, openActions: r.openActions)
    }

    static func actionRow(_ r: GovernanceService.ActionRow) throws -> ActionRow {
        let status = r.action.actionStatus
        return ActionRow(id: try r.action.requireID().uuidString, text: r.action.text, owner: r.owner?.name ?? "An agency no longer listed",
                         due: Format.day(r.action.dueOn), status: status.label, done: status == .done, doneOn: r.action.doneOn.map { Format.day($0) },
                         overdue: r.overdue, meetingID: r.action.meetingID.uuidString, meeting: r.meeting?.title ?? "")
    }

    func meetingPage(_ d: GovernanceService.MeetingDetail, identity: Identity, action: GovernanceService.ActionInput = .init()) async throws -> MeetingPage {
        let today = GovernanceService.today()
        let canEdit = identity.can(.editPartnership)
        let owners = canEdit ? try await governance.members(identity: identity, page: 1, perPage: 1000).rows.map(\.agency) : []
        return MeetingPage(
            id: try d.meeting.requireID().uuidString, title: d.meeting.title, date: Format.day(d.meeting.heldOn),
            groupID: try d.group.requireID().uuidString, group: d.group.name,
            present: d.attendance.filter { $0.status == .present }.map(\.agency.name), noPresent: !d.attendance.contains { $0.status == .present },
            apologies: d.attendance.filter { $0.status == .apologies }.map(\.agency.name), noApologies: !d.attendance.contains { $0.status == .apologies },
            papers: d.papers.enumerated().map { PaperRow(number: $0 + 1, title: $1.title, url: $1.url) }, noPapers: d.papers.isEmpty,
            decisions: d.decisions, noDecisions: d.decisions.isEmpty,
            actions: try d.actions.map { a in
                try Self.actionRow(.init(action: a, owner: d.agencies[a.ownerAgencyID], meeting: d.meeting, overdue: a.isOverdue(today: today)))
            },
            noActions: d.actions.isEmpty, canEdit: canEdit, actionText: action.text,
            owners: try GovernanceController.agencyChoices(owners, selected: [action.ownerAgencyID]),
            dates: ["dueOn": DateField("dueOn", legend: "Due by", hint: DateField.example(today.adding(days: 28)), value: action.dueOn)])
    }

    func meetingForm(_ d: GovernanceService.MeetingDetail?, input: GovernanceService.MeetingInput?, identity: Identity,
                     errors: [AppError.FieldError] = []) async throws -> MeetingFormPage {
        let today = GovernanceService.today()
        // Members now, and any agency that has left since but is on this meeting's record.
        var agencies = try await governance.members(identity: identity, page: 1, perPage: 1000).rows.map(\.agency)
        for (agency, _) in d?.attendance ?? [] where !agencies.contains(where: { $0.id == agency.id }) { agencies.append(agency) }
        let groups = try await governance.groups(identity: identity)
        let present = Set(input?.present ?? d?.attendance.filter { $0.status == .present }.compactMap { $0.agency.id?.uuidString } ?? [])
        let apologies = Set(input?.apologies ?? d?.attendance.filter { $0.status == .apologies }.compactMap { $0.agency.id?.uuidString } ?? [])
        let groupID = input?.groupID ?? d?.group.id?.uuidString ?? ""
        var papers = input?.papers.filter { !$0.title.isEmpty || !$0.url.isEmpty } ?? d?.papers ?? []
        // Three empty rows to add papers in, up to the limit.
        papers += Array(repeating: GovernanceService.Paper(title: "", url: ""), count: max(0, min(3, GovernanceService.maxPapers - papers.count)))
        let id = d?.meeting.id
        return MeetingFormPage(
            isNew: d == nil, action: (id.map { MeetingRoute.updateMeeting(.value($0)) } ?? .recordMeeting).path,
            cancel: (id.map { MeetingRoute.meeting(.value($0)) } ?? .meetings).path,
            groups: try groups.map { Choice(value: try $0.group.requireID().uuidString, label: "\($0.group.name) (\($0.group.groupKind.label.lowercased()))",
                                            selected: $0.group.id?.uuidString == groupID) },
            noGroups: groups.isEmpty, title: input?.title ?? d?.meeting.title ?? "",
            present: try GovernanceController.agencyChoices(agencies, selected: present),
            apologies: try GovernanceController.agencyChoices(agencies, selected: apologies),
            papers: papers.prefix(GovernanceService.maxPapers).enumerated().map { index, paper in
                PaperRow(number: index + 1, title: paper.title, url: paper.url, titleError: errors.first { $0.field == "paperTitle\(index + 1)" }?.message,
                         urlError: errors.first { $0.field == "paperUrl\(index + 1)" }?.message)
            },
            decisions: (input?.decisions ?? d?.decisions ?? []).joined(separator: "\n"),
            dates: ["heldOn": DateField("heldOn", legend: "Date of the meeting", hint: DateField.example(today),
                                        value: input?.heldOn ?? d?.meeting.heldOn ?? "")])
    }
}
