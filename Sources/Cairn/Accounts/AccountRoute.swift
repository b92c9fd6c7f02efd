import CairnCore
import HTTPTypes

/// A person's own account. Changing a password and setting up two-factor are open to everyone
/// because they are also steps of signing in (a temporary password, a role that requires
/// two-factor); the handlers check the session's stage themselves.
enum AccountRoute: PageRoute {
    /// The account page.
    case account
    /// The change-password page, and changing it.
    case password, changePassword
    /// The two-factor set-up page, and confirming it with a first code.
    case twoFactorSetup, confirmTwoFactor
    case removeTwoFactor
    /// New recovery codes, replacing the old ones.
    case recoveryCodes
    case signOutEverywhere

    static let endpoints: [AccountRoute] = [.account, .password, .changePassword, .twoFactorSetup, .confirmTwoFactor, .removeTwoFactor,
                                            .recoveryCodes, .signOutEverywhere]
    static let navigation = [NavEntry(150, "Your account", AccountRoute.account)]

    var method: HTTPRequest.Method {
        switch self {
        case .account, .password, .twoFactorSetup: .get
        case .changePassword, .confirmTwoFactor, .removeTwoFactor, .recoveryCodes, .signOutEverywhere: .post
        }
    }

    var path: String {
        switch self {
        case .account: "/account"
        case .password, .changePassword: "/account/password"
        case .twoFactorSetup, .confirmTwoFactor: "/account/two-factor"
        case .removeTwoFactor: "/account/two-factor/remove"
        case .recoveryCodes: "/account/recovery-codes"
        case .signOutEverywhere: "/account/sign-out-everywhere"
        }
    }

    var permission: Permission {
        switch self {
        case .password, .changePassword, .twoFactorSetup, .confirmTwoFactor: .everyone
        case .account, .removeTwoFactor, .recoveryCodes, .signOutEverywhere: .signedIn
        }
    }
}
