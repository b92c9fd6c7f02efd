import CairnCore
import HTTPTypes

/// The plan's indicators: the list, one indicator's page (definition, method, chart, values,
/// the actions it measures), adding one of the partnership's own, and setting targets,
/// entering values and linking actions.
enum PlanIndicatorRoute: PageRoute {
    case list
    case new
    case create
    case show(Param<String>)
    case targets(Param<String>)
    case values(Param<String>)
    case actions(Param<String>)

    static let endpoints: [PlanIndicatorRoute] = [.list, .new, .create, .show(.key), .targets(.key), .values(.key), .actions(.key)]
    static let navigation = [NavEntry(85, "Plan indicators", PlanIndicatorRoute.list)]

    var method: HTTPRequest.Method {
        switch self {
        case .list, .new, .show: .get
        case .create, .targets, .values, .actions: .post
        }
    }

    var path: String {
        switch self {
        case .list, .create: "/plan/indicators"
        case .new: "/plan/indicators/new"
        case .show(let key): "/plan/indicators/\(key.segment(.indicatorKey))"
        case .targets(let key): "/plan/indicators/\(key.segment(.indicatorKey))/targets"
        case .values(let key): "/plan/indicators/\(key.segment(.indicatorKey))/values"
        case .actions(let key): "/plan/indicators/\(key.segment(.indicatorKey))/actions"
        }
    }

    var permission: Permission {
        switch self {
        case .list, .show: .viewPartnership
        case .new, .create, .targets, .values, .actions: .editPartnership
        }
    }
}
