import CairnCore
import Foundation
import Testing

@testable import Cairn

/// The partnership's ids for the route walks (`WalkFixture`): the demo's board, a meeting, one
/// of its actions and an agreement, and for each account that may edit, a member of its own with
/// a contact of its own, so removing them in one account's walk leaves the others' to remove.
struct PartnershipWalkFixture: Sendable {
    let member: UUID
    let memberFor: [String: UUID]
    let contactFor: [String: UUID]
    let group: UUID
    let meeting: UUID
    let action: UUID
    let agreement: UUID

    static func make(_ services: AppServices) async throws -> PartnershipWalkFixture {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let governance = services.governance
        let member = try #require(try await governance.members(identity: coordinator).rows.first?.member.requireID())
        var memberFor: [String: UUID] = [:], contactFor: [String: UUID] = [:]
        for account in DemoPartnership.accounts where AccessPolicy.allows(account.roles, .editPartnership) {
            let agency = try await services.accounts.createAgency(.init(name: "Walk partner for \(account.email)", type: AgencyType.ngo.rawValue, area: "Westmere"),
                                                                  actor: .system, address: "test")
            let added = try await governance.addMember(.init(agencyID: try agency.requireID().uuidString, role: "member", joinedOn: "2026-01-05"),
                                                       identity: coordinator, address: "test")
            memberFor[account.email] = try added.requireID()
            contactFor[account.email] = try await governance.addContact(to: try added.requireID(), .init(name: "Walk Contact", role: "Lead"),
                                                                        identity: coordinator, address: "test").requireID()
        }
        let group = try #require(try await governance.groups(identity: coordinator).first?.group.requireID())
        let meetingRow = try #require(try await governance.meetings(identity: coordinator).rows.first)
        let meeting = try meetingRow.meeting.requireID()
        let action = try #require(try await governance.meeting(meeting, identity: coordinator).actions.first?.requireID())
        let agreement = try #require(try await services.agreements.agreements(identity: coordinator).rows.first?.agreement.requireID())
        return PartnershipWalkFixture(member: member, memberFor: memberFor, contactFor: contactFor, group: group, meeting: meeting, action: action,
                                      agreement: agreement)
    }

    func member(_ email: String?) -> String { (email.flatMap { memberFor[$0] } ?? member).uuidString }
    func contact(_ email: String?) -> String { (email.flatMap { contactFor[$0] } ?? UUID()).uuidString }
}
