import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The reporter's status check: a public reporter asks with the reference and passphrase.
extension ReportService {
    /// The report for a reference and passphrase, or nil: one answer for an unknown reference
    /// and a wrong passphrase, so neither can be probed.
    func publicLookup(reference text: String, passphrase: String, address: String) async throws -> Report? {
        guard let reference = try? ReportReference(parsing: text) else { return nil }
        let report = try await Report.query(on: db).filter(\.$reference == reference.value).first()
        let expected = report?.passphraseHash ?? String(repeating: "0", count: 64)
        let matches = Secrets.constantTimeEquals(expected, Self.passphraseHash(reference: reference.value, passphrase: passphrase))
        guard let report, report.passphraseHash != nil, matches else { return nil }
        try await audit.append(AuditEvent(actor: .anonymous, action: "report.status_checked", recordType: "report",
                                          recordID: try report.requireID().uuidString, address: address))
        return report
    }
}
