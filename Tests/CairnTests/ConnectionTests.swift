import FluentKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Cairn

/// A plain TCP connection to a test server, for what HTTP clients will not do: send nothing,
/// or half a request.
final class RawConnection: Sendable {
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let text = Mutex("")
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            text.withLock { $0 += String(buffer: buffer) }
        }
    }

    let channel: any Channel
    let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func open(port: Int) async throws -> RawConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, collector: collector)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// What the server has sent so far.
    var received: String { collector.text.withLock { $0 } }
    var isOpen: Bool { channel.isActive }

    /// Waits for the server to close the connection; false (and closes it) if it has not within `limit`.
    func closedByServer(within limit: Duration) async -> Bool {
        let channel = self.channel
        let closed = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await channel.closeFuture.get()) != nil || !channel.isActive }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            if !first { channel.close(promise: nil) }
            group.cancelAll()
            return first
        }
        return closed
    }

    /// Sends one request and waits for the start of its answer.
    func request(_ text: String, within limit: Duration = .seconds(15)) async throws -> String {
        // A refused connection may be closed already; its answer is still there to read.
        try? await send(text)
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, !received.contains("\r\n\r\n") { try await Task.sleep(for: .milliseconds(10)) }
        return received
    }

    func close() async { try? await channel.close() }
}

/// Runs `app` on 127.0.0.1:`port` for `body`, then stops it. (HummingbirdTesting's live mode
/// keeps a connection of its own open, which these tests count.)
func whileServing(_ app: some ApplicationProtocol, port: Int, _ body: () async throws -> Void) async throws {
    let server = Task { try await app.runService(gracefulShutdownSignals: []) }
    do {
        // Generous: on a 2-core machine running the whole suite, every test loads the demo at once.
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            // A whole exchange, not just a connect: the server has then admitted the probe, and
            // a test waiting for no connections waits for its release too. (A bare connect could
            // be admitted after that wait, and take a place the test counts on.)
            if let probe = try? await RawConnection.open(port: port) {
                _ = try await probe.request("GET /health HTTP/1.1\r\nHost: cairn\r\nConnection: close\r\n\r\n")
                await probe.close()
                break
            }
            try #require(ContinuousClock.now < deadline, "the server did not start")
            try await Task.sleep(for: .milliseconds(20))
        }
        try await body()
    } catch {
        server.cancel()
        _ = await server.result
        throw error
    }
    server.cancel()
    _ = await server.result
}

/// A port nothing listens on just now.
func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
    let port = try #require(channel.localAddress?.port)
    try await channel.close()
    return port
}

/// The real application on a real port.
func withLiveApp(configure: @escaping (inout AppConfig) -> Void = { _ in },
                 _ body: @Sendable (Int, BuiltApplication) async throws -> Void) async throws {
    let port = try await freePort()
    try await withServices(demo: false, configure: { configure(&$0); $0.port = port }) { services, _ in
        let (app, built) = try await buildApplication(services: services, logger: TestDatabase.logger)
        try await whileServing(app, port: port) {
            // The start-up probe's connection is gone before the test begins.
            try await waitForConnections(built.connections, 0)
            try await body(port, built)
        }
    }
}

/// Waits (at most 15 s) until the server holds `count` connections, `waiting` of them for a request.
func waitForConnections(_ connections: ConnectionGuard, _ count: Int, waiting: Int? = nil) async throws {
    let deadline = ContinuousClock.now + .seconds(15)
    func done() -> Bool { connections.openConnections == count && (waiting.map { connections.waitingConnections == $0 } ?? true) }
    while !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    try #require(done(), "\(connections.openConnections) connections, \(connections.waitingConnections) waiting")
}

@Suite struct ConnectionTests {
    static func short(_ config: inout AppConfig) {
        config.connectionIdleSeconds = 1
        config.headerTimeoutSeconds = 1
        config.bodyTimeoutSeconds = 1
    }

    /// Timeouts far longer than any test, so a connection closes only for the reason under test.
    static func patient(_ config: inout AppConfig) {
        config.connectionIdleSeconds = 3600
        config.headerTimeoutSeconds = 600
        config.bodyTimeoutSeconds = 600
    }

