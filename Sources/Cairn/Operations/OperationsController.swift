import CairnAPI
import Foundation
import HTTPTypes
import Hummingbird

/// Health for load balancers, metrics for Prometheus, and the API document.
struct OperationsController {
    let database: CairnDatabase
    let metrics: AppMetrics
    let linker: ReportLinker
    let access: MetricsAccess

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.addOpen(OperationsRoute.health, table: table) { _, _ in
            let ok = await checkDatabase()
            let body = #"{"status":"\#(ok ? "ok" : "unavailable")","database":"\#(ok ? "ok" : "unreachable")"}"#
            return Response(status: ok ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: body)))
        }
        // Not `router.add`: a scraper's token or a call from the host itself also opens it,
        // besides an administrator's session (the permission the route table records).
        table.note(OperationsRoute.self)
        table.record(OperationsRoute.metrics.spec)
        router.on(RouterPath(OperationsRoute.metrics.path), method: OperationsRoute.metrics.method) { request, context in
            switch access.onMainListener(authorization: request.headers[.authorization], isLoopbackDirect: context.isLoopbackDirect) {
            case .allow: return await exposition()
            case .notHere: throw AppError.notFound()
            // Answered here: an error thrown would send a page's 401 (a redirect to sign-in).
            case .wrongToken: return MetricsAccess.wrongTokenResponse()
            case .administratorsOnly:
                if context.identity == nil, let session = context.session {
                    return Response.seeOther(SignInController.pathFor(stage: session.stage))
                }
                _ = try context.require(.viewMetrics)
                return await exposition()
            }
        }
        router.addOpen(OperationsRoute.openAPIDocument, table: table) { _, _ in
            let data = try OpenAPIDocument.yaml()
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: .init(bytes: data)))
        }
    }

    func exposition() async -> Response {
        _ = await checkDatabase()
        metrics.recordLinking(unlinkedReports: linker.unlinkedReports)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: .init(string: metrics.exposition())))
    }

    /// Asks the database a trivial question and records the answer and its time as metrics.
    func checkDatabase() async -> Bool {
        let start = ContinuousClock.now
        let ok = (try? await database.ping()) != nil
        let elapsed = ContinuousClock.now - start
        metrics.recordDatabase(kind: database.isSQLite ? "sqlite" : "postgresql", poolSize: database.poolSize, up: ok,
                               pingSeconds: Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
        return ok
    }
}

/// Who may read `/metrics`. Never a header's claim about where the request came from: a
/// configured bearer token, the listener of its own (`CAIRN_METRICS_PORT`), a TCP peer on this
/// host that is not a proxy, or an administrator's session.
struct MetricsAccess: Sendable {
    /// `CAIRN_METRICS_TOKEN`.
    let token: String?
    /// `CAIRN_METRICS_PORT` is set: the main listener does not serve `/metrics` at all.
    let ownListener: Bool

    enum Decision: Equatable { case allow, notHere, wrongToken, administratorsOnly }

    /// A scraper's answer, not a person's: plain text, no sign-in page.
    static func wrongTokenResponse() -> Response {
        Response(status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8", .wwwAuthenticate: "Bearer"],
                 body: .init(byteBuffer: .init(string: "Send the token configured in CAIRN_METRICS_TOKEN as \"Authorization: Bearer <token>\".\n")))
    }

    init(config: AppConfig) {
        token = config.metricsToken
        ownListener = config.metricsPort != nil
    }

    /// On the main listener: with a token configured, the token (or an administrator); without
    /// one, a call from this host itself (not through a proxy) or an administrator.
    func onMainListener(authorization: String?, isLoopbackDirect: Bool) -> Decision {
        if ownListener { return .notHere }
        if let token {
            guard let authorization else { return .administratorsOnly }
            return Self.bearer(authorization).map { Secrets.constantTimeEquals($0, token) } == true ? .allow : .wrongToken
        }
        return isLoopbackDirect ? .allow : .administratorsOnly
    }

    /// On its own listener: whoever can reach the port, or only the token's holder if one is set.
    func onOwnListener(authorization: String?) -> Bool {
        guard let token else { return true }
        return authorization.flatMap(Self.bearer).map { Secrets.constantTimeEquals($0, token) } == true
    }

    static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
