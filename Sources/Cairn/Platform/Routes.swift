import CairnCore
import HTTPTypes
import Hummingbird

/// One route of the web UI or API and who may use it.
public struct RouteSpec: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    /// Hummingbird pattern, e.g. `/admin/users/:id`.
    public let path: String
    public let permission: Permission
    public var description: String { "\(method.rawValue) \(path)" }
}

/// Every route the application registers, with its permission. Built as routes are added,
/// so it cannot drift from the router; a test walks it for every role.
public final class RouteTable: @unchecked Sendable {
    public private(set) var specs: [RouteSpec] = []
    func record(_ spec: RouteSpec) { specs.append(spec) }
}

typealias AppRouter = Router<CairnRequestContext>
typealias Handler = @Sendable (Request, CairnRequestContext) async throws -> Response

extension Router where Context == CairnRequestContext {
    /// Registers a page or form handler behind its permission check.
    func add(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission, table: RouteTable, _ handler: @escaping Handler) {
        table.record(RouteSpec(method: method, path: path, permission: permission))
        self.on(RouterPath(path), method: method) { request, context in
            if permission != .everyone, context.identity == nil, let session = context.session {
                // Part-way through signing in: go and finish it.
                return Response.seeOther(SignInController.pathFor(stage: session.stage))
            }
            _ = try context.require(permission)
            return try await handler(request, context)
        }
    }
}
