import CairnCore
import Foundation
import HTTPTypes

/// The plan's pages and forms under `/plan`: the pathway × level matrix, goals, and actions
/// with their updates. (`/plan/indicators` and `/plan/report` are the indicators' and the
/// board report's.)
enum PlanRoute: PageRoute {
    /// The matrix (and the link to the plan).
    case matrix
    /// The goals, with the form to add one.
    case goals
    /// Add a goal.
    case createGoal
    /// The form to edit a goal.
    case editGoal(Param<UUID>)
    /// Save an edited goal.
    case updateGoal(Param<UUID>)
    /// The actions, filtered, sorted and paged.
    case actions
    /// The form for a new action (`?pathway=…&level=…&goal=…` fill it in).
    case newAction
    /// Record an action.
    case createAction
    /// One action: details, factors, updates, and the form to record an update.
    case action(Param<UUID>)
    /// The form to edit an action.
    case editAction(Param<UUID>)
    /// Save an edited action.
    case updateAction(Param<UUID>)
    /// Record a status update.
    case recordUpdate(Param<UUID>)

    static let endpoints: [PlanRoute] = [
        .matrix, .goals, .createGoal, .editGoal(.key), .updateGoal(.key), .actions, .newAction, .createAction,
        .action(.key), .editAction(.key), .updateAction(.key), .recordUpdate(.key),
    ]
    static let navigation = [NavEntry(84, "Plan", PlanRoute.matrix)]

    var method: HTTPRequest.Method {
        switch self {
        case .createGoal, .updateGoal, .createAction, .updateAction, .recordUpdate: .post
        case .matrix, .goals, .editGoal, .actions, .newAction, .action, .editAction: .get
        }
    }

    var path: String {
        switch self {
        case .matrix: "/plan"
        case .goals, .createGoal: "/plan/goals"
        case .editGoal(let id): "/plan/goals/\(id.segment(.goalId))/edit"
        case .updateGoal(let id): "/plan/goals/\(id.segment(.goalId))"
        case .actions, .createAction: "/plan/actions"
        case .newAction: "/plan/actions/new"
        case .action(let id), .updateAction(let id): "/plan/actions/\(id.segment(.actionId))"
        case .editAction(let id): "/plan/actions/\(id.segment(.actionId))/edit"
        case .recordUpdate(let id): "/plan/actions/\(id.segment(.actionId))/updates"
        }
    }

    var permission: Permission {
        switch self {
        case .matrix, .goals, .actions, .action: .viewPartnership
        case .createGoal, .editGoal, .updateGoal, .newAction, .createAction, .editAction, .updateAction, .recordUpdate: .editPartnership
        }
    }
}
