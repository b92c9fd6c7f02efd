import HummingbirdTesting

@testable import Cairn

/// Like `withApp`, but over real TCP on a loopback port, so the server sees a real peer
/// address (the router test has none).
func withLiveApp(
    demo: Bool = true, configure: (inout AppConfig) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, BuiltApplication) async throws -> Void
) async throws {
    try await withServices(demo: demo, configure: configure) { services, _ in
        let (app, built) = try await buildApplication(services: services, logger: TestDatabase.logger)
        try await app.test(.live) { client in try await body(client, built) }
    }
}
