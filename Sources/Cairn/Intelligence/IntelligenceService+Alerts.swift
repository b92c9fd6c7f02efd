import CairnCore
import FluentKit
import Foundation

/// Analysts' alerts: a network joined by another agency's report, or grown to the set size.
/// Shared by the team: one analyst marking an alert read marks it read for all.
extension IntelligenceService {
    /// The latest alerts (unread only, unless `includeRead`), each with its report.
    func alerts(identity: Identity, includeRead: Bool = false, limit: Int = 100) async throws -> [(IntelligenceAlert, ReportBrief?)] {
        try require(identity, .analyseIntelligence)
        var query = IntelligenceAlert.query(on: db).sort(\.$createdAt, .descending).limit(limit)
        if !includeRead { query = query.filter(\.$dismissedAt == nil) }
        let alerts = try await query.all()
        let reports = try await self.reports.briefs(alerts.map(\.reportID))
        return alerts.map { ($0, reports[$0.reportID]) }
    }

    func openAlertCount(identity: Identity) async throws -> Int {
        guard identity.can(.analyseIntelligence) else { return 0 }
        return try await IntelligenceAlert.query(on: db).filter(\.$dismissedAt == nil).count()
    }

    func dismissAlert(_ id: UUID, identity: Identity, address: String) async throws {
        try require(identity, .analyseIntelligence)
        guard let alert = try await IntelligenceAlert.find(id, on: db) else { throw AppError.notFound("alert") }
        guard alert.dismissedAt == nil else { return }
        alert.dismissedAt = Date()
        alert.dismissedByID = identity.userID
        try await alert.save(on: db)
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.alert.dismissed", recordType: "intelligence_alert",
                                          recordID: id.uuidString, address: address, detail: alert.kind))
    }
}
