import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// The partnership's members, meetings and information-sharing agreements, and the count of
/// shares no agreement covered: the same services, rules and audit as the pages.
extension APIHandler {
    func listPartnershipMembers(_ input: Operations.ListPartnershipMembers.Input) async throws -> Operations.ListPartnershipMembers.Output {
        let (identity, context) = try APIRequest.authorize(.listPartnershipMembers)
        let members = try await services.governance.membersWithContacts(identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(.init(items: try members.map { d in
            .init(id: try d.member.requireID().uuidString, agencyId: try d.agency.requireID().uuidString, agencyName: d.agency.name,
                  role: try APIEnum.map(d.member.role), joinedOn: d.member.joinedOn,
                  contacts: try d.contacts.map {
                      .init(id: try $0.requireID().uuidString, name: $0.name, role: $0.role, email: $0.email.isEmpty ? nil : $0.email,
                            phone: $0.phone.isEmpty ? nil : $0.phone)
                  },
                  groups: try d.groups.map { .init(id: try $0.requireID().uuidString, name: $0.name, kind: try APIEnum.map($0.kind)) })
        }))))
    }

    func listPartnershipMeetings(_ input: Operations.ListPartnershipMeetings.Input) async throws -> Operations.ListPartnershipMeetings.Output {
        let (identity, _) = try APIRequest.authorize(.listPartnershipMeetings)
        var groupID: UUID?
        if let text = input.query.groupId {
            guard let id = UUID(uuidString: text) else { throw AppError.badRequest("Query parameter 'groupId' is not a valid id.") }
            groupID = id
        }
        let page = input.query.page ?? 1, perPage = input.query.perPage ?? 50
        guard (1...100_000).contains(page) else { throw AppError.badRequest("Query parameter 'page' must be from 1 to 100000.") }
        guard (1...200).contains(perPage) else { throw AppError.badRequest("Query parameter 'perPage' must be from 1 to 200.") }
        let list = try await services.governance.meetings(identity: identity, groupID: groupID, page: page, perPage: perPage)
        return .ok(.init(body: .json(.init(items: try list.rows.map { r in
            .init(id: try r.meeting.requireID().uuidString, groupId: r.meeting.groupID.uuidString, groupName: r.group?.name ?? "",
                  heldOn: r.meeting.heldOn, title: r.meeting.title, present: r.present, openActions: r.openActions)
        }, total: list.total, page: page, perPage: perPage))))
    }

    func recordPartnershipMeeting(_ input: Operations.RecordPartnershipMeeting.Input) async throws -> Operations.RecordPartnershipMeeting.Output {
        let (identity, context) = try APIRequest.authorize(.recordPartnershipMeeting)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the meeting as JSON.") }
        let meeting = try await services.governance.recordMeeting(
            .init(groupID: body.groupId, heldOn: body.heldOn, title: body.title ?? "", present: body.present ?? [], apologies: body.apologies ?? [],
                  papers: (body.papers ?? []).map { .init(title: $0.title, url: $0.url) }, decisions: body.decisions ?? []),
            actions: (body.actions ?? []).map { .init(text: $0.text, ownerAgencyID: $0.ownerAgencyId, dueOn: $0.dueOn) },
            identity: identity, address: context.clientAddress)
        return .created(.init(body: .json(try Self.meeting(try await services.governance.meeting(try meeting.requireID(), identity: identity)))))
    }

    func getPartnershipMeeting(_ input: Operations.GetPartnershipMeeting.Input) async throws -> Operations.GetPartnershipMeeting.Output {
        let (identity, _) = try APIRequest.authorize(.getPartnershipMeeting)
        let d = try await services.governance.meeting(try Self.uuid(input.path.meetingId, "meeting"), identity: identity)
        return .ok(.init(body: .json(try Self.meeting(d))))
    }

    static func meeting(_ d: GovernanceService.MeetingDetail) throws -> Components.Schemas.Meeting {
        let today = GovernanceService.today()
        return .init(
            id: try d.meeting.requireID().uuidString, groupId: try d.group.requireID().uuidString, groupName: d.group.name, heldOn: d.meeting.heldOn,
            title: d.meeting.title,
            attendance: try d.attendance.map { .init(agencyId: try $0.agency.requireID().uuidString, agencyName: $0.agency.name, status: try APIEnum.map($0.status.rawValue)) },
            papers: d.papers.map { .init(title: $0.title, url: $0.url) }, decisions: d.decisions,
            actions: try d.actions.map { a in
                .init(id: try a.requireID().uuidString, text: a.text, ownerAgencyId: a.ownerAgencyID.uuidString,
                      ownerAgencyName: d.agencies[a.ownerAgencyID]?.name ?? "", dueOn: a.dueOn, status: try APIEnum.map(a.status), doneOn: a.doneOn,
                      overdue: a.isOverdue(today: today))
            })
    }

    func listSharingAgreements(_ input: Operations.ListSharingAgreements.Input) async throws -> Operations.ListSharingAgreements.Output {
        let (identity, _) = try APIRequest.authorize(.listSharingAgreements)
        let list = try await services.agreements.agreements(identity: identity, page: 1, perPage: 100_000)
        return .ok(.init(body: .json(.init(items: try list.rows.map(Self.agreement)))))
    }

    func createSharingAgreement(_ input: Operations.CreateSharingAgreement.Input) async throws -> Operations.CreateSharingAgreement.Output {
        let (identity, context) = try APIRequest.authorize(.createSharingAgreement)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the agreement as JSON.") }
        let agreement = try await services.agreements.create(
            .init(title: body.title, purpose: body.purpose, parties: body.parties, categories: body.categories, lawfulBasis: body.lawfulBasis,
                  specialCondition: body.specialCondition ?? "", signedOn: body.signedOn, reviewOn: body.reviewOn, documentTitle: body.documentTitle,
                  documentURL: body.documentUrl),
            identity: identity, address: context.clientAddress)
        return .created(.init(body: .json(try Self.agreement(try await services.agreements.agreement(try agreement.requireID(), identity: identity)))))
    }

    func getSharingAgreement(_ input: Operations.GetSharingAgreement.Input) async throws -> Operations.GetSharingAgreement.Output {
        let (identity, _) = try APIRequest.authorize(.getSharingAgreement)
        let d = try await services.agreements.agreement(try Self.uuid(input.path.agreementId, "agreement"), identity: identity)
        return .ok(.init(body: .json(try Self.agreement(d))))
    }

    static func agreement(_ d: AgreementService.Detail) throws -> Components.Schemas.Agreement {
        let a = d.agreement
        return .init(
            id: try a.requireID().uuidString, title: a.title, purpose: a.purpose,
            parties: try d.parties.map { .init(agencyId: try $0.requireID().uuidString, agencyName: $0.name) },
            categories: try SharedDataCategory.allCases.filter(a.categories.contains).map { try APIEnum.map($0.rawValue) },
            lawfulBasis: try APIEnum.map(a.lawfulBasis), specialCondition: try APIEnum.map(optional: a.specialCondition),
            signedOn: a.signedOn, reviewOn: a.reviewOn, reviewedOn: a.reviewedOn, document: .init(title: a.documentTitle, url: a.documentURL),
            state: try APIEnum.map(d.state.rawValue), flagged: d.state.isFlagged)
    }

    func getUncoveredShares(_ input: Operations.GetUncoveredShares.Input) async throws -> Operations.GetUncoveredShares.Output {
        let (identity, _) = try APIRequest.authorize(.getUncoveredShares)
        let months = input.query.months ?? 12
        guard (1...120).contains(months) else { throw AppError.badRequest("Query parameter 'months' must be from 1 to 120.") }
        let counts = try await services.agreements.recentUncoveredCounts(identity: identity, months: months)
        return .ok(.init(body: .json(.init(items: try counts.map { .init(month: $0.month, kind: try APIEnum.map($0.kind.rawValue), count: $0.count) }))))
    }
}
