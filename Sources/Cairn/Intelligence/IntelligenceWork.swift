import CairnCore
import FluentKit
import Foundation

/// Unread intelligence alerts, for the analysts' work queue. Alerts hold references and
/// counts only, and analysts may open every report.
extension IntelligenceService: WorkSource {
    func work(for identity: Identity, context: WorkContext) async throws -> [WorkItem] {
        guard identity.can(.analyseIntelligence) else { return [] }
        return try await alerts(identity: identity, limit: 50).map { alert, report in
            WorkItem(.intelligenceAlert, title: alert.message, detail: report.map { "Report \($0.reference)" } ?? "",
                     href: report.map { ReportRoute.show(.value($0.id)).path(fragment: "links") } ?? IntelligenceRoute.dashboard.path(fragment: "alerts"), since: alert.createdAt)
        }
    }
}
