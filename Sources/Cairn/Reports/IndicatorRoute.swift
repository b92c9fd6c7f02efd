import CairnCore
import HTTPTypes

/// The indicator checklists' administration pages.
enum IndicatorRoute: PageRoute {
    /// Every checklist, with the form to add an item (and the link to them).
    case list
    /// Add an item.
    case add
    /// The form to reword an item.
    case edit(Param<String>)
    /// Reword an item.
    case reword(Param<String>)
    /// Ask before retiring or restoring an item.
    case retireForm(Param<String>)
    /// Retire or restore an item.
    case retire(Param<String>)

    static let endpoints: [IndicatorRoute] = [.list, .add, .edit(.key), .reword(.key), .retireForm(.key), .retire(.key)]
    static let navigation = [NavEntry(130, "Indicators", IndicatorRoute.list)]

    var method: HTTPRequest.Method {
        switch self {
        case .list, .edit, .retireForm: .get
        case .add, .reword, .retire: .post
        }
    }

    var path: String {
        switch self {
        case .list, .add: "/admin/indicators"
        case .edit(let id): "/admin/indicators/\(id.segment(.indicatorId))/edit"
        case .reword(let id): "/admin/indicators/\(id.segment(.indicatorId))"
        case .retireForm(let id), .retire(let id): "/admin/indicators/\(id.segment(.indicatorId))/retire"
        }
    }

    var permission: Permission { .manageIndicators }
}
