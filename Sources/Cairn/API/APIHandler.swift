import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// Implements the operations generated from `openapi.yaml`. Each one takes the identity
/// `APIAuthorization` checked (`APIRequest.authorize`), then calls the same services as the
/// web pages.
struct APIHandler: APIProtocol {
    let services: AppServices
    var accounts: AccountService { services.accounts }

    static func agency(_ agency: Agency) throws -> Components.Schemas.Agency {
        .init(id: try agency.requireID().uuidString, name: agency.name, _type: try APIEnum.map(agency.agencyType.rawValue),
              htcdsOrganisationType: agency.agencyType.htcdsOrganisationType.rawValue, firstResponder: agency.firstResponder, area: agency.area)
    }

    static func user(_ user: User, agency: Agency) throws -> Components.Schemas.User {
        .init(id: try user.requireID().uuidString, email: user.email, displayName: user.displayName, agencyId: try agency.requireID().uuidString,
              agencyName: agency.name, roles: try user.roles.sorted().map { try APIEnum.map($0.rawValue) }, disabled: user.disabled,
              twoFactorEnabled: user.hasTwoFactor, lastSignInAt: user.lastSignInAt)
    }

    static func uuid(_ text: String, _ what: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw AppError.notFound(what) }
        return id
    }

    func getCurrentUser(_ input: Operations.GetCurrentUser.Input) async throws -> Operations.GetCurrentUser.Output {
        let (identity, _) = try APIRequest.authorize(.getCurrentUser)
        let user = try await accounts.user(identity.userID)
        return .ok(.init(body: .json(try Self.user(user, agency: user.agency))))
    }

    func listAgencies(_ input: Operations.ListAgencies.Input) async throws -> Operations.ListAgencies.Output {
        _ = try APIRequest.authorize(.listAgencies)
        let sort = AccountService.AgencySort(rawValue: input.query.sort?.rawValue ?? "name") ?? .name
        return .ok(.init(body: .json(.init(items: try await accounts.agencies(sort: sort).map(Self.agency)))))
    }

    func createAgency(_ input: Operations.CreateAgency.Input) async throws -> Operations.CreateAgency.Output {
        let (identity, context) = try APIRequest.authorize(.createAgency)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the agency as JSON.") }
        let agency = try await accounts.createAgency(
            .init(name: body.name, type: body._type.rawValue, firstResponder: body.firstResponder ?? false, area: body.area),
            actor: identity.auditActor, address: context.clientAddress)
        return .created(.init(body: .json(try Self.agency(agency))))
    }

    func getAgency(_ input: Operations.GetAgency.Input) async throws -> Operations.GetAgency.Output {
        _ = try APIRequest.authorize(.getAgency)
        return .ok(.init(body: .json(try Self.agency(try await accounts.agency(try Self.uuid(input.path.agencyId, "agency"))))))
    }

    func updateAgency(_ input: Operations.UpdateAgency.Input) async throws -> Operations.UpdateAgency.Output {
        let (identity, context) = try APIRequest.authorize(.updateAgency)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the changes as JSON.") }
        let agency = try await accounts.updateAgency(
            id: try Self.uuid(input.path.agencyId, "agency"),
            .init(name: body.name, type: body._type?.rawValue, firstResponder: body.firstResponder, area: body.area),
            actor: identity.auditActor, address: context.clientAddress)
        return .ok(.init(body: .json(try Self.agency(agency))))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let (identity, context) = try APIRequest.authorize(.listUsers)
        var q = AccountService.UserQuery()
        q.search = String((input.query.q ?? "").prefix(200))
        if let agency = input.query.agencyId {
            guard let id = UUID(uuidString: agency) else { throw AppError.badRequest("Query parameter 'agencyId' is not a valid id.") }
            q.agencyID = id
        }
        q.role = input.query.role.flatMap { Role(rawValue: $0.rawValue) }
        q.sort = AccountService.UserSort(rawValue: input.query.sort?.rawValue ?? "name") ?? .name
        q.page = input.query.page ?? 1
        q.perPage = input.query.perPage ?? 50
        guard q.page >= 1, q.page <= 100_000 else { throw AppError.badRequest("Query parameter 'page' must be 1 or more.") }
        guard (1...200).contains(q.perPage) else { throw AppError.badRequest("Query parameter 'perPage' must be from 1 to 200.") }
        let (users, total) = try await accounts.users(q)
        try await services.audit.append(AuditEvent(actor: identity.auditActor, action: "user.listed", recordType: "user", address: context.clientAddress, detail: "api; \(users.count) shown"))
        return .ok(.init(body: .json(.init(items: try users.map { try Self.user($0, agency: $0.agency) }, total: total, page: q.page, perPage: q.perPage))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let (identity, context) = try APIRequest.authorize(.createUser)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the user as JSON.") }
        let (user, temporary) = try await accounts.createUser(
            .init(email: body.email, displayName: body.displayName, agencyID: body.agencyId, roles: body.roles.map(\.rawValue), password: body.password),
            actor: identity.auditActor, address: context.clientAddress)
        let agency = try await accounts.agency(user.$agency.id)
        return .created(.init(body: .json(.init(user: try Self.user(user, agency: agency), temporaryPassword: temporary))))
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        let (identity, context) = try APIRequest.authorize(.getUser)
        let user = try await accounts.user(try Self.uuid(input.path.userId, "user"))
        try await services.audit.append(AuditEvent(actor: identity.auditActor, action: "user.viewed", recordType: "user", recordID: try user.requireID().uuidString, address: context.clientAddress, detail: "api"))
        return .ok(.init(body: .json(try Self.user(user, agency: user.agency))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let (identity, context) = try APIRequest.authorize(.updateUser)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the changes as JSON.") }
        let id = try Self.uuid(input.path.userId, "user")
        _ = try await accounts.updateUser(
            id: id, .init(displayName: body.displayName, agencyID: body.agencyId, roles: body.roles?.map(\.rawValue), disabled: body.disabled),
            actor: identity.auditActor, address: context.clientAddress)
        let user = try await accounts.user(id)
        return .ok(.init(body: .json(try Self.user(user, agency: user.agency))))
    }
}
