import CairnCore
import HTTPTypes

/// The home page: each person's work queue.
enum HomeRoute: PageRoute {
    case home

    static let endpoints: [HomeRoute] = [.home]
    static let navigation = [NavEntry(10, "Home", HomeRoute.home)]

    var method: HTTPRequest.Method { .get }
    var path: String { "/" }
    var permission: Permission { .signedIn }
}
