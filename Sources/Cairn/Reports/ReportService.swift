import CairnCore
import FluentKit
import FluentSQL
import Foundation
import Linkage
import SQLKit

/// Reports of concern: intake, triage and routing, who may see what, the workflow, referrals
/// and outcomes. Every read and change of a report is written to the audit log.
///
/// The service is the only way to reports' storage: its parts are in the files beside this one
/// (`ReportService+Intake`, `+IntakeWrite`, `+Workflow`, `+Triage`, `+Referrals`, `+Export`,
/// `+Indicators`, `ReportReading`, `ReportAccess`, `ReportWork`).
public struct ReportService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let deadlines: ResponseDeadlines
    /// How long a report waiting for triage has (`CAIRN_TRIAGE_DEADLINE_HOURS`).
    let triageAllowance: TimeInterval
    let routing: RoutingPolicy
    let triage = TriagePolicy.standard()
    /// Commits concurrent submissions together; one per service, so one per server.
    let writer: IntakeWriter
    /// The partnership's information-sharing agreements, which referrals are checked against.
    let agreements: SharingAgreements
    /// Whether a campaign code on a public report names a campaign (`ReportCampaignCodes.swift`).
    let campaignCodes: CampaignCodes

    /// `followUp` is told of each committed batch (Intelligence links the new reports to what
    /// is held, and through that warns case teams whose report a new one links to).
    init(database: CairnDatabase, audit: AuditLog, config: AppConfig, followUp: IntakeFollowUp, agreements: SharingAgreements = .none,
         campaignCodes: CampaignCodes = .none) {
        self.database = database
        self.campaignCodes = campaignCodes
        self.audit = audit
        self.agreements = agreements
        self.deadlines = config.responseDeadlines
        self.triageAllowance = TimeInterval(config.triageDeadlineHours) * 3600
        self.routing = config.routing
        let db = database.db
        let queue = followUp.queue
        self.writer = IntakeWriter(write: { batch in try await ReportService.write(batch, on: db, queue: queue) },
                                   direct: database.isSQLite ? IntakeWriter.Direct(database: db, write: { batch, connection in
                                       try ReportService.writeDirect(batch, connection, queue: queue)
                                   }) : nil,
                                   activity: followUp.activity,
                                   afterCommit: { created in
                                       await followUp.afterCommit(created.compactMap(ReceivedReport.init))
                                   })
    }

    var db: any Database { database.db }

    /// Waits until every stored report has been linked (and case teams warned).
    public func settle() async { await writer.settle() }

    // MARK: Shared by intake, triage and the workflow

    static func agency(for service: PartnerService, among agencies: [Agency]) -> Agency? {
        agencies.first { $0.services.contains(service) }
    }

    static func ruleSummary(_ result: TriageResult) -> String {
        result.firedRules.isEmpty ? "No triage rule fired." : "Rules: " + result.firedRules.map(\.explanation).joined(separator: " ")
    }

    static func newReference() -> String {
        var generator = PooledRandomNumberGenerator()
        return ReportReference.generate(using: &generator).value
    }

    /// Words in the reporter's language where it has a list (`Passphrase.words(for:)`).
    static func newPassphrase(in language: PublicLanguage) -> String {
        var generator = PooledRandomNumberGenerator()
        return Passphrase.generate(in: language, using: &generator).description
    }

    /// Salted with the reference so equal passphrases on two reports hash differently.
    static func passphraseHash(reference: String, passphrase: String) -> String {
        Secrets.sha256Hex("\(reference)|\(Passphrase.normalise(passphrase))")
    }

    static func storage(_ types: Set<ExploitationType>) -> String {
        ExploitationType.allCases.filter(types.contains).map(\.rawValue).joined(separator: ",")
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
