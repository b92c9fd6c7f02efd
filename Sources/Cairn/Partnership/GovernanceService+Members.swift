import CairnCore
import FluentKit
import Foundation

/// Members: which agencies of the directory belong to the partnership, in which role and since
/// when, and their named contacts. An agency that leaves keeps its record (with the day it
/// left), so past meetings and agreements still name it; its contacts are deleted then, and it
/// leaves every group.
extension GovernanceService {
    enum MemberSort: String, CaseIterable, Sendable {
        case name, role, joined

        var label: String {
            switch self {
            case .name: "Agency name"
            case .role: "Role"
            case .joined: "Date joined"
            }
        }
    }

    struct MemberInput: Sendable {
        var agencyID = ""
        var role = ""
        var joinedOn = ""
    }

    struct ContactInput: Sendable {
        var name = ""
        var role = ""
        var email = ""
        var phone = ""
    }

    struct MemberRow: Sendable {
        let member: PartnershipMember
        let agency: Agency
        let contacts: Int
    }

    struct MemberDetail: Sendable {
        let member: PartnershipMember
        let agency: Agency
        let contacts: [PartnershipContact]
        let groups: [GovernanceGroup]
    }

    /// Members, current first (those who left are listed when asked for), in the chosen order.
    func members(identity: Identity, sort: MemberSort = .name, includeLeft: Bool = false, page: Int = 1, perPage: Int = 25) async throws -> ListPage<MemberRow> {
        try require(identity, .viewPartnership)
        let agencies = try await Self.agencies(on: db)
        var query = PartnershipMember.query(on: db)
        if !includeLeft { query = query.filter(\.$leftOn == nil) }
        let members = try await query.all()
        var counts: [UUID: Int] = [:]
        for contact in try await PartnershipContact.query(on: db).all() { counts[contact.memberID, default: 0] += 1 }
        let roleOrder = Dictionary(uniqueKeysWithValues: MemberRole.allCases.enumerated().map { ($1, $0) })
        let rows = try members.compactMap { m -> MemberRow? in
            guard let agency = agencies[m.agencyID] else { return nil }
            return MemberRow(member: m, agency: agency, contacts: counts[try m.requireID()] ?? 0)
        }.sorted { a, b in
            if a.member.isCurrent != b.member.isCurrent { return a.member.isCurrent }
            switch sort {
            case .name: break
            case .role:
                let (x, y) = (roleOrder[a.member.memberRole] ?? 9, roleOrder[b.member.memberRole] ?? 9)
                if x != y { return x < y }
            case .joined:
                if a.member.joinedOn != b.member.joinedOn { return a.member.joinedOn < b.member.joinedOn }
            }
            return a.agency.name.localizedCaseInsensitiveCompare(b.agency.name) == .orderedAscending
        }
        return ListPage(all: rows, page: page, perPage: perPage)
    }

    /// One member with its contacts and groups. Showing the contacts is audited (they are
    /// people); a page that does not show them (`showsContacts: false`) writes no entry.
    func member(_ id: UUID, identity: Identity, address: String, via: String, showsContacts: Bool = true) async throws -> MemberDetail {
        try require(identity, .viewPartnership)
        guard let member = try await PartnershipMember.find(id, on: db), let agency = try await Agency.find(member.agencyID, on: db) else {
            throw AppError.notFound("member")
        }
        let contacts = try await PartnershipContact.query(on: db).filter(\.$memberID == id).sort(\.$name).all()
        let groupIDs = try await GovernanceGroupMember.query(on: db).filter(\.$agencyID == member.agencyID).all().map(\.groupID)
        let groups = try await GovernanceGroup.query(on: db).filter(\.$id ~~ groupIDs).sort(\.$name).all()
        if showsContacts, !contacts.isEmpty {
            try await log(identity, "member.contacts.viewed", "partnership_member", id, address: address, detail: "\(via); \(contacts.count) contacts")
        }
        return MemberDetail(member: member, agency: agency, contacts: contacts, groups: groups)
    }

