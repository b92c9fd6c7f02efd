import Foundation
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Prometheus
import Synchronization

/// Keeps connections from exhausting the server: how many it holds (in all and per client
/// address), and how long each may take at each stage. Idle and half-sent requests used to be
/// held forever, so about a thousand of them (the usual open-file limit) made the server
/// unreachable.
///
/// - A connection with nothing to send is closed after `idleTimeout` (a new one, or one
///   kept alive after a response).
/// - Once a request's first byte arrives, its header must be complete within `headerTimeout`
///   (then 408 and close), and its body within `bodyTimeout` of the header.
/// - One address may hold `maxPerAddress` connections; more are answered 503 and closed.
///   Addresses `isExempt` says so of (trusted proxies, behind which every client shares one
///   address) only count towards the total.
/// - In all at most `maxConnections`. At that limit a new connection takes the place of the
///   one that has waited longest for a request (idle or half-sent); when every connection is
///   busy with a request it is answered 503 and closed.
public final class ConnectionGuard: Sendable {
    public struct Limits: Sendable {
        public var maxConnections: Int
        public var maxPerAddress: Int
        public var idleTimeout: Duration
        public var headerTimeout: Duration
        public var bodyTimeout: Duration

        public init(maxConnections: Int, maxPerAddress: Int, idleTimeout: Duration, headerTimeout: Duration, bodyTimeout: Duration) {
            self.maxConnections = maxConnections
            self.maxPerAddress = maxPerAddress
            self.idleTimeout = idleTimeout
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
        }

        public init(config: AppConfig, openFileLimit: Int? = OpenFileLimit.current) {
            self.init(maxConnections: OpenFileLimit.connections(config.maxConnections, openFiles: openFileLimit),
                      maxPerAddress: config.maxConnectionsPerAddress,
                      idleTimeout: .seconds(config.connectionIdleSeconds), headerTimeout: .seconds(config.headerTimeoutSeconds),
                      bodyTimeout: .seconds(config.bodyTimeoutSeconds))
        }
    }

    /// Why a connection was refused or closed early (the label of `cairn_connections_closed_total`).
    enum Reason: String, Sendable {
        case addressLimit = "address_limit", full, evicted, idle, headerTimeout = "header_timeout", bodyTimeout = "body_timeout"
    }

    public let limits: Limits
    let isExempt: @Sendable (String) -> Bool
    let metrics: AppMetrics?
    let logger: Logger

    private struct State {
        var open = 0
        var perAddress: [String: Int] = [:]
        /// Connections waiting for a request (idle or part-way through a header), for eviction.
        var waiting: [ObjectIdentifier: (since: NIODeadline, channel: any Channel)] = [:]
    }
    private let state = Mutex(State())

    /// - Parameter isExempt: true for an address whose connections only count towards the
    ///   total (a trusted reverse proxy); it gets the peer's IP address as text.
    public init(limits: Limits, isExempt: @escaping @Sendable (String) -> Bool = { _ in false }, metrics: AppMetrics? = nil, logger: Logger) {
        self.limits = limits
        self.isExempt = isExempt
        self.metrics = metrics
        self.logger = logger
    }

    /// Connections held now, and how many of them are waiting for a request.
    public var openConnections: Int { state.withLock { $0.open } }
    public var waitingConnections: Int { state.withLock { $0.waiting.count } }

    /// Hummingbird's HTTP/1 server with this guard in every connection's pipeline.
    public func http1() -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                http1: HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [RequestStageHandler()])),
                owner: self)
        }
    }

    /// A backstop for the listener: stop accepting when this many sockets are open, counting
    /// those being refused or evicted and not closed yet.
    public var acceptLimit: MaximumAvailableConnections {
        MaximumAvailableConnections(limits.maxConnections + max(16, limits.maxConnections / 16), logger: logger)
    }

    enum Admission {
        case admitted(address: String?)
        case refused(Reason)
    }

    /// Decides whether to keep a new connection; counts it when kept.
    func admit(_ channel: any Channel) -> Admission {
        let address = channel.remoteAddress?.ipAddress
        let exempt = address.map(isExempt) ?? false
        let (admission, evict): (Admission, (any Channel)?) = state.withLock { state in
            if let address, !exempt, state.perAddress[address, default: 0] >= limits.maxPerAddress {
                return (.refused(.addressLimit), nil)
            }
            var evict: (any Channel)?
            if state.open >= limits.maxConnections {
                guard let oldest = state.waiting.min(by: { $0.value.since < $1.value.since }) else { return (.refused(.full), nil) }
                state.waiting[oldest.key] = nil
                evict = oldest.value.channel
            }
            state.open += 1
            if let address { state.perAddress[address, default: 0] += 1 }
            return (.admitted(address: address), evict)
        }
        if let evict {
            count(.evicted)
            evict.close(promise: nil)
        }
        if case .refused(let reason) = admission { count(reason) }
        return admission
    }

    func release(_ channel: ObjectIdentifier, address: String?) {
        state.withLock { state in
            state.open -= 1
            state.waiting[channel] = nil
            if let address {
                let left = state.perAddress[address, default: 1] - 1
                state.perAddress[address] = left > 0 ? left : nil
            }
        }
    }

    func waiting(_ channel: any Channel, since: NIODeadline) {
        state.withLock { $0.waiting[ObjectIdentifier(channel)] = (since, channel) }
    }

    func busy(_ channel: any Channel) {
        _ = state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func count(_ reason: Reason) {
        metrics?.registry.makeCounter(
            descriptor: .init(namespace: "cairn", metricName: "connections_closed", unitName: "total",
                              helpText: "Connections refused or closed by the server's connection limits and timeouts, by reason"),
            labels: [("reason", reason.rawValue)]
        ).increment()
    }
}

