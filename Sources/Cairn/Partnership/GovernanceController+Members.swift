import CairnCore
import Foundation
import Hummingbird

/// Members' pages: the list, one member with its contacts, adding and changing a member,
/// adding a contact, and (registered last) removing a contact or the member.
extension GovernanceController {
    func addMemberRoutes(to router: AppRouter, table: RouteTable) {
        router.add(GovernanceRoute.members, table: table) { request, context, identity in
            let sort = GovernanceService.MemberSort(rawValue: request.query("sort")) ?? .name
            let showLeft = request.query("show") == "left"
            let page = Pagination.pageNumber(request)
            let list = try await governance.members(identity: identity, sort: sort, includeLeft: showLeft, page: page, perPage: Self.perPage)
            let path = GovernanceRoute.members.path
            let model = MembersPage(
                rows: list.rows.map(Self.memberRow), empty: list.rows.isEmpty, canEdit: identity.can(.editPartnership),
                sorts: Self.sortLinks(sort, path: path, label: \.label, keep: [("show", showLeft ? "left" : "")]), showLeft: showLeft,
                showLeftHref: GovernanceRoute.members.path(query: [("sort", sort.rawValue), ("show", showLeft ? "" : "left")]),
                pagination: Pagination(page: page, perPage: Self.perPage, total: list.total, path: path,
                                       query: [("sort", sort.rawValue), ("show", showLeft ? "left" : "")]))
            return try views.render("partnership/governance-members", model, title: "Members of the partnership", request: request, context: context)
        }
        router.add(GovernanceRoute.newMember, table: table) { request, context, identity in
            try views.render("partnership/governance-member-form", try await memberForm(nil, identity: identity), title: "Add a member",
                             request: request, context: context)
        }
        router.add(GovernanceRoute.addMember, table: table) { request, context, identity in
            let (form, dates) = try await MemberForm.readWithDates(request)
            do {
                let member = try await governance.addMember(form.input, identity: identity, address: context.clientAddress)
                return .seeOther(GovernanceRoute.member(.value(try member.requireID())).path, flash: "Member added.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("partnership/governance-member-form", try await memberForm(nil, input: form.input, identity: identity),
                                        title: "Add a member", request: request, context: context, errors: dates.merged(error.fieldErrors), status: error.status, dates: dates)
            }
        }
        router.add(GovernanceRoute.member(.key), table: table) { request, context, identity in
            let detail = try await governance.member(try context.id(.memberId, "member"), identity: identity, address: context.clientAddress, via: "web")
            return try views.render("partnership/governance-member", try Self.memberPage(detail, identity: identity), title: detail.agency.name,
                                    request: request, context: context)
        }
        router.add(GovernanceRoute.editMember(.key), table: table) { request, context, identity in
            let detail = try await governance.member(try context.id(.memberId, "member"), identity: identity, address: context.clientAddress, via: "web",
                                                     showsContacts: false)
            return try views.render("partnership/governance-member-form", try await memberForm(detail, identity: identity),
                                    title: "Change \(detail.agency.name)", request: request, context: context)
        }
        router.add(GovernanceRoute.updateMember(.key), table: table) { request, context, identity in
            let id = try context.id(.memberId, "member")
            let (form, dates) = try await MemberForm.readWithDates(request)
            do {
                _ = try await governance.updateMember(id, form.input, identity: identity, address: context.clientAddress)
                return .seeOther(GovernanceRoute.member(.value(id)).path, flash: "Changes saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await governance.member(id, identity: identity, address: context.clientAddress, via: "web", showsContacts: false)
                return try views.render("partnership/governance-member-form", try await memberForm(detail, input: form.input, identity: identity),
                                        title: "Change \(detail.agency.name)", request: request, context: context, errors: dates.merged(error.fieldErrors),
                                        status: error.status, dates: dates)
            }
        }
        router.add(GovernanceRoute.addContact(.key), table: table) { request, context, identity in
            let id = try context.id(.memberId, "member")
            let input = try await MemberContactForm.read(request).input
            do {
                _ = try await governance.addContact(to: id, input, identity: identity, address: context.clientAddress)
                return .seeOther(GovernanceRoute.member(.value(id)).path(fragment: "contacts"), flash: "Contact added.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await governance.member(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("partnership/governance-member", try Self.memberPage(detail, identity: identity, contact: input),
                                        title: detail.agency.name, request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
    }

    /// Removing a contact or a member: each behind a page that asks to confirm.
    func addRemovalRoutes(to router: AppRouter, table: RouteTable) {
        router.add(GovernanceRoute.confirmRemoveContact(.key, contact: .key), table: table) { request, context, identity in
            let memberID = try context.id(.memberId, "member"), contactID = try context.id(.contactId, "contact")
            let (contact, agency) = try await governance.contact(contactID, of: memberID, identity: identity, address: context.clientAddress)
            let page = ConfirmPage(heading: "Remove this contact?",
                                   body: "\(contact.name), \(contact.role), at \(agency.name). Their name and details are deleted, not kept.",
                                   action: GovernanceRoute.removeContact(.value(memberID), contact: .value(contactID)).path, button: "Remove contact",
                                   cancel: GovernanceRoute.member(.value(memberID)).path, warning: true)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(GovernanceRoute.removeContact(.key, contact: .key), table: table) { _, context, identity in
            let memberID = try context.id(.memberId, "member"), contactID = try context.id(.contactId, "contact")
            try await governance.removeContact(contactID, of: memberID, identity: identity, address: context.clientAddress)
            return .seeOther(GovernanceRoute.member(.value(memberID)).path(fragment: "contacts"), flash: "Contact removed.")
        }
        router.add(GovernanceRoute.confirmRemoveMember(.key), table: table) { request, context, identity in
            let id = try context.id(.memberId, "member")
            let detail = try await governance.member(id, identity: identity, address: context.clientAddress, via: "web", showsContacts: false)
            guard detail.member.isCurrent else { throw AppError.conflict("\(detail.agency.name) already left the partnership.") }
            let page = ConfirmPage(
                heading: "Remove \(detail.agency.name) from the partnership?",
                body: "It leaves the partnership today and every group it belongs to. Its \(detail.contacts.count) named contacts are deleted. "
                    + "Meetings it attended and agreements it signed still name it, and it can be added again later.",
                action: GovernanceRoute.removeMember(.value(id)).path, button: "Remove member", cancel: GovernanceRoute.member(.value(id)).path, warning: true)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(GovernanceRoute.removeMember(.key), table: table) { _, context, identity in
            let id = try context.id(.memberId, "member")
            _ = try await governance.removeMember(id, identity: identity, address: context.clientAddress)
            return .seeOther(GovernanceRoute.member(.value(id)).path, flash: "The agency has left the partnership.")
        }
    }

    static func memberRow(_ row: GovernanceService.MemberRow) -> MemberRow {
        MemberRow(id: row.member.id?.uuidString ?? "", name: row.agency.name, type: row.agency.agencyType.label, role: row.member.memberRole.label,
                  joined: Format.day(row.member.joinedOn), left: row.member.leftOn.map { Format.day($0) }, contacts: row.contacts)
    }

    static func memberPage(_ d: GovernanceService.MemberDetail, identity: Identity, contact: GovernanceService.ContactInput = .init()) throws -> MemberPage {
        MemberPage(
            id: try d.member.requireID().uuidString, agencyID: try d.agency.requireID().uuidString, name: d.agency.name,
            type: d.agency.agencyType.label, role: d.member.memberRole.label, roleHint: d.member.memberRole.hint,
            joined: Format.day(d.member.joinedOn), left: d.member.leftOn.map { Format.day($0) }, current: d.member.isCurrent,
            canEdit: identity.can(.editPartnership) && d.member.isCurrent,
            contacts: try d.contacts.map {
                ContactRow(id: try $0.requireID().uuidString,
                           removeHref: GovernanceRoute.confirmRemoveContact(.value(try d.member.requireID()), contact: .value(try $0.requireID())).path,
                           name: $0.name, role: $0.role, email: $0.email.isEmpty ? nil : $0.email,
                           phone: $0.phone.isEmpty ? nil : $0.phone)
            },
            noContacts: d.contacts.isEmpty,
            groups: try d.groups.map { Choice(value: GovernanceRoute.group(.value(try $0.requireID())).path, label: $0.name, selected: false, hint: $0.groupKind.label) },
            noGroups: d.groups.isEmpty,
            contactName: contact.name, contactRole: contact.role, contactEmail: contact.email, contactPhone: contact.phone)
    }

    func memberForm(_ d: GovernanceService.MemberDetail?, input: GovernanceService.MemberInput? = nil, identity: Identity) async throws -> MemberFormPage {
        let today = GovernanceService.today()
        let agencies = d == nil ? try await governance.agenciesToAdd(identity: identity) : []
        let role = input?.role ?? d?.member.role ?? MemberRole.member.rawValue
        let joined = input?.joinedOn ?? d?.member.joinedOn ?? today.description
        let id = d?.member.id
        return MemberFormPage(
            isNew: d == nil, id: id?.uuidString ?? "", name: d?.agency.name ?? "",
            action: (id.map { GovernanceRoute.updateMember(.value($0)) } ?? .addMember).path,
            cancel: (id.map { GovernanceRoute.member(.value($0)) } ?? .members).path,
            agencies: try Self.agencyChoices(agencies, selected: [input?.agencyID ?? ""]), noAgencies: d == nil && agencies.isEmpty,
            roles: Self.choices(MemberRole.self, selected: role, label: \.label, hint: \.hint),
            dates: ["joinedOn": DateField("joinedOn", legend: "Date it joined the partnership", hint: DateField.example(today), value: joined)])
    }
}
