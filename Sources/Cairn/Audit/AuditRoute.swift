import CairnCore
import HTTPTypes

/// The audit log's pages.
enum AuditRoute: PageRoute {
    /// Search the log (and the link to it).
    case log
    /// Check the log's hash chain.
    case verify

    static let endpoints: [AuditRoute] = [.log, .verify]
    static let navigation = [NavEntry(140, "Audit log", AuditRoute.log)]

    var method: HTTPRequest.Method {
        switch self {
        case .log: .get
        case .verify: .post
        }
    }

    var path: String {
        switch self {
        case .log: "/admin/audit"
        case .verify: "/admin/audit/verify"
        }
    }

    var permission: Permission { .viewAuditLog }
}
