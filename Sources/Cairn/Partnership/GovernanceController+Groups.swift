import CairnCore
import Foundation
import Hummingbird

/// The board, its sub-groups and the sector networks: the list, one group with its members
/// and meetings, and the form that records or changes one.
extension GovernanceController {
    func addGroupRoutes(to router: AppRouter, table: RouteTable) {
        router.add(GovernanceRoute.groups, table: table) { request, context, identity in
            let groups = try await governance.groups(identity: identity)
            let sections = try GovernanceGroupKind.allCases.map { kind in
                let rows = try groups.filter { $0.group.groupKind == kind }.map(Self.groupRow)
                return GroupSection(heading: kind.plural, kind: kind.rawValue, rows: rows, empty: rows.isEmpty)
            }
            return try views.render("partnership/governance-groups", GroupsPage(sections: sections, canEdit: identity.can(.editPartnership)),
                                    title: "Board, sub-groups and networks", request: request, context: context)
        }
        router.add(GovernanceRoute.newGroup, table: table) { request, context, identity in
            var input = GovernanceService.GroupInput()
            input.kind = GovernanceGroupKind(rawValue: request.query("kind"))?.rawValue ?? ""
            return try views.render("partnership/governance-group-form", try await groupForm(nil, input: input, identity: identity),
                                    title: "Add a group", request: request, context: context)
        }
        router.add(GovernanceRoute.createGroup, table: table) { request, context, identity in
            let input = try await GroupForm.read(request).input
            do {
                let group = try await governance.createGroup(input, identity: identity, address: context.clientAddress)
                return .seeOther(GovernanceRoute.group(.value(try group.requireID())).path, flash: "\(group.name) added.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("partnership/governance-group-form", try await groupForm(nil, input: input, identity: identity),
                                        title: "Add a group", request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(GovernanceRoute.group(.key), table: table) { request, context, identity in
            let d = try await governance.group(try context.id(.groupId, "group"), identity: identity)
            return try views.render("partnership/governance-group", try Self.groupPage(d, identity: identity), title: d.group.name,
                                    request: request, context: context)
        }
        router.add(GovernanceRoute.editGroup(.key), table: table) { request, context, identity in
            let d = try await governance.group(try context.id(.groupId, "group"), identity: identity)
            return try views.render("partnership/governance-group-form", try await groupForm(d, input: nil, identity: identity),
                                    title: "Change \(d.group.name)", request: request, context: context)
        }
        router.add(GovernanceRoute.updateGroup(.key), table: table) { request, context, identity in
            let id = try context.id(.groupId, "group")
            let input = try await GroupForm.read(request).input
            do {
                _ = try await governance.updateGroup(id, input, identity: identity, address: context.clientAddress)
                return .seeOther(GovernanceRoute.group(.value(id)).path, flash: "Changes saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let d = try await governance.group(id, identity: identity)
                return try views.render("partnership/governance-group-form", try await groupForm(d, input: input, identity: identity),
                                        title: "Change \(d.group.name)", request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
    }

    static func groupPage(_ d: GovernanceService.GroupDetail, identity: Identity) throws -> GroupPage {
        GroupPage(
            id: try d.group.requireID().uuidString, name: d.group.name, kind: d.group.groupKind.label, terms: d.group.terms.isEmpty ? nil : d.group.terms,
            termsHeading: d.group.groupKind == .network ? "What the network is for" : "Terms of reference", chair: d.chair?.name,
            members: d.members.map { Choice(value: $0.id?.uuidString ?? "", label: $0.name, selected: $0.id == d.chair?.id) },
            noMembers: d.members.isEmpty,
            meetings: try d.meetings.map { try MeetingController.row(.init(meeting: $0, group: d.group, present: 0, openActions: 0)) },
            noMeetings: d.meetings.isEmpty, canEdit: identity.can(.editPartnership))
    }

    func groupForm(_ d: GovernanceService.GroupDetail?, input: GovernanceService.GroupInput?, identity: Identity) async throws -> GroupFormPage {
        let members = try await governance.members(identity: identity, page: 1, perPage: 1000).rows.map(\.agency)
        let chosen = Set(input?.members ?? d?.members.compactMap { $0.id?.uuidString } ?? [])
        let chair = input?.chairAgencyID ?? d?.group.chairAgencyID?.uuidString ?? ""
        let id = d?.group.id
        return GroupFormPage(
            isNew: d == nil, id: id?.uuidString ?? "",
            action: (id.map { GovernanceRoute.updateGroup(.value($0)) } ?? .createGroup).path,
            cancel: (id.map { GovernanceRoute.group(.value($0)) } ?? .groups).path,
            kinds: Self.choices(GovernanceGroupKind.self, selected: input?.kind ?? d?.group.kind ?? "", label: \.label),
            name: input?.name ?? d?.group.name ?? "", terms: input?.terms ?? d?.group.terms ?? "",
            chairs: try Self.agencyChoices(members, selected: [chair]),
            members: try Self.agencyChoices(members, selected: chosen), noMembers: members.isEmpty)
    }
}
