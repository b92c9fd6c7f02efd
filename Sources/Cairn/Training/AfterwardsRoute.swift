import CairnCore
import HTTPTypes

/// "What changed afterwards": a sector's reports with its training and campaigns on the time line.
enum AfterwardsRoute: PageRoute {
    case page

    static let endpoints: [AfterwardsRoute] = [.page]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method { .get }
    var path: String { "/training/afterwards" }
    var permission: Permission { .viewTraining }
}
