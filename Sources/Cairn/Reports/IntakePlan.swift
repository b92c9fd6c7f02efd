import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// How intake answers a batch when some of its submissions repeat an earlier one (the same
/// idempotency key): worked out before anything is written, the same on either write path.
extension ReportService {
    /// What an earlier submission under the same idempotency key tells a new one.
    struct EarlierSubmission: Sendable {
        let id: UUID
        let reference: String
        let hasPassphrase: Bool
        let fingerprint: String?
        let createdByID: UUID?
    }

    /// How each report of a batch is answered, worked out from what is already stored under
    /// the batch's idempotency keys before anything is written; the same on either write path.
    struct IntakePlan: Sendable {
        enum Answer: Sendable {
            case created(PreparedReport)
            /// A repeat: the report is `sameBatch` when the first submission is in this batch,
            /// otherwise it is read once the batch has committed.
            case replayed(id: UUID, passphrase: String?, sameBatch: Report?)
            case refused(AppError)
        }
        var answers: [Answer] = []
        var created: [PreparedReport] = []
        /// New passphrase hashes for repeated reports stored before this batch.
        var passphraseChanges: [(id: UUID, hash: String, at: Date)] = []
        var audit: [AuditEvent] = []

        /// Repeated reports stored before this batch, to be read once it has committed.
        var earlierRepeats: [UUID] {
            answers.compactMap { answer in
                if case .replayed(let id, _, nil) = answer { id } else { nil }
            }
        }

        /// A repeated idempotency key answers with the first report instead (with a fresh
        /// passphrase, as the first answer may never have arrived); a key reused for a
        /// different report is refused.
        init(_ batch: [PreparedReport], earlier: [String: EarlierSubmission]) {
            var createdByKey: [String: PreparedReport] = [:]
            for item in batch {
                guard let key = item.idempotencyKey, earlier[key] != nil || createdByKey[key] != nil else {
                    created.append(item)
                    if let key = item.idempotencyKey { createdByKey[key] = item }
                    answers.append(.created(item))
                    audit.append(item.audit)
                    continue
                }
                let stored = earlier[key]
                let sameBatch = createdByKey[key]?.report
                let fingerprint = stored?.fingerprint ?? sameBatch?.requestFingerprint
                let createdBy = stored.map(\.createdByID) ?? sameBatch?.createdByID
                guard fingerprint == item.fingerprint, createdBy == item.report.createdByID, let id = stored?.id ?? sameBatch?.id else {
                    answers.append(.refused(AppError(.unprocessableContent, title: "Idempotency key reused",
                                                     "This Idempotency-Key was already used for a different report. Use a new key for a new report.")))
                    continue
                }
                var passphrase: String?
                if stored?.hasPassphrase ?? (sameBatch?.passphraseHash != nil) {
                    let words = ReportService.newPassphrase(in: PublicLanguage(code: item.report.language) ?? .en)
                    let reference = stored?.reference ?? sameBatch?.reference ?? ""
                    let hash = ReportService.passphraseHash(reference: reference, passphrase: words)
                    passphrase = words
                    if let sameBatch {
                        // Not written yet: it is inserted below with the new hash.
                        sameBatch.passphraseHash = hash
                    } else {
                        passphraseChanges.append((id, hash, Date()))
                    }
                }
                answers.append(.replayed(id: id, passphrase: passphrase, sameBatch: sameBatch))
                audit.append(AuditEvent(actor: item.audit.actor, action: "report.replayed", recordType: "report",
                                        recordID: id.uuidString, address: item.audit.address, detail: "same idempotency key"))
            }
        }
    }
}