/// Hummingbird's HTTP/1 child channel with a `ConnectionStageHandler` first in the pipeline.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel
    let owner: ConnectionGuard

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admission = owner.admit(channel)
        if case .admitted(let address) = admission {
            let id = ObjectIdentifier(channel)
            channel.closeFuture.whenComplete { [owner] _ in owner.release(id, address: address) }
        }
        do {
            try channel.pipeline.syncOperations.addHandler(ConnectionStageHandler(owner: owner, admission: admission))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

/// Sees a connection's raw bytes (it is first in the pipeline) and, told by
/// `RequestStageHandler` where each request has got to, closes the connection when a stage
/// takes longer than its limit.
final class ConnectionStageHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Stage {
        /// No request under way: waiting for one (`partial` once its first bytes have come).
        case waiting(partial: Bool)
        case readingBody
        /// Every request read is being answered.
        case answering
    }

    let owner: ConnectionGuard
    let admission: ConnectionGuard.Admission
    private var stage = Stage.waiting(partial: false)
    /// Requests whose header has been read and whose response has not been written in full.
    private var unanswered = 0
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerAt: NIODeadline?
    private var context: ChannelHandlerContext?
    private var started = false
    /// Refused or timed out: an answer is on its way and nothing more is read.
    private var closing = false

    init(owner: ConnectionGuard, admission: ConnectionGuard.Admission) {
        self.owner = owner
        self.admission = admission
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        deadline = nil
        context.fireChannelInactive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        if case .refused = admission {
            // An early answer, so a browser shows an error rather than a reset connection.
            refuse(context, status: "503 Service Unavailable", extra: "Retry-After: 10\r\n")
            return
        }
        enter(.waiting(partial: false))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if closing { return }
        if case .waiting(partial: false) = stage, unanswered == 0 {
            enter(.waiting(partial: true))
        }
        context.fireChannelRead(data)
    }

    // MARK: Told by RequestStageHandler

    func requestHeadRead() {
        unanswered += 1
        enter(.readingBody)
    }

    func requestEndRead() {
        // The answer may have been written before the body was read (a refusal).
        if case .readingBody = stage { enter(unanswered == 0 ? .waiting(partial: false) : .answering) }
    }

    func responseEnded() {
        unanswered = max(0, unanswered - 1)
        if unanswered == 0, case .answering = stage { enter(.waiting(partial: false)) }
    }

    // MARK: Deadlines

    private func enter(_ next: Stage) {
        stage = next
        guard let context, context.channel.isActive else { return }
        let now = NIODeadline.now()
        let limits = owner.limits
        switch next {
        case .waiting(let partial):
            deadline = now + TimeAmount(partial ? limits.headerTimeout : limits.idleTimeout)
            if !partial { owner.waiting(context.channel, since: now) }
        case .readingBody:
            deadline = now + TimeAmount(limits.bodyTimeout)
            owner.busy(context.channel)
        case .answering:
            // The application's own work is not limited here.
            deadline = nil
        }
        if let deadline, timerAt.map({ deadline < $0 }) ?? true { schedule(at: deadline, context) }
    }

    private func schedule(at time: NIODeadline, _ context: ChannelHandlerContext) {
        timer?.cancel()
        timerAt = time
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: time) { [self] in
            timer = nil
            timerAt = nil
            expired()
        }
    }

    private func stopTimer() {
        timer?.cancel()
        timer = nil
        timerAt = nil
    }

    private func expired() {
        guard let context, let deadline else { return }
        if NIODeadline.now() < deadline {
            schedule(at: deadline, context)
            return
        }
        self.deadline = nil
        switch stage {
        case .waiting(partial: false):
            owner.count(.idle)
            context.close(promise: nil)
        case .waiting(partial: true):
            owner.count(.headerTimeout)
            refuse(context, status: "408 Request Timeout", extra: "")
        case .readingBody:
            owner.count(.bodyTimeout)
            context.close(promise: nil)
        case .answering:
            break
        }
    }

    /// Writes a bare response (no request has been answered on this connection part-way) and closes.
    private func refuse(_ context: ChannelHandlerContext, status: String, extra: String) {
        closing = true
        let text = "HTTP/1.1 \(status)\r\nConnection: close\r\nContent-Length: 0\r\n\(extra)\r\n"
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: text))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

/// Sits after the HTTP decoder and tells the connection's `ConnectionStageHandler` when a
/// request's header and end have been read and when its response has been written.
final class RequestStageHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var stages: ConnectionStageHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        stages = try? context.pipeline.syncOperations.handler(type: ConnectionStageHandler.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: stages?.requestHeadRead()
        case .end: stages?.requestEndRead()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { stages?.responseEnded() }
        context.write(data, promise: promise)
    }
}
