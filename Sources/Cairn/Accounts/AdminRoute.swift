import CairnCore
import Foundation
import HTTPTypes

/// Administrators' pages: the partnership's agencies, its people and their accounts, and the
/// two-factor policy.
enum AdminRoute: PageRoute {
    case agencies
    case newAgency
    case createAgency
    case editAgency(Param<UUID>)
    case updateAgency(Param<UUID>)

    case users
    case newUser
    case createUser
    /// A person's account page (their form), and saving it.
    case user(Param<UUID>)
    case updateUser(Param<UUID>)
    /// A destructive action's page asking to confirm it, and doing it.
    case confirm(UserAction, Param<UUID>)
    case act(UserAction, Param<UUID>)

    case security
    case saveSecurity

    /// Something done to an account that cannot simply be undone by saving the form again.
    enum UserAction: String, Sendable, CaseIterable {
        case disable
        case enable
        case resetPassword = "reset-password"
        case resetTwoFactor = "reset-two-factor"
    }

    static let endpoints: [AdminRoute] = [.agencies, .newAgency, .createAgency, .editAgency(.key), .updateAgency(.key),
                                          .users, .newUser, .createUser, .user(.key), .updateUser(.key)]
        + UserAction.allCases.flatMap { [AdminRoute.confirm($0, .key), .act($0, .key)] }
        + [.security, .saveSecurity]

    static let navigation = [
        NavEntry(100, "People", AdminRoute.users),
        NavEntry(110, "Manage agencies", AdminRoute.agencies),
        NavEntry(120, "Security", AdminRoute.security),
    ]

    var method: HTTPRequest.Method {
        switch self {
        case .agencies, .newAgency, .editAgency, .users, .newUser, .user, .confirm, .security: .get
        case .createAgency, .updateAgency, .createUser, .updateUser, .act, .saveSecurity: .post
        }
    }

    var path: String {
        switch self {
        case .agencies, .createAgency: "/admin/agencies"
        case .newAgency: "/admin/agencies/new"
        case .editAgency(let id): "/admin/agencies/\(id.segment(.agencyId))/edit"
        case .updateAgency(let id): "/admin/agencies/\(id.segment(.agencyId))"
        case .users, .createUser: "/admin/users"
        case .newUser: "/admin/users/new"
        case .user(let id), .updateUser(let id): "/admin/users/\(id.segment(.userId))"
        case .confirm(let action, let id), .act(let action, let id): "/admin/users/\(id.segment(.userId))/\(action.rawValue)"
        case .security, .saveSecurity: "/admin/security"
        }
    }

    var permission: Permission {
        switch self {
        case .agencies, .newAgency, .createAgency, .editAgency, .updateAgency: .manageAgencies
        case .users, .newUser, .createUser, .user, .updateUser, .confirm, .act: .manageUsers
        case .security, .saveSecurity: .manageSecurityPolicy
        }
    }
}
