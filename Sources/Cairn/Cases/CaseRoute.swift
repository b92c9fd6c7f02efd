import CairnCore
import Foundation
import HTTPTypes

/// A caseworker's cases: the list, opening a case, the case page (with the identity details on
/// request), its team, and closing or re-opening it. The case's other sections are
/// `CaseSupportRoute`.
enum CaseRoute: PageRoute {
    /// The person's cases (and the link to them).
    case list
    /// The form to open a case.
    case new
    /// Opening a case.
    case open
    /// The case page.
    case show(Param<UUID>)
    /// The case page with the identity details shown (each view audited).
    case identity(Param<UUID>)
    /// Adding someone to the case team.
    case addMember(Param<UUID>)
    /// Closing or re-opening the case.
    case status(Param<UUID>)

    static let endpoints: [CaseRoute] = [.list, .new, .open, .show(.key), .identity(.key), .addMember(.key), .status(.key)]
    static let navigation = [NavEntry(30, "Cases", CaseRoute.list)]

    var method: HTTPRequest.Method {
        switch self {
        case .list, .new, .show, .identity: .get
        case .open, .addMember, .status: .post
        }
    }

    var path: String {
        switch self {
        case .list, .open: "/cases"
        case .new: "/cases/new"
        case .show(let c): "/cases/\(c.segment(.caseId))"
        case .identity(let c): "/cases/\(c.segment(.caseId))/identity"
        case .addMember(let c): "/cases/\(c.segment(.caseId))/team"
        case .status(let c): "/cases/\(c.segment(.caseId))/status"
        }
    }

    var permission: Permission { .workCases }
}
