import CairnCore
import HTTPTypes

/// The insight dashboard, and each of its figures as CSV.
enum InsightRoute: PageRoute {
    case dashboard
    case figure(Param<String>)

    static let endpoints: [InsightRoute] = [.dashboard, .figure(.key)]
    static let navigation = [NavEntry(15, "Insight", InsightRoute.dashboard)]

    var method: HTTPRequest.Method { .get }

    var path: String {
        switch self {
        case .dashboard: "/insight"
        case .figure(let name): "/insight/figures/\(name.segment(.figure))"
        }
    }

    var permission: Permission { .viewInsight }
}
