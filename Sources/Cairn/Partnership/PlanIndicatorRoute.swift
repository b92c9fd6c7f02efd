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
    /// Every goal's logic model, and changing it.
    case logicModel
    case addStep
    case confirmRemoveStep
    case removeStep
    case measureStep

    static let endpoints: [PlanIndicatorRoute] = [.list, .new, .create, .show(.key), .targets(.key), .values(.key), .actions(.key),
                                                  .logicModel, .addStep, .confirmRemoveStep, .removeStep, .measureStep]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method {
        switch self {
        case .list, .new, .show, .logicModel, .confirmRemoveStep: .get
        case .create, .targets, .values, .actions, .addStep, .removeStep, .measureStep: .post
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
        case .logicModel: "/plan/logic-model"
        case .addStep: "/plan/logic-model/steps"
        case .confirmRemoveStep, .removeStep: "/plan/logic-model/steps/remove"
        case .measureStep: "/plan/logic-model/measures"
        }
    }

    var permission: Permission {
        switch self {
        case .list, .show, .logicModel: .viewPartnership
        case .new, .create, .targets, .values, .actions, .addStep, .confirmRemoveStep, .removeStep, .measureStep: .editPartnership
        }
    }
}
