import CairnCore
import Foundation
import Hummingbird

/// The partnership's profile pages: the overview (`/partnership`), members and their contacts
/// (`GovernanceController+Members`), and the board, sub-groups and networks (`+Groups`). Every
/// read and change goes through `GovernanceService` (and the overview's agreements through
/// `AgreementService`); the view models are in `GovernanceViews.swift`.
struct GovernanceController {
    let services: AppServices
    let views: Views
    var governance: GovernanceService { services.governance }

    static let perPage = 25

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(GovernanceRoute.overview, table: table) { request, context, identity in
            try views.render("partnership/governance-overview", try await overview(identity), title: "Partnership", request: request, context: context)
        }
        addMemberRoutes(to: router, table: table)
        addGroupRoutes(to: router, table: table)
        addRemovalRoutes(to: router, table: table)
    }

    func overview(_ identity: Identity, now: Date = Date()) async throws -> OverviewPage {
        let members = try await governance.members(identity: identity, page: 1, perPage: 1000)
        let groups = try await governance.groups(identity: identity)
        let meetings = try await governance.meetings(identity: identity, page: 1, perPage: 5)
        let overdue = try await governance.overdueActions(identity: identity, now: now, limit: 5)
        let open = try await governance.actions(identity: identity, filter: .open, page: 1, perPage: 1, now: now)
        let agreements = try await services.agreements.agreements(identity: identity, page: 1, perPage: 1000, now: now)
        let flagged = agreements.rows.filter(\.state.isFlagged)
        let uncovered = try await services.agreements.recentUncoveredCounts(identity: identity, now: now)
        let chair = members.rows.first { $0.member.memberRole == .chair }?.agency.name
        let secretariat = members.rows.first { $0.member.memberRole == .secretariat }?.agency.name
        return OverviewPage(
            canEdit: identity.can(.editPartnership), members: members.total, chair: chair, secretariat: secretariat,
            groups: try groups.map(Self.groupRow), noGroups: groups.isEmpty,
            meetings: try meetings.rows.map(MeetingController.row), noMeetings: meetings.rows.isEmpty,
            openActions: open.total, overdueActions: overdue.total, overdue: try overdue.rows.map(MeetingController.actionRow), noOverdue: overdue.rows.isEmpty,
            agreements: agreements.total, flagged: try flagged.map(AgreementController.row), noneFlagged: flagged.isEmpty,
            uncoveredShares: uncovered.reduce(0) { $0 + $1.count })
    }

    static func groupRow(_ g: GovernanceService.GroupSummary) throws -> GroupRow {
        GroupRow(id: try g.group.requireID().uuidString, name: g.group.name, kind: g.group.groupKind.label, members: g.members,
                 chair: g.chair?.name ?? "No chair named")
    }

    /// Options of a select or radios, one for each value of an enumeration.
    static func choices<T: RawRepresentable & CaseIterable>(_ type: T.Type, selected: String, label: (T) -> String, hint: (T) -> String = { _ in "" })
        -> [Choice] where T.RawValue == String {
        T.allCases.map { Choice(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected, hint: hint($0)) }
    }

    static func agencyChoices(_ agencies: [Agency], selected: Set<String>) throws -> [Choice] {
        try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: selected.contains(try $0.requireID().uuidString)) }
    }

    /// A sort's links above a list (`?sort=`), keeping its other parameters.
    static func sortLinks<S: RawRepresentable & CaseIterable>(_ current: S, path: String, label: (S) -> String, keep: [(String, String)] = [])
        -> [Choice] where S.RawValue == String {
        S.allCases.map { sort in
            var components = URLComponents()
            components.path = path
            components.queryItems = (keep.filter { !$0.1.isEmpty } + [("sort", sort.rawValue)]).map { URLQueryItem(name: $0.0, value: $0.1) }
            return Choice(value: components.string ?? path, label: label(sort), selected: sort == current)
        }
    }
}
