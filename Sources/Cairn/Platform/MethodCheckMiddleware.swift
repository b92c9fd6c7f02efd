import HTTPTypes
import Hummingbird
import Synchronization

/// Answers a request for an address that exists with a method it does not take (TRACE,
/// OPTIONS, DELETE…) with 405 and an `Allow` header listing the methods it does take, and a
/// request for an address that does not exist with 404, before anything else looks at it (a
/// form check would otherwise answer an unknown POST with "form expired"). The route table is
/// the list of what exists, so this cannot drift from the router. `/assets/` is left to the
/// file server.
struct MethodCheckMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext
    let routes: RouteMatcher

    init(table: RouteTable) { routes = RouteMatcher(table: table) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !path.hasPrefix("/assets/") else { return try await next(request, context) }
        let allowed = routes.methods(forPath: path)
        guard !allowed.isEmpty else { throw AppError.notFound() }
        // HEAD is answered wherever GET is (the router generates those endpoints).
        guard !allowed.contains(request.method == .head ? .get : request.method) else { return try await next(request, context) }
        var methods = allowed.map(\.rawValue)
        if allowed.contains(.get) { methods.append(HTTPRequest.Method.head.rawValue) }
        let allow = methods.sorted().joined(separator: ", ")
        throw AppError(.methodNotAllowed, title: "Method not allowed",
                       "This address does not accept \(request.method.rawValue) requests; it accepts \(allow).", headers: [.allow: allow])
    }
}

/// The route table split into segments once (the table is complete before the first request).
final class RouteMatcher: Sendable {
    struct Entry: Sendable {
        let segments: [String]
        let method: HTTPRequest.Method
    }

    let table: RouteTable
    private let compiled = Mutex<(count: Int, entries: [Entry])>((-1, []))

    init(table: RouteTable) { self.table = table }

    private var entries: [Entry] {
        compiled.withLock { state in
            let specs = table.specs
            if state.count != specs.count {
                state = (specs.count, specs.map { Entry(segments: $0.path.split(separator: "/").map(String.init), method: $0.method) })
            }
            return state.entries
        }
    }

    /// The methods registered for the route a path would match, choosing as the router does:
    /// at each segment a fixed name wins over a `:parameter`.
    func methods(forPath path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/")
        var best: [Bool]?
        var methods: Set<HTTPRequest.Method> = []
        for entry in entries where entry.segments.count == segments.count {
            var literal: [Bool] = []
            literal.reserveCapacity(segments.count)
            var matches = true
            for (p, s) in zip(entry.segments, segments) {
                if p.hasPrefix(":") || (p.hasPrefix("{") && p.hasSuffix("}")) {
                    literal.append(false)
                } else if p == s {
                    literal.append(true)
                } else {
                    matches = false
                    break
                }
            }
            guard matches else { continue }
            if let current = best, current == literal {
                methods.insert(entry.method)
            } else if best == nil || literal.lexicographicallyPrecedes(best ?? [], by: { $0 && !$1 }) {
                best = literal
                methods = [entry.method]
            }
        }
        return methods
    }
}
