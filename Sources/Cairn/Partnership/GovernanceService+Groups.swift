import CairnCore
import FluentKit
import Foundation

/// The board, its sub-groups and the sector networks: each a named group of member agencies,
/// with terms of reference and a chair. There is one board.
extension GovernanceService {
    struct GroupInput: Sendable {
        var kind = ""
        var name = ""
        var terms = ""
        var chairAgencyID = ""
        var members: [String] = []
    }

    struct GroupSummary: Sendable {
        let group: GovernanceGroup
        let members: Int
        let chair: Agency?
    }

    struct GroupDetail: Sendable {
        let group: GovernanceGroup
        let members: [Agency]
        let chair: Agency?
        let meetings: [GovernanceMeeting]
    }

    /// Every group: the board first, then sub-groups and networks, each by name.
    func groups(identity: Identity) async throws -> [GroupSummary] {
        try require(identity, .viewPartnership)
        let agencies = try await Self.agencies(on: db)
        var counts: [UUID: Int] = [:]
        for row in try await GovernanceGroupMember.query(on: db).all() { counts[row.groupID, default: 0] += 1 }
        let order = Dictionary(uniqueKeysWithValues: GovernanceGroupKind.allCases.enumerated().map { ($1, $0) })
        return try await GovernanceGroup.query(on: db).all().map { group in
            GroupSummary(group: group, members: counts[try group.requireID()] ?? 0, chair: group.chairAgencyID.flatMap { agencies[$0] })
        }.sorted { a, b in
            let (x, y) = (order[a.group.groupKind] ?? 9, order[b.group.groupKind] ?? 9)
            return x != y ? x < y : a.group.name.localizedCaseInsensitiveCompare(b.group.name) == .orderedAscending
        }
    }

    func group(_ id: UUID, identity: Identity) async throws -> GroupDetail {
        try require(identity, .viewPartnership)
        guard let group = try await GovernanceGroup.find(id, on: db) else { throw AppError.notFound("group") }
        let agencies = try await Self.agencies(on: db)
        let members = try await GovernanceGroupMember.query(on: db).filter(\.$groupID == id).all().compactMap { agencies[$0.agencyID] }
            .sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
        let meetings = try await GovernanceMeeting.query(on: db).filter(\.$groupID == id).sort(\.$heldOn, .descending).range(..<50).all()
        return GroupDetail(group: group, members: members, chair: group.chairAgencyID.flatMap { agencies[$0] }, meetings: meetings)
    }

    func createGroup(_ input: GroupInput, identity: Identity, address: String, now: Date = Date()) async throws -> GovernanceGroup {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            let group = GovernanceGroup()
            group.id = UUID()
            group.createdAt = now
            let members = try await apply(input, to: group, on: tx, now: now)
            try await group.create(on: tx)
            try await setMembers(members, of: try group.requireID(), on: tx)
            try await log(identity, "group.created", "partnership_group", group.id, address: address,
                          detail: "\(group.kind); \(members.count) members", on: tx)
            return group
        }
    }

    func updateGroup(_ id: UUID, _ input: GroupInput, identity: Identity, address: String, now: Date = Date()) async throws -> GovernanceGroup {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            guard let group = try await GovernanceGroup.find(id, on: tx) else { throw AppError.notFound("group") }
            let members = try await apply(input, to: group, on: tx, now: now)
            try await group.save(on: tx)
            try await setMembers(members, of: id, on: tx)
            try await log(identity, "group.updated", "partnership_group", id, address: address,
                          detail: "\(group.kind); \(members.count) members", on: tx)
            return group
        }
    }

    /// Checks the input and sets the group's fields; returns its members (the chair among them).
    private func apply(_ input: GroupInput, to group: GovernanceGroup, on tx: any Database, now: Date) async throws -> [UUID] {
        var v = Validator()
        let kind = GovernanceGroupKind(rawValue: input.kind)
        if kind == nil { v.add("kind", "Choose what kind of group it is: the board, a sub-group or a sector network.") }
        let name = v.text(input.name, field: "name", label: "Name", max: 120)
        let terms = v.text(input.terms, field: "terms", label: kind == .network ? "What the network is for" : "Terms of reference",
                           required: kind != .network, max: 5000)
        if kind == .board, let board = try await GovernanceGroup.query(on: tx).filter(\.$kind == GovernanceGroupKind.board.rawValue).first(),
           board.id != group.id {
            v.add("kind", "The partnership already has a board (\(board.name)). Make this a sub-group, or change the board.")
        }
        let agencies = try await Self.agencies(on: tx)
        let current = try await Self.currentMembers(on: tx)
        var members = Self.memberAgencies(input.members, field: "members", members: current, agencies: agencies, into: &v)
        let chairText = input.chairAgencyID.trimmingCharacters(in: .whitespaces)
        var chair: UUID?
        if !chairText.isEmpty {
            chair = Self.memberAgencies([chairText], field: "chairAgencyId", members: current, agencies: agencies, into: &v).first
            if let chair, !members.contains(chair) { members.insert(chair, at: 0) }
        }
        try v.check()
        group.kind = try kind.checked("kind").rawValue
        group.name = name
        group.terms = terms
        group.chairAgencyID = chair
        group.updatedAt = now
        return members
    }

    private func setMembers(_ members: [UUID], of groupID: UUID, on tx: any Database) async throws {
        try await GovernanceGroupMember.query(on: tx).filter(\.$groupID == groupID).delete()
        for agency in members { try await GovernanceGroupMember(group: groupID, agency: agency).create(on: tx) }
    }
}