    /// Every current member with its contacts (the API's list), audited once.
    func membersWithContacts(identity: Identity, address: String, via: String) async throws -> [MemberDetail] {
        try require(identity, .viewPartnership)
        let agencies = try await Self.agencies(on: db)
        let members = try await PartnershipMember.query(on: db).filter(\.$leftOn == nil).all()
        let contacts = Dictionary(grouping: try await PartnershipContact.query(on: db).sort(\.$name).all(), by: \.memberID)
        var groupsOf: [UUID: [GovernanceGroup]] = [:]
        let groups = Dictionary(try await GovernanceGroup.query(on: db).all().map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        for row in try await GovernanceGroupMember.query(on: db).all() {
            if let group = groups[row.groupID] { groupsOf[row.agencyID, default: []].append(group) }
        }
        let details = try members.compactMap { m -> MemberDetail? in
            guard let agency = agencies[m.agencyID] else { return nil }
            return MemberDetail(member: m, agency: agency, contacts: contacts[try m.requireID()] ?? [],
                                groups: (groupsOf[m.agencyID] ?? []).sorted { $0.name < $1.name })
        }.sorted { $0.agency.name.localizedCaseInsensitiveCompare($1.agency.name) == .orderedAscending }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "members.listed", recordType: "partnership_member",
                                          address: address, detail: "\(via); \(details.count) members, \(details.reduce(0) { $0 + $1.contacts.count }) contacts"))
        return details
    }

    /// Agencies of the directory that are not members now, for the form that adds one.
    func agenciesToAdd(identity: Identity) async throws -> [Agency] {
        try require(identity, .editPartnership)
        let members = try await Self.currentMembers(on: db)
        return try await Agency.query(on: db).sort(\.$name).all().filter { agency in agency.id.map { members[$0] == nil } ?? false }
    }

    func validRole(_ text: String, into v: inout Validator) -> MemberRole? {
        guard let role = MemberRole(rawValue: text) else {
            v.add("role", "Choose the agency's role in the partnership: chair, secretariat, member or associate.")
            return nil
        }
        return role
    }

    /// Adds an agency as a member (again, if it left before: its record is renewed).
    func addMember(_ input: MemberInput, identity: Identity, address: String, now: Date = Date()) async throws -> PartnershipMember {
        try require(identity, .editPartnership)
        var v = Validator()
        let agencyID = UUID(uuidString: input.agencyID.trimmingCharacters(in: .whitespaces))
        let role = validRole(input.role, into: &v)
        let joined = Self.date(input.joinedOn, field: "joinedOn", label: "The date it joined", notAfter: Self.today(now), into: &v)
        let found = v
        return try await db.transaction { tx in
            var v = found
            var agency: Agency?, existing: PartnershipMember?
            if let agencyID {
                agency = try await Agency.find(agencyID, on: tx)
                existing = try await PartnershipMember.query(on: tx).filter(\.$agencyID == agencyID).first()
            }
            if agency == nil { v.add("agencyId", "Choose an agency from the list.") }
            if let existing, existing.isCurrent, let agency { v.add("agencyId", "\(agency.name) is already a member.") }
            try v.check()
            let member = existing ?? PartnershipMember()
            if existing == nil {
                member.id = UUID()
                member.agencyID = try agencyID.checked("agency")
                member.createdAt = now
            }
            member.role = try role.checked("role").rawValue
            member.joinedOn = try joined.checked("date").description
            member.leftOn = nil
            member.updatedAt = now
            try await member.save(on: tx)
            try await log(identity, existing == nil ? "member.added" : "member.rejoined", "partnership_member",
                          member.id, address: address, detail: "\(member.role); joined \(member.joinedOn)", on: tx)
            return member
        }
    }

    /// Changes a member's role or the date it joined.
    func updateMember(_ id: UUID, _ input: MemberInput, identity: Identity, address: String, now: Date = Date()) async throws -> PartnershipMember {
        try require(identity, .editPartnership)
        var v = Validator()
        let role = validRole(input.role, into: &v)
        let joined = Self.date(input.joinedOn, field: "joinedOn", label: "The date it joined", notAfter: Self.today(now), into: &v)
        let found = v
        return try await db.transaction { tx in
            guard let member = try await PartnershipMember.find(id, on: tx) else { throw AppError.notFound("member") }
            guard member.isCurrent else { throw AppError.conflict("This agency left the partnership on \(Format.day(member.leftOn)). Add it again to change its role.") }
            try found.check()
            member.role = try role.checked("role").rawValue
            member.joinedOn = try joined.checked("date").description
            member.updatedAt = now
            try await member.save(on: tx)
            try await log(identity, "member.updated", "partnership_member", id, address: address, detail: "\(member.role); joined \(member.joinedOn)", on: tx)
            return member
        }
    }

    /// The agency leaves the partnership today: its contacts are deleted, it leaves every group
    /// (and stops chairing any), and its record stays for the meetings and agreements that name it.
    func removeMember(_ id: UUID, identity: Identity, address: String, now: Date = Date()) async throws -> PartnershipMember {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            guard let member = try await PartnershipMember.find(id, on: tx) else { throw AppError.notFound("member") }
            guard member.isCurrent else { throw AppError.conflict("This agency already left the partnership on \(Format.day(member.leftOn)).") }
            let contacts = try await PartnershipContact.query(on: tx).filter(\.$memberID == id).count()
            try await PartnershipContact.query(on: tx).filter(\.$memberID == id).delete()
            try await GovernanceGroupMember.query(on: tx).filter(\.$agencyID == member.agencyID).delete()
            for group in try await GovernanceGroup.query(on: tx).filter(\.$chairAgencyID == member.agencyID).all() {
                group.chairAgencyID = nil
                group.updatedAt = now
                try await group.save(on: tx)
            }
            member.leftOn = Self.today(now).description
            member.updatedAt = now
            try await member.save(on: tx)
            try await log(identity, "member.removed", "partnership_member", id, address: address, detail: "\(contacts) contacts deleted", on: tx)
            return member
        }
    }

    /// One contact of a member, for the page that asks to confirm removing it.
    func contact(_ contactID: UUID, of memberID: UUID, identity: Identity, address: String) async throws -> (PartnershipContact, Agency) {
        try require(identity, .editPartnership)
        guard let contact = try await PartnershipContact.query(on: db).filter(\.$id == contactID).filter(\.$memberID == memberID).first(),
              let member = try await PartnershipMember.find(memberID, on: db), let agency = try await Agency.find(member.agencyID, on: db) else {
            throw AppError.notFound("contact")
        }
        try await log(identity, "member.contact.viewed", "partnership_contact", contactID, address: address)
        return (contact, agency)
    }

    /// Adds a named contact to a current member: a name and job role, and optionally a work
    /// e-mail address and phone number.
    func addContact(to memberID: UUID, _ input: ContactInput, identity: Identity, address: String, now: Date = Date()) async throws -> PartnershipContact {
        try require(identity, .editPartnership)
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "Name", max: 120)
        let role = v.text(input.role, field: "role", label: "Their role", max: 120)
        let email = v.text(input.email, field: "email", label: "Email address", required: false, max: 254).lowercased()
        if !email.isEmpty, v.message(for: "email") == nil, !AccountService.isPlausibleEmail(email) {
            v.add("email", "Enter an email address like name@example.org, or leave it empty.")
        }
        let phone = v.text(input.phone, field: "phone", label: "Phone number", required: false, max: 40)
        if !phone.isEmpty, v.message(for: "phone") == nil,
           !phone.allSatisfy({ $0.isASCII && ($0.isNumber || " +()-".contains($0)) }) || phone.filter(\.isNumber).count < 6 {
            v.add("phone", "Enter a phone number of digits, spaces and + ( ) -, or leave it empty.")
        }
        let found = v
        return try await db.transaction { tx in
            guard let member = try await PartnershipMember.find(memberID, on: tx) else { throw AppError.notFound("member") }
            guard member.isCurrent else { throw AppError.conflict("This agency left the partnership: it has no contacts now.") }
            try found.check()
            let contact = PartnershipContact()
            contact.id = UUID()
            contact.memberID = memberID
            contact.name = name
            contact.role = role
            contact.email = email
            contact.phone = phone
            contact.createdAt = now
            try await contact.create(on: tx)
            try await log(identity, "member.contact.added", "partnership_contact", contact.id, address: address, detail: "member \(memberID.uuidString)", on: tx)
            return contact
        }
    }

    /// Deletes a contact (their details are not kept).
    func removeContact(_ contactID: UUID, of memberID: UUID, identity: Identity, address: String) async throws {
        try require(identity, .editPartnership)
        try await db.transaction { tx in
            guard let contact = try await PartnershipContact.query(on: tx).filter(\.$id == contactID).filter(\.$memberID == memberID).first() else {
                throw AppError.notFound("contact")
            }
            try await contact.delete(on: tx)
            try await log(identity, "member.contact.removed", "partnership_contact", contactID, address: address, detail: "member \(memberID.uuidString)", on: tx)
        }
    }
}
