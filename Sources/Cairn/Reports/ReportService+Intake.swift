import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Intake: a report is validated, given its reference, triage, routing, events and mentions
/// (`prepare`), and handed to the `IntakeWriter`, which commits it with others in one transaction.
extension ReportService {
    public struct Submitted: Sendable {
        public let report: Report
        /// Only for public reports, and only in this answer: Cairn keeps a hash.
        public let passphrase: String?
        /// True when an earlier submission with the same idempotency key was found.
        public let replayed: Bool
    }

    /// Stores a report and answers only after it is committed, with its triage and routing,
    /// events and mentions, in one transaction.
    /// `now` is the clock (the demo dates its reports over the past months).
    func submit(_ input: ReportInput, source: ReportSource, identity: Identity?, address: String,
                idempotencyKey: String?, requireFormAnswers: Bool, now: Date = Date()) async throws -> Submitted {
        // Only a report that ticks indicators needs the checklists (public reports never do).
        let catalogue = input.indicators.isEmpty ? IndicatorCatalogue(version: 0, items: []) : try await catalogue()
        let valid: ValidReport
        switch ReportValidation.validate(input, source: source, catalogue: catalogue, requireFormAnswers: requireFormAnswers) {
        case .success(let report): valid = report
        case .failure(let issues): throw issues
        }
        let campaign = await campaignCode(input.campaignCode, source: source)
        let key = idempotencyKey.map { String($0.prefix(200)) }
        // Only a keyed submission is compared with an earlier one.
        let fingerprint = key == nil ? "" : input.fingerprint
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try await store(valid, catalogue: catalogue, identity: identity, address: address,
                                       idempotencyKey: key, fingerprint: fingerprint, campaign: campaign, now: now)
            } catch let error as any DatabaseError where error.isConstraintFailure && attempts < 4 {
                // A reference clash (rare) or a concurrent replay of the same key: try again;
                // the replay then finds the first submission.
                continue
            }
        }
    }

    private func store(_ valid: ValidReport, catalogue: IndicatorCatalogue, identity: Identity?, address: String,
                       idempotencyKey: String?, fingerprint: String, campaign: String?, now: Date) async throws -> Submitted {
        let prepared = try await prepare(valid, catalogue: catalogue, identity: identity, address: address,
                                         idempotencyKey: idempotencyKey, fingerprint: fingerprint, now: now)
        prepared.report.campaignCode = campaign
        return try await writer.store(prepared)
    }

    /// Works out everything a new report needs (reference, passphrase, triage, routing, events,
    /// mentions, audit entry) before it joins the queue for the writer.
    func prepare(_ valid: ValidReport, catalogue: IndicatorCatalogue, identity: Identity?, address: String,
                         idempotencyKey: String?, fingerprint: String, now given: Date = Date()) async throws -> PreparedReport {
        // Whole milliseconds, which both databases store exactly: the linker orders reports by
        // this instant, and the copy in memory must order as the stored copy does.
        let now = Date(timeIntervalSince1970: (given.timeIntervalSince1970 * 1000).rounded() / 1000)
        let report = Report()
        let reportID = UUID.timeOrdered(at: now)
        report.id = reportID
        // A clash with an existing reference (1 in 10^9 per pair) fails the UNIQUE constraint;
        // `submit` then tries again with a new one.
        let reference = Self.newReference()
        report.reference = reference
        var passphrase: String?
        if valid.source == .public {
            let words = Self.newPassphrase(in: valid.language)
            report.passphraseHash = Self.passphraseHash(reference: reference, passphrase: words)
            passphrase = words
        }
        report.take(valid, by: identity?.userID, of: identity?.agencyID, at: now)
        report.idempotencyKey = idempotencyKey
        report.requestFingerprint = idempotencyKey == nil ? nil : fingerprint

        let answers = valid.triageAnswers(catalogue: catalogue)
        let result = triage.assess(answers)
        report.urgency = result.urgency.rawValue
        report.triageRules = Self.json(result.firedRules)
        report.dueAt = deadlines.deadline(for: result.urgency, from: now)
        report.status = ReportStatus.new.rawValue
        report.routingExplanation = ""

        var events: [ReportEvent] = [ReportEvent(
            reportID: reportID, at: now, actorID: identity?.userID, actorName: identity?.displayName ?? "Public reporter",
            agencyID: identity?.agencyID, action: "received", from: "", to: ReportStatus.new.rawValue,
            note: valid.source == .public ? "Received through the public form." : "Recorded by a practitioner.")]

        // A classified report, or any emergency, is triaged and routed at once; an
        // unclassified public report waits for the triage team.
        if valid.classified || result.urgency == .emergency {
            report.status = ReportStatus.triaged.rawValue
            events.append(ReportEvent(reportID: reportID, at: now, actorID: nil, actorName: "Triage rules", agencyID: nil,
                                      action: "triage", from: ReportStatus.new.rawValue, to: ReportStatus.triaged.rawValue,
                                      note: "Urgency \(result.urgency.label.lowercased()). " + Self.ruleSummary(result)))
            let decision = routing.route(answers, urgency: result.urgency)
            let agencies = try await Agency.query(on: db).sort(\.$name).all()
            if let agency = Self.agency(for: decision.destination, among: agencies) {
                report.assignedAgencyID = agency.id
                report.status = ReportStatus.assigned.rawValue
                report.routingExplanation = decision.explanation
                events.append(ReportEvent(reportID: reportID, at: now, actorID: nil, actorName: "Routing rules", agencyID: agency.id,
                                          action: "assign", from: ReportStatus.triaged.rawValue, to: ReportStatus.assigned.rawValue,
                                          note: "\(decision.explanation) Assigned to \(agency.name)."))
            } else {
                report.routingExplanation = "\(decision.explanation) No agency provides \(decision.destination.label.lowercased()), so the triage team must assign it."
            }
        }
        // Until it is triaged, a report's deadline is for triage, not for the response.
        if report.reportStatus == .new { report.dueAt = triageDeadline(from: now) }
        for (index, event) in events.enumerated() {
            event.id = UUID.timeOrdered(at: now)
            // Events made in the same instant keep their order when sorted by time.
            event.at = now.addingTimeInterval(Double(index) / 1000)
        }
        let indicators = valid.indicators.map {
            let row = ReportIndicator(reportID: reportID, indicatorID: $0.indicator.id, version: $0.indicator.version, knowledge: $0.knowledge)
            row.id = UUID.timeOrdered(at: now)
            return row
        }
        let mentions = valid.mentions.map { mention in
            let row = ReportMention(reportID: reportID, kind: mention.kind, value: mention.value, normalised: mention.normalised,
                                    aliases: mention.aliases, dateOfBirth: mention.dateOfBirth, age: mention.age,
                                    nationality: mention.nationality, postcode: mention.postcode)
            row.id = UUID.timeOrdered(at: now)
            return row
        }
        let audit = AuditEvent(actor: identity?.auditActor ?? .anonymous, action: "report.created", recordType: "report",
                               recordID: reportID.uuidString, address: address,
                               detail: "\(valid.source.rawValue); urgency \(result.urgency.rawValue); status \(report.status)")
        return PreparedReport(report: report, events: events, indicators: indicators, mentions: mentions, passphrase: passphrase,
                              idempotencyKey: idempotencyKey, fingerprint: fingerprint, audit: audit)
    }
}
