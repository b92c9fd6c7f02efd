import Foundation
import Prometheus

/// Request counts and latency by route, and the database pool, for Prometheus.
/// Each application owns its registry (no global state), so tests can run side by side.
public final class AppMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    public init() {}

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "cairn", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered, by method, route pattern and status"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "cairn", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer HTTP requests, by method and route pattern"),
            labels: [("method", method), ("route", route)],
            buckets: Self.buckets
        ).record(duration)
    }

    func recordDatabase(kind: String, poolSize: Int, up: Bool, pingSeconds: Double) {
        registry.makeGauge(descriptor: .init(namespace: "cairn", metricName: "database_pool_max", unitName: "connections", helpText: "Largest number of database connections the pool may open"),
                           labels: [("database", kind)]).set(to: Double(poolSize))
        registry.makeGauge(descriptor: .init(namespace: "cairn", metricName: "database", unitName: "up", helpText: "1 when the database answered the last health query"),
                           labels: [("database", kind)]).set(to: up ? 1 : 0)
        registry.makeGauge(descriptor: .init(namespace: "cairn", metricName: "database_ping", unitName: "seconds", helpText: "Time the last health query took"),
                           labels: [("database", kind)]).set(to: pingSeconds)
    }

    func recordLinking(unlinkedReports: Int) {
        registry.makeGauge(descriptor: .init(namespace: "cairn", metricName: "linking_backlog", unitName: "reports",
                                             helpText: "Reports stored but not linked yet by the intelligence linker"))
            .set(to: Double(unlinkedReports))
    }

    public func exposition() -> String { registry.emitToString() }
}
