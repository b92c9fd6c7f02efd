import CairnCore
import HTTPTypes

/// The board report: read for a chosen period (and printed from the browser), and issued.
enum BoardReportRoute: PageRoute {
    case report
    case issue

    static let endpoints: [BoardReportRoute] = [.report, .issue]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method { self == .report ? .get : .post }

    var path: String {
        switch self {
        case .report: "/plan/report"
        case .issue: "/plan/report/issue"
        }
    }

    var permission: Permission { self == .report ? .viewPartnership : .editPartnership }
}
