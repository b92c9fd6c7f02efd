import CairnCore
import Foundation
import Hummingbird

/// The partnership's member agencies, for everyone signed in; an agency's people for
/// coordinators, administrators and the agency's own members.
struct AgencyDirectoryController {
    let accounts: AccountService
    let audit: AuditLog
    let views: Views

    struct DirectoryPage: Sendable {
        let agencies: [AdminController.AgencyRow]
        let empty: Bool
        let canManage: Bool
    }

    struct AgencyPage: Sendable {
        let id: String
        let name: String
        let type: String
        let htcds: String
        let area: String
        let firstResponder: Bool
        let canManage: Bool
        let canSeeMembers: Bool
        let members: [AdminController.UserRow]
        let noMembers: Bool
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(AgencyDirectoryRoute.directory, table: table) { request, context, identity in
            let agencies = try await accounts.agencies(sort: AccountService.AgencySort(rawValue: request.query("sort")) ?? .name)
            return try views.render("agencies/index", DirectoryPage(agencies: agencies.map(AdminController.row), empty: agencies.isEmpty, canManage: identity.can(.manageAgencies)),
                                    title: "Agencies", request: request, context: context)
        }
        router.add(AgencyDirectoryRoute.agency(.key), table: table) { request, context, identity in
            let agency = try await accounts.agency(try context.id(.agencyId))
            // Staff names and emails are personal data: members only for those with a need.
            let canSeeMembers = identity.can(.viewAgencyMembers) || identity.agencyID == agency.id
            var members: [User] = []
            if canSeeMembers {
                var q = AccountService.UserQuery()
                q.agencyID = agency.id
                q.perPage = 500
                members = try await accounts.users(q).users
                try await audit.append(AuditEvent(actor: identity.auditActor, action: "agency.members.viewed", recordType: "agency", recordID: try agency.requireID().uuidString, address: context.clientAddress))
            }
            let page = AgencyPage(id: try agency.requireID().uuidString, name: agency.name, type: agency.agencyType.label, htcds: agency.agencyType.htcdsOrganisationType.rawValue,
                                  area: agency.area, firstResponder: agency.firstResponder, canManage: identity.can(.manageAgencies),
                                  canSeeMembers: canSeeMembers, members: try members.map(AdminController.row), noMembers: members.isEmpty)
            return try views.render("agencies/show", page, title: agency.name, request: request, context: context)
        }
    }
}
