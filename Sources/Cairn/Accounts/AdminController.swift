import CairnCore
import Foundation
import Hummingbird

/// Administrators manage agencies, people and the two-factor policy.
struct AdminController {
    let accounts: AccountService
    let views: Views

    // MARK: View models

    struct AgencyRow: Sendable {
        let id: String
        let name: String
        let type: String
        let area: String
        let firstResponder: Bool
    }

    struct AgencyListPage: Sendable {
        let agencies: [AgencyRow]
        let empty: Bool
        let sortLinks: [Choice]
    }

    struct AgencyFormPage: Sendable {
        let id: String?
        let action: String
        let name: String
        let area: String
        let firstResponder: Bool
        let types: [Choice]
        let services: [Choice]
        let isNew: Bool
    }

    struct UserRow: Sendable {
        let id: String
        let displayName: String
        let email: String
        let agencyName: String
        let roles: String
        let disabled: Bool
        let twoFactor: Bool
    }

    struct UserListPage: Sendable {
        let users: [UserRow]
        let empty: Bool
        let search: String
        let agencies: [Choice]
        let roles: [Choice]
        let sorts: [Choice]
        let pagination: Pagination
    }

    struct UserFormPage: Sendable {
        let id: String?
        let action: String
        let email: String
        let displayName: String
        let agencies: [Choice]
        let roles: [Choice]
        let isNew: Bool
        let disabled: Bool
        let twoFactor: Bool
        let locked: Bool
        let lastSignIn: String
    }

    struct CreatedPage: Sendable {
        let id: String
        let email: String
        let temporaryPassword: String
        let heading: String
    }

    struct SecurityPage: Sendable {
        let roles: [Choice]
    }

