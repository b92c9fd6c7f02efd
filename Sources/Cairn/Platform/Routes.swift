import CairnCore
import Foundation
import HTTPTypes
import Hummingbird

/// One route of the web UI or API and who may use it.
public struct RouteSpec: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    /// Hummingbird pattern, e.g. `/admin/users/:userId`.
    public let path: String
    public let permission: Permission
    public var description: String { "\(method.rawValue) \(path)" }

    /// The path with each `:name` segment replaced by `values[name]` (percent-encoded), or by
    /// `other(name)` for a name not given: how a test (or anything else) makes a real link
    /// from a pattern, by what each parameter is rather than by where it sits.
    public func link(_ values: [String: String], other: (String) -> String = { _ in UUID().uuidString }) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            guard segment.hasPrefix(":") else { return String(segment) }
            let name = String(segment.dropFirst())
            return RouteParameter.encode(values[name] ?? other(name))
        }.joined(separator: "/")
    }
}

/// Every route the application registers, with its permission. Built as routes are added,
/// so it cannot drift from the router; a test walks it for every role.
public final class RouteTable: @unchecked Sendable {
    public private(set) var specs: [RouteSpec] = []
    /// The navigation bar: the entries of every route type registered, kept in order.
    private(set) var navigation: [NavEntry] = []
    /// Every endpoint the registered route types declare (`PageRoute.endpoints`): a test checks
    /// each has a handler.
    public private(set) var declared: [RouteSpec] = []
    private var typesSeen: Set<ObjectIdentifier> = []

    public init() {}

    func record(_ spec: RouteSpec) { specs.append(spec) }

    /// Notes a route type's navigation entries the first time one of its routes is added.
    func note<R: PageRoute>(_ type: R.Type) {
        guard typesSeen.insert(ObjectIdentifier(type)).inserted else { return }
        navigation = (navigation + R.navigation).sorted { $0.order < $1.order }
        declared += R.endpoints.map(\.spec)
    }
}

/// A path parameter of a typed route: `.key` where the route is registered (the pattern's
/// `:name`), `.value` in a link.
enum Param<Value: CustomStringConvertible & Sendable>: Sendable {
    case key
    case value(Value)

    /// The path segment: `:name` for the pattern, the percent-encoded value for a link.
    func segment(_ name: RouteParameter) -> String {
        switch self {
        case .key: ":\(name.rawValue)"
        case .value(let value): RouteParameter.encode(value.description)
        }
    }
}

/// The names path parameters have, one per kind of thing, the same in page routes and API
/// operations (the spec's `{reportId}` is the page's `:reportId`): a handler reads a parameter by
/// what it is, and a link is made from the values of things, not by editing paths.
enum RouteParameter: String, Sendable, CaseIterable {
    case reportId, caseId, referralId, consentId, contactId, alertId, taskId, linkId, networkId, itemId
    case userId, agencyId, indicatorId, domain, reference
    // The partnership: its plan, governance, agreements, self-assessment and retention.
    case goalId, actionId, memberId, groupId, meetingId, agreementId, roundId, indicatorKey
    case retentionKind
    // The insight dashboard.
    case figure
    // Training.
    case courseId, sessionId
    case attendeeId
    // Awareness campaigns.
    case campaignId
    // The resource hub.
    case resourceId, fileId
    // Statistical releases.
    case releaseId
    // A national instance.
    case partnershipId, nationalReleaseId
    // The survivor's own view.
    case requestId

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? ""
    }
}

/// A capability's pages and forms as one type (one case per method and path, as the Swift
/// Package Index server's `SiteURL`): the type gives each endpoint's pattern, the links pages
/// make to it, its permission and any navigation entry, so a new page is one case.
protocol PageRoute: Sendable {
    var method: HTTPRequest.Method { get }
    /// The pattern (with `.key` parameters) or a link (with `.value`s).
    var path: String { get }
    /// Who may use it; checked before the handler runs, which is then given the identity.
    var permission: Permission { get }
    /// Every endpoint, with `.key` parameters: a test checks each is registered.
    static var endpoints: [Self] { get }
    /// Entries this capability adds to the navigation bar (often none).
    static var navigation: [NavEntry] { get }
}

