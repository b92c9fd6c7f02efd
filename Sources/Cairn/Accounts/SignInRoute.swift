import CairnCore
import HTTPTypes

/// Signing in (password, then the two-factor step) and signing out: open to everyone, since a
/// person is not signed in yet when they use them.
enum SignInRoute: PageRoute {
    /// The sign-in page (and where signing out or an expired session lands).
    case signIn
    /// Signing in with an email address and password.
    case submit
    /// The two-factor step's page.
    case twoFactor
    /// A code from the authenticator app, or a recovery code.
    case verifyTwoFactor
    case signOut

    static let endpoints: [SignInRoute] = [.signIn, .submit, .twoFactor, .verifyTwoFactor, .signOut]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method {
        switch self {
        case .signIn, .twoFactor: .get
        case .submit, .verifyTwoFactor, .signOut: .post
        }
    }

    var path: String {
        switch self {
        case .signIn, .submit: "/sign-in"
        case .twoFactor, .verifyTwoFactor: "/sign-in/two-factor"
        case .signOut: "/sign-out"
        }
    }

    var permission: Permission { .everyone }
}