    // MARK: Routes

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(AdminRoute.agencies, table: table) { request, context, _ in
            let sort = AccountService.AgencySort(rawValue: request.query("sort")) ?? .name
            let agencies = try await accounts.agencies(sort: sort)
            let page = AgencyListPage(
                agencies: try agencies.map(Self.row), empty: agencies.isEmpty,
                sortLinks: AccountService.AgencySort.allCases.map {
                    Choice(value: "\(AdminRoute.agencies.path)?sort=\($0.rawValue)", label: $0.rawValue.capitalized, selected: $0 == sort)
                })
            return try views.render("admin/agencies", page, title: "Manage agencies", request: request, context: context)
        }
        router.add(AdminRoute.newAgency, table: table) { request, context, _ in
            try views.render("admin/agency-form", agencyForm(nil, input: .init()), title: "Add an agency", request: request, context: context)
        }
        router.add(AdminRoute.createAgency, table: table) { request, context, identity in
            let input = try await AgencyForm.read(request).input
            do {
                let agency = try await accounts.createAgency(input, actor: identity.auditActor, address: context.clientAddress)
                return .seeOther(AgencyDirectoryRoute.agency(.value(try agency.requireID())).path, flash: "Agency added.")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                return try views.render("admin/agency-form", agencyForm(nil, input: input), title: "Add an agency", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(AdminRoute.editAgency(.key), table: table) { request, context, _ in
            let agency = try await accounts.agency(try context.id(.agencyId))
            return try views.render("admin/agency-form", agencyForm(agency, input: .init()), title: "Change \(agency.name)", request: request, context: context)
        }
        router.add(AdminRoute.updateAgency(.key), table: table) { request, context, identity in
            let id = try context.id(.agencyId)
            let agency = try await accounts.agency(id)
            let input = try await AgencyForm.read(request).input
            do {
                _ = try await accounts.updateAgency(id: id, input, actor: identity.auditActor, address: context.clientAddress)
                return .seeOther(AgencyDirectoryRoute.agency(.value(id)).path, flash: "Agency updated.")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                return try views.render("admin/agency-form", agencyForm(agency, input: input), title: "Change \(agency.name)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }

        router.add(AdminRoute.users, table: table) { request, context, identity in
            var q = AccountService.UserQuery()
            q.search = request.query("q")
            q.agencyID = UUID(uuidString: request.query("agency"))
            q.role = Role(rawValue: request.query("role"))
            q.sort = AccountService.UserSort(rawValue: request.query("sort")) ?? .name
            q.page = Pagination.pageNumber(request)
            let (users, total) = try await accounts.users(q)
            try await accounts.audit.append(AuditEvent(actor: identity.auditActor, action: "user.listed", recordType: "user", address: context.clientAddress,
                                                       detail: "\(users.count) shown"))
            let agencies = try await accounts.agencies()
            let page = UserListPage(
                users: try users.map(Self.row), empty: users.isEmpty, search: q.search,
                agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == q.agencyID) },
                roles: Role.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.role) },
                sorts: AccountService.UserSort.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == q.sort) },
                pagination: Pagination(page: q.page, perPage: q.perPage, total: total, path: AdminRoute.users.path,
                                       query: [("q", q.search), ("agency", q.agencyID?.uuidString ?? ""), ("role", q.role?.rawValue ?? ""), ("sort", q.sort.rawValue)]))
            return try views.render("admin/users", page, title: "People", request: request, context: context)
        }
        router.add(AdminRoute.newUser, table: table) { request, context, _ in
            try views.render("admin/user-form", try await userForm(nil, input: .init()), title: "Add a person", request: request, context: context)
        }
        router.add(AdminRoute.createUser, table: table) { request, context, identity in
            let input = try await UserForm.read(request).input(isNew: true)
            do {
                let (user, temporary) = try await accounts.createUser(input, actor: identity.auditActor, address: context.clientAddress)
                let page = CreatedPage(id: try user.requireID().uuidString, email: user.email, temporaryPassword: temporary ?? "", heading: "Account created")
                return try views.render("admin/user-created", page, title: "Account created", request: request, context: context, status: .created)
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                return try views.render("admin/user-form", try await userForm(nil, input: input), title: "Add a person", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(AdminRoute.user(.key), table: table) { request, context, identity in
            let user = try await accounts.user(try context.id(.userId))
            try await accounts.audit.append(AuditEvent(actor: identity.auditActor, action: "user.viewed", recordType: "user", recordID: try user.requireID().uuidString,
                                                       address: context.clientAddress))
            return try views.render("admin/user-form", try await userForm(user, input: .init()), title: user.displayName, request: request, context: context)
        }
        router.add(AdminRoute.updateUser(.key), table: table) { request, context, identity in
            let id = try context.id(.userId)
            let user = try await accounts.user(id)
            let input = try await UserForm.read(request).input(isNew: false)
            do {
                _ = try await accounts.updateUser(id: id, input, actor: identity.auditActor, address: context.clientAddress)
                return .seeOther(AdminRoute.user(.value(id)).path, flash: "Changes saved.")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                return try views.render("admin/user-form", try await userForm(user, input: input), title: user.displayName, request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        // Destructive actions: a GET shows what will happen and asks to confirm; the POST does it.
        for action in AdminRoute.UserAction.allCases {
            router.add(AdminRoute.confirm(action, .key), table: table) { request, context, _ in
                let user = try await accounts.user(try context.id(.userId))
                let id = try user.requireID()
                let page = ConfirmPage(heading: action.heading, body: "\(user.displayName) (\(user.email)). \(action.body)",
                                       action: AdminRoute.act(action, .value(id)).path, button: action.button,
                                       cancel: AdminRoute.user(.value(id)).path, warning: action != .enable)
                return try views.render("confirm", page, title: action.heading, request: request, context: context)
            }
            router.add(AdminRoute.act(action, .key), table: table) { request, context, identity in
                let id = try context.id(.userId)
                let back = AdminRoute.user(.value(id)).path
                switch action {
                case .disable:
                    _ = try await accounts.setDisabled(id: id, true, actor: identity.auditActor, address: context.clientAddress)
                    return .seeOther(back, flash: "Account disabled.")
                case .enable:
                    _ = try await accounts.setDisabled(id: id, false, actor: identity.auditActor, address: context.clientAddress)
                    return .seeOther(back, flash: "Account enabled.")
                case .resetPassword:
                    let temporary = try await accounts.resetPassword(id: id, actor: identity.auditActor, address: context.clientAddress)
                    let user = try await accounts.user(id)
                    return try views.render("admin/user-created", CreatedPage(id: id.uuidString, email: user.email, temporaryPassword: temporary, heading: "Password reset"),
                                            title: "Password reset", request: request, context: context)
                case .resetTwoFactor:
                    try await accounts.resetTwoFactor(id: id, actor: identity.auditActor, address: context.clientAddress)
                    return .seeOther(back, flash: "Two-factor authentication reset.")
                }
            }
        }

        router.add(AdminRoute.security, table: table) { request, context, _ in
            try views.render("admin/security", try await securityPage(), title: "Security", request: request, context: context)
        }
        router.add(AdminRoute.saveSecurity, table: table) { request, context, identity in
            let roles = try await SecurityForm.read(request).roles()
            try await accounts.setTwoFactorPolicy(roles, actor: identity.auditActor, address: context.clientAddress)
            return .seeOther(AdminRoute.security.path, flash: "Two-factor policy saved. It applies at each person's next sign-in.")
        }
    }

    // MARK: Helpers

    static func row(_ agency: Agency) throws -> AgencyRow {
        AgencyRow(id: try agency.requireID().uuidString, name: agency.name, type: agency.agencyType.label, area: agency.area, firstResponder: agency.firstResponder)
    }

    static func row(_ user: User) throws -> UserRow {
        UserRow(id: try user.requireID().uuidString, displayName: user.displayName, email: user.email, agencyName: user.agency.name,
                roles: user.roles.sorted().map(\.label).joined(separator: ", "), disabled: user.disabled, twoFactor: user.hasTwoFactor)
    }

    func agencyForm(_ agency: Agency?, input: AccountService.AgencyInput) -> AgencyFormPage {
        let type = input.type ?? agency?.type ?? ""
        return AgencyFormPage(
            id: agency?.id?.uuidString, action: (agency?.id.map { AdminRoute.updateAgency(.value($0)) } ?? .createAgency).path,
            name: input.name ?? agency?.name ?? "", area: input.area ?? agency?.area ?? "",
            firstResponder: input.firstResponder ?? agency?.firstResponder ?? false,
            types: AgencyType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == type) },
            services: PartnerService.allCases.map { service in
                Choice(value: service.rawValue, label: service.label,
                       selected: input.services.map { $0.contains(service.rawValue) } ?? agency?.services.contains(service) ?? false)
            },
            isNew: agency == nil)
    }

    func userForm(_ user: User?, input: AccountService.UserInput) async throws -> UserFormPage {
        let agencyID = input.agencyID ?? user?.$agency.id.uuidString ?? ""
        let roles = input.roles.map { Set($0) } ?? Set(user?.roles.map(\.rawValue) ?? [])
        return UserFormPage(
            id: user?.id?.uuidString, action: (user?.id.map { AdminRoute.updateUser(.value($0)) } ?? .createUser).path,
            email: input.email ?? user?.email ?? "", displayName: input.displayName ?? user?.displayName ?? "",
            agencies: try await accounts.agencies().map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: try $0.requireID().uuidString == agencyID) },
            roles: Role.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: roles.contains($0.rawValue), hint: $0.hint) },
            isNew: user == nil, disabled: user?.disabled ?? false, twoFactor: user?.hasTwoFactor ?? false,
            locked: user?.lockedUntil.map { $0 > Date() } ?? false,
            lastSignIn: user?.lastSignInAt.map(Format.dateTime) ?? "never")
    }

    func securityPage() async throws -> SecurityPage {
        let policy = try await accounts.twoFactorPolicy()
        return SecurityPage(roles: Role.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: policy[$0] ?? false, hint: $0.hint) })
    }
}

/// What the page asking to confirm each action says.
extension AdminRoute.UserAction {
    var heading: String {
        switch self {
        case .disable: "Disable this account?"
        case .enable: "Enable this account?"
        case .resetPassword: "Reset this person's password?"
        case .resetTwoFactor: "Reset two-factor authentication?"
        }
    }

    var body: String {
        switch self {
        case .disable: "They will be signed out everywhere at once and cannot sign in until the account is enabled again. Their records stay."
        case .enable: "They will be able to sign in again with their current password."
        case .resetPassword:
            "Their current password stops working and they are signed out everywhere. You will see a temporary password once, to pass on securely; they must change it when they sign in."
        case .resetTwoFactor:
            "Use this when someone has lost their phone. They are signed out everywhere and must set up two-factor again if their role requires it."
        }
    }

    var button: String {
        switch self {
        case .disable: "Disable account"
        case .enable: "Enable account"
        case .resetPassword: "Reset password"
        case .resetTwoFactor: "Reset two-factor"
        }
    }
}