    @Test func idleHalfSentAndSlowConnectionsAreClosed() async throws {
        try await withLiveApp(configure: Self.short) { port, built in
            let start = ContinuousClock.now
            let idle = try await RawConnection.open(port: port)
            let header = try await RawConnection.open(port: port)
            try await header.send("GET /health HTTP/1.1\r\nHost: cairn\r\n")
            let body = try await RawConnection.open(port: port)
            try await body.send("POST /api/v1/public/reports HTTP/1.1\r\nHost: cairn\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"desc")

            #expect(await idle.closedByServer(within: .seconds(15)))
            #expect(idle.received.isEmpty)
            #expect(await header.closedByServer(within: .seconds(15)))
            #expect(header.received.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(await body.closedByServer(within: .seconds(15)))
            #expect(!body.received.contains("201"))
            #expect(ContinuousClock.now - start >= .milliseconds(900), "not before the limits")
            try await waitForConnections(built.connections, 0)
            #expect(try await Report.query(on: built.services.database.db).count() == 0)
        }
    }

    @Test func aKeptAliveConnectionServesRequestsThenClosesWhenIdle() async throws {
        try await withLiveApp(configure: { $0.connectionIdleSeconds = 5 }) { port, _ in
            let connection = try await RawConnection.open(port: port)
            let first = try await connection.request("GET /health HTTP/1.1\r\nHost: cairn\r\n\r\n")
            #expect(first.hasPrefix("HTTP/1.1 200"))
            #expect(connection.isOpen)
            #expect(await connection.closedByServer(within: .seconds(15)))
        }
    }

    @Test func oneAddressMayHoldOnlyItsShareOfConnections() async throws {
        // Idle connections are held for as long as a loaded machine may take (not the 30 s default).
        try await withLiveApp(configure: { $0.maxConnectionsPerAddress = 3; Self.patient(&$0) }) { port, built in
            var held: [RawConnection] = []
            for _ in 0..<3 { held.append(try await RawConnection.open(port: port)) }
            try await waitForConnections(built.connections, 3)
            let fourth = try await RawConnection.open(port: port)
            #expect(await fourth.closedByServer(within: .seconds(15)))
            #expect(fourth.received.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
            #expect(fourth.received.contains("Retry-After: "))
            // Once one goes, the address may connect again.
            await held[0].close()
            try await waitForConnections(built.connections, 2)
            let again = try await RawConnection.open(port: port)
            #expect(try await again.request("GET /health HTTP/1.1\r\nHost: cairn\r\n\r\n").hasPrefix("HTTP/1.1 200"))
            for connection in held.dropFirst() + [again] { await connection.close() }
        }
    }

    @Test func atTheLimitTheConnectionWaitingLongestGivesWay() async throws {
        // Only giving way may close the oldest: not the idle timeout on a slow machine.
        try await withLiveApp(configure: { $0.maxConnections = 3; Self.patient(&$0) }) { port, built in
            #expect(built.connections.limits.maxConnections == 3)
            var held: [RawConnection] = []
            for n in 1...3 {
                held.append(try await RawConnection.open(port: port))
                try await waitForConnections(built.connections, n, waiting: n)
            }
            let newcomer = try await RawConnection.open(port: port)
            #expect(try await newcomer.request("GET /health HTTP/1.1\r\nHost: cairn\r\n\r\n").hasPrefix("HTTP/1.1 200"))
            #expect(await held[0].closedByServer(within: .seconds(15)), "the oldest idle connection was closed")
            #expect(held[1].isOpen && held[2].isOpen)
            for connection in held + [newcomer] { await connection.close() }
        }
    }

    @Test func whenEveryConnectionIsBusyANewOneIsRefused() async throws {
        // Half-sent bodies are held for as long as a loaded machine may take (not the 30 s default).
        try await withLiveApp(configure: { $0.maxConnections = 2; Self.patient(&$0) }) { port, built in
            var busy: [RawConnection] = []
            for n in 1...2 {
                let connection = try await RawConnection.open(port: port)
                // Part-way through a body: busy with a request, so not one to give way.
                try await connection.send("POST /api/v1/public/reports HTTP/1.1\r\nHost: cairn\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
                busy.append(connection)
                try await waitForConnections(built.connections, n, waiting: 0)
            }
            let refused = try await RawConnection.open(port: port)
            #expect(await refused.closedByServer(within: .seconds(15)))
            #expect(refused.received.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
            #expect(busy.allSatisfy { $0.isOpen })
            for connection in busy { await connection.close() }
        }
    }

    @Test func exemptAddressesOnlyCountTowardsTheTotal() async throws {
        for exempt in [false, true] {
            let limits = ConnectionGuard.Limits(maxConnections: 100, maxPerAddress: 1, idleTimeout: .seconds(30),
                                                headerTimeout: .seconds(10), bodyTimeout: .seconds(30))
            let connections = ConnectionGuard(limits: limits, isExempt: { $0 == "127.0.0.1" && exempt }, logger: TestDatabase.logger)
            let router = Router()
            router.get("/ok") { _, _ in "ok" }
            let port = try await freePort()
            let app = Application(router: router, server: connections.http1(), configuration: .init(address: .hostname("127.0.0.1", port: port)),
                                  logger: TestDatabase.logger)
            try await whileServing(app, port: port) {
                try await waitForConnections(connections, 0)
                let first = try await RawConnection.open(port: port)
                try await waitForConnections(connections, 1)
                let second = try await RawConnection.open(port: port)
                let answer = try await second.request("GET /ok HTTP/1.1\r\nHost: cairn\r\n\r\n")
                #expect(answer.hasPrefix(exempt ? "HTTP/1.1 200" : "HTTP/1.1 503"))
                await first.close()
                await second.close()
            }
        }
    }

    @Test func theConnectionLimitLeavesRoomForEverythingElse() {
        #expect(OpenFileLimit.connections(10_000, openFiles: 1024) == 896)
        #expect(OpenFileLimit.connections(10_000, openFiles: 1_048_576) == 10_000)
        #expect(OpenFileLimit.connections(500, openFiles: nil) == 500)
        #expect(OpenFileLimit.connections(10_000, openFiles: 64) == 32)
    }
}