extension PageRoute {
    /// A link with a query string, leaving out items with empty values, and a fragment:
    /// `ReportRoute.list.path(query: [("inbox", "triage")])`, `IntelligenceRoute.dashboard.path(fragment: "alerts")`.
    func path(query items: [(String, String)] = [], fragment: String? = nil) -> String {
        var components = URLComponents()
        components.percentEncodedPath = path  // segments are already encoded (`Param.segment`)
        if !items.isEmpty {
            components.queryItems = items.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
            // Foundation leaves "+" as it is, and a query reads "+" as a space.
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        }
        components.fragment = fragment
        return components.string ?? path
    }

    var spec: RouteSpec { RouteSpec(method: method, path: path, permission: permission) }
}

/// One entry of the navigation bar, shown to those with its permission, in `order`.
struct NavEntry: Sendable {
    let order: Int
    let label: String
    let path: String
    let permission: Permission

    init<R: PageRoute>(_ order: Int, _ label: String, _ route: R) {
        self.order = order
        self.label = label
        self.path = route.path
        self.permission = route.permission
    }
}

typealias AppRouter = Router<CairnRequestContext>
typealias Handler = @Sendable (Request, CairnRequestContext) async throws -> Response
typealias SignedInHandler = @Sendable (Request, CairnRequestContext, Identity) async throws -> Response

extension CairnRequestContext {
    /// A path parameter that must be an id; a malformed or missing one is "not found".
    func id(_ name: RouteParameter, _ what: String? = nil) throws -> UUID {
        guard let id = parameters.get(name.rawValue).flatMap(UUID.init(uuidString:)) else { throw AppError.notFound(what ?? "page") }
        return id
    }

    /// A path parameter as text (a reference, a domain name).
    func text(_ name: RouteParameter) throws -> String {
        guard let text = parameters.get(name.rawValue) else { throw AppError.notFound() }
        return text
    }
}

extension Router where Context == CairnRequestContext {
    /// Registers a page or form for those with the route's permission; the handler is given
    /// the identity that was checked.
    func add<R: PageRoute>(_ route: R, table: RouteTable, _ handler: @escaping SignedInHandler) {
        let permission = route.permission
        precondition(permission != .everyone, "\(route.spec) is open to everyone: register it with addOpen")
        table.note(R.self)
        register(route.spec, table: table) { request, context in
            guard let identity = try context.require(permission) else { throw AppError.unauthenticated }
            return try await handler(request, context, identity)
        }
    }

    /// Registers a page or form open to everyone (signed in or not).
    func addOpen<R: PageRoute>(_ route: R, table: RouteTable, _ handler: @escaping Handler) {
        precondition(route.permission == .everyone, "\(route.spec) needs a permission: register it with add")
        table.note(R.self)
        register(route.spec, table: table, handler)
    }

    /// Registers a page of the survivor's own view: only a signed-in survivor reaches the
    /// handler; staff (signed in as staff) get 403, anyone else the survivor's sign-in page.
    func addSurvivor<R: PageRoute>(_ route: R, table: RouteTable, signIn: String,
                                   _ handler: @escaping @Sendable (Request, CairnRequestContext, SurvivorIdentity) async throws -> Response) {
        precondition(route.permission == .survivor, "\(route.spec) is not a survivor's page")
        table.note(R.self)
        register(route.spec, table: table) { request, context in
            guard let survivor = context.survivor, survivor.kind == .browser else {
                if context.identity != nil { throw AppError.forbidden }
                return Response.seeOther(signIn)
            }
            return try await handler(request, context, survivor)
        }
    }

    private func register(_ spec: RouteSpec, table: RouteTable, _ handler: @escaping Handler) {
        table.record(spec)
        let permission = spec.permission
        self.on(RouterPath(spec.path), method: spec.method) { request, context in
            if permission != .everyone, permission != .survivor, context.identity == nil, let session = context.session {
                // Part-way through signing in: go and finish it.
                return Response.seeOther(SignInController.pathFor(stage: session.stage))
            }
            return try await handler(request, context)
        }
    }
}
