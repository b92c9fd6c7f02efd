import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// `/metrics` on a port of its own (`CAIRN_METRICS_PORT`), so the scraper's network path can
/// be kept apart from the public one. It answers nothing else.
enum MetricsListener {
    static func application(host: String, port: Int, access: MetricsAccess, operations: OperationsController,
                            bound: BoundPort, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.get(RouterPath(OperationsRoute.metrics.path)) { request, _ -> Response in
            guard access.onOwnListener(authorization: request.headers[.authorization]) else { return MetricsAccess.wrongTokenResponse() }
            return await operations.exposition()
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Cairn metrics"),
                           onServerRunning: { channel in
                               let port = channel.localAddress?.port ?? port
                               bound.set(port)
                               logger.notice("metrics listening", metadata: ["url": .string("http://\(host):\(port)/metrics")])
                           }, logger: logger)
    }
}

/// The port a listener bound, once it is running (tests ask for port 0).
public final class BoundPort: Sendable {
    private let port = Mutex<Int?>(nil)

    public init() {}

    func set(_ value: Int) { port.withLock { $0 = value } }

    public var value: Int? { port.withLock { $0 } }
}
