import CairnCore
import Foundation
import HTTPTypes

/// Intelligence's pages and forms: the analysts' dashboard with its alerts, a link's
/// explanation and the judgement on it, a network, hotspots, and intelligence items with their
/// sharing.
enum IntelligenceRoute: PageRoute {
    /// Alerts and the largest networks (and the link to it).
    case dashboard
    /// Mark an alert read for the whole analyst team.
    case dismissAlert(Param<UUID>)
    /// One link, explained term by term.
    case link(Param<UUID>)
    /// An analyst's judgement on one reason of a link.
    case decide(Param<UUID>)
    /// A network as a picture and tables.
    case network(Param<UUID>)
    /// Reports by postcode district and month.
    case hotspots
    /// The intelligence items the reader may see.
    case items
    /// The form to record an item.
    case newItem
    /// Record an item.
    case createItem
    /// One item, as its reader may see it.
    case item(Param<UUID>)
    /// The originator changes who an item is shared with and how.
    case sharing(Param<UUID>)

    static let endpoints: [IntelligenceRoute] = [
        .dashboard, .dismissAlert(.key), .link(.key), .decide(.key), .network(.key), .hotspots,
        .items, .newItem, .createItem, .item(.key), .sharing(.key),
    ]
    static let navigation = [
        NavEntry(60, "Intelligence", IntelligenceRoute.dashboard),
        NavEntry(70, "Hotspots", IntelligenceRoute.hotspots),
        NavEntry(80, "Intelligence items", IntelligenceRoute.items),
    ]

    var method: HTTPRequest.Method {
        switch self {
        case .dismissAlert, .decide, .createItem, .sharing: .post
        case .dashboard, .link, .network, .hotspots, .items, .newItem, .item: .get
        }
    }

    var path: String {
        switch self {
        case .dashboard: "/intelligence"
        case .dismissAlert(let id): "/intelligence/alerts/\(id.segment(.alertId))/dismiss"
        case .link(let id): "/intelligence/links/\(id.segment(.linkId))"
        case .decide(let id): "/intelligence/links/\(id.segment(.linkId))/decision"
        case .network(let id): "/intelligence/networks/\(id.segment(.networkId))"
        case .hotspots: "/hotspots"
        case .items, .createItem: "/intelligence-items"
        case .newItem: "/intelligence-items/new"
        case .item(let id): "/intelligence-items/\(id.segment(.itemId))"
        case .sharing(let id): "/intelligence-items/\(id.segment(.itemId))/sharing"
        }
    }

    var permission: Permission {
        switch self {
        case .hotspots: .viewHotspots
        case .items, .item: .viewSharedIntelligence
        case .dashboard, .dismissAlert, .link, .decide, .network, .newItem, .createItem, .sharing: .analyseIntelligence
        }
    }
}
