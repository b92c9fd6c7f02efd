import CairnCore
import FluentKit
import Foundation

/// What analysts read of the linked reports (links, explanations, networks, alerts), the
/// hotspots, and graded intelligence items with partner sharing. Every read of personal data
/// is authorised here and written to the audit log, once, whether a page or the API asked.
///
/// Reports are read through Reports' directory (`reports`), never its models or tables. The
/// parts are in `IntelligenceService+*.swift`: links, feedback on links, networks, alerts,
/// hotspots, items and their sharing.
public struct IntelligenceService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    /// Reports' read interface (`ReportDirectory+Intelligence.swift`).
    let reports: ReportDirectory
    let linker: ReportLinker
    /// The partnership's information-sharing agreements, which items shared with partners are checked against.
    let agreements: SharingAgreements

    /// `reportsLinked` hears which earlier reports each new report links to (`ReportsLinked`).
    init(database: CairnDatabase, audit: AuditLog, reports: ReportDirectory, config: AppConfig, reportsLinked: @escaping ReportsLinked,
         agreements: SharingAgreements = .none) {
        self.database = database
        self.audit = audit
        self.agreements = agreements
        self.reports = reports
        self.linker = ReportLinker(database: database, directory: reports, alertSize: config.linkAlertSize, reportsLinked: reportsLinked)
    }

    var db: any Database { database.db }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// `cairn link rebuild`: re-links every report in the database. Written to the audit log.
    public func rebuild(actor: AuditActor, progress: (@Sendable (String, Double) -> Void)? = nil) async throws -> ReportLinker.RebuildSummary {
        let summary = try await linker.rebuild(progress: progress)
        try await audit.append(AuditEvent(actor: actor, action: "links.rebuilt", recordType: "report_link", recordID: "", address: "cli",
                                          detail: "\(summary.reports) reports; \(summary.links) links; \(summary.networks) networks"))
        return summary
    }
}
