import CairnCore
import HTTPTypes

/// Health for load balancers, metrics for Prometheus, and the API document.
enum OperationsRoute: PageRoute {
    case health
    /// Administrators may read it; so may a scraper with the configured token, or a call from
    /// the host itself (`MetricsAccess`), which is why it is not registered through `add`.
    case metrics
    case openAPIDocument

    static let endpoints: [OperationsRoute] = [.health, .metrics, .openAPIDocument]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method { .get }

    var path: String {
        switch self {
        case .health: "/health"
        case .metrics: "/metrics"
        case .openAPIDocument: "/api/v1/openapi.yaml"
        }
    }

    var permission: Permission {
        switch self {
        case .health, .openAPIDocument: .everyone
        case .metrics: .viewMetrics
        }
    }
}
