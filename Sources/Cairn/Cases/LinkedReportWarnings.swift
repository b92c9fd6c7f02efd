import CairnCore
import FluentKit
import Foundation
import SQLKit

extension CaseSupportService {
    /// Tells the teams of open cases when a newly stored report links to the report their case
    /// came from. A link through the survivor's own identifiers (`LinkedReportReason.raisesRisk`)
    /// is a detected warning sign: a `new_linked_report` warning recorded by Cairn (not a person),
    /// which re-assesses the risk and alerts the team. A link only through something shared
    /// (a business, a vehicle, a web address) alerts the team and changes no risk.
    /// `links`: each new report's reference and the earlier reports it links to, with why
    /// (one look-up for all of them).
    func detectLinkedReports(_ links: [(reference: String, linked: [UUID: LinkedReportReason])], now: Date = Date()) async {
        let reportIDs = Array(Set(links.flatMap(\.linked.keys)))
        guard !reportIDs.isEmpty else { return }
        do {
            var open: [UUID: [SupportCase]] = [:]
            for chunk in SQLRows.chunks(reportIDs) {
                for c in try await SupportCase.query(on: db).filter(\.$reportID ~~ chunk).filter(\.$status != CaseStatus.closed.rawValue).all() {
                    if let reportID = c.reportID { open[reportID, default: []].append(c) }
                }
            }
            guard !open.isEmpty else { return }
            for (reference, linked) in links {
                for (reportID, why) in linked.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                    for c in open[reportID] ?? [] {
                        let because = why.summary.isEmpty ? "linked" : why.summary
                        if why.raisesRisk {
                            _ = try await recordDetectedWarning(try cases.forCairn(c), sign: WarningSign.newLinkedReport.rawValue,
                                                                observedOn: "", note: "New report \(reference) links to the report this case came from: \(because).",
                                                                address: "system", now: now)
                        } else {
                            try await noteSharedLink(c, reference: reference, because: because, now: now)
                        }
                    }
                }
            }
        } catch {
            database.logger.error("linked-report check failed", metadata: ["error": "\(String(describing: type(of: error)))"])
        }
    }

    /// Alerts the case team to a report linked only through something shared, without a
    /// warning sign or a change of risk.
    private func noteSharedLink(_ record: SupportCase, reference: String, because: String, now: Date) async throws {
        let caseID = try record.requireID()
        try await db.transaction { tx in
            try await notifyTeam(caseID, except: nil, on: tx, now: now,
                                 message: "New report \(reference) links to the report case \(record.code) came from (\(because)). "
                                     + "Nothing of the survivor's own is shared, so the risk is unchanged.")
            try await audit.append(AuditEvent(actor: .system, action: "case.linked_report.noted", recordType: "case", recordID: caseID.uuidString,
                                              address: "system", detail: "report \(reference); risk unchanged"), on: tx)
        }
    }
}
