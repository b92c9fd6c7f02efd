import CairnAPI
import Foundation
import Hummingbird

/// Health for load balancers, metrics for Prometheus, and the API document.
struct OperationsController {
    let database: CairnDatabase
    let metrics: AppMetrics
    let linker: ReportLinker

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/health", .everyone, table: table) { _, _ in
            let ok = await checkDatabase()
            let body = #"{"status":"\#(ok ? "ok" : "unavailable")","database":"\#(ok ? "ok" : "unreachable")"}"#
            return Response(status: ok ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: body)))
        }
        router.add(.get, "/metrics", .viewMetrics, table: table) { _, _ in
            _ = await checkDatabase()
            metrics.recordLinking(unlinkedReports: linker.unlinkedReports)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: .init(string: metrics.exposition())))
        }
        router.add(.get, "/api/v1/openapi.yaml", .everyone, table: table) { _, _ in
            let data = try OpenAPIDocument.yaml()
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: .init(bytes: data)))
        }
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
