import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The workflow: accept, reject, re-route, start, assign, close and re-open, each checked
/// against who may take it and the report's status (`ReportWorkflow`), recorded as an event and audited.
extension ReportService {
    /// What a person asks to do to a report.
    enum Command: Sendable {
        case accept
        case reject(reason: String)
        case reroute(agencyID: UUID?, reason: String)
        case start
        case assign(agencyID: UUID?, note: String)
        case close(outcome: String, date: String, note: String)
        case reopen(reason: String)

        var name: String {
            switch self {
            case .accept: "accept"
            case .reject: "reject"
            case .reroute: "re-route"
            case .start: "start"
            case .assign: "assign"
            case .close: "close"
            case .reopen: "re-open"
            }
        }
    }

    /// Applies a workflow step after checking the person may take it on this report.
    @discardableResult
    func perform(_ command: Command, on id: UUID, identity: Identity, address: String, now: Date = Date()) async throws -> Report {
        try await db.transaction { tx in
            let (report, access) = try await visibleReport(id, identity: identity, on: tx)
            let triageTeam = identity.can(.triageReports)
            let holder = ReportRule.assignedTo(identity.agencyID).holds(report) && identity.can(.viewReports)
            guard access == .full else { throw AppError.forbidden }
            let from = report.reportStatus
            var note = ""
            let action: ReportAction
            switch command {
            case .accept:
                guard holder || triageTeam else { throw Self.notHolder }
                action = .accept
            case .reject(let reason):
                guard holder else { throw Self.notHolder }
                action = .reject(reason: reason)
                note = reason
            case .reroute(let agencyID, let reason):
                guard holder || triageTeam else { throw Self.notHolder }
                action = .reroute(reason: reason)
                guard let agencyID, let agency = try await Agency.find(agencyID, on: tx) else {
                    throw AppError.invalid([.init("agencyId", "Choose the agency to pass the report to.")])
                }
                guard agencyID != report.assignedAgencyID else {
                    throw AppError.invalid([.init("agencyId", "The report is already with \(agency.name); choose another agency.")])
                }
                report.assignedAgencyID = agencyID
                note = "To \(agency.name): \(reason)"
            case .start:
                guard holder || triageTeam else { throw Self.notHolder }
                action = .start
            case .assign(let agencyID, let reason):
                guard triageTeam else { throw AppError.forbidden }
                guard let agencyID, let agency = try await Agency.find(agencyID, on: tx) else {
                    throw AppError.invalid([.init("agencyId", "Choose the agency to assign the report to.")])
                }
                action = .assign
                if from == .new {
                    // Assigning an untriaged report triages it by hand.
                    _ = try Self.apply(.triage, to: from)
                    try await ReportEvent(reportID: id, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                          action: "triage", from: from.rawValue, to: ReportStatus.triaged.rawValue, note: "Triaged by hand.").create(on: tx)
                    report.status = ReportStatus.triaged.rawValue
                }
                report.assignedAgencyID = agencyID
                report.routingExplanation = "Assigned by \(identity.displayName)."
                note = "To \(agency.name)." + (reason.isEmpty ? "" : " \(reason)")
            case .close(let outcomeText, let dateText, let outcomeNote):
                guard holder || triageTeam else { throw Self.notHolder }
                var v = Validator()
                let outcome = ReportOutcome(rawValue: outcomeText)
                if outcome == nil { v.add("outcome", "Choose the outcome from the list; a report cannot be closed without one.") }
                let date = try? CalendarDate(parsing: dateText.trimmingCharacters(in: .whitespaces))
                if dateText.trimmingCharacters(in: .whitespaces).isEmpty {
                    v.add("outcomeDate", "Enter the date of the outcome, for example 2026-11-23.")
                } else if date == nil {
                    v.add("outcomeDate", "The outcome date must be a real date written as YYYY-MM-DD.")
                } else if let date, date > CalendarDate(now, in: TimeZone.london) {
                    v.add("outcomeDate", "The outcome date cannot be in the future.")
                }
                let cleaned = v.text(outcomeNote, field: "outcomeNote", label: "A note on the outcome", max: 4000)
                try v.check()
                let kind = try outcome.checked(), day = try date.checked()
                action = .close(outcome: kind)
                report.outcome = kind.rawValue
                report.outcomeDate = day.description
                report.outcomeNote = cleaned
                report.closedAt = now
                if report.respondedAt == nil { report.respondedAt = now }
                note = "\(kind.label) (\(Format.day(day))). \(cleaned)"
            case .reopen(let reason):
                guard holder || triageTeam else { throw Self.notHolder }
                action = .reopen(reason: reason)
                report.closedAt = nil
                note = reason
            }
            if case .reject(let reason) = command, reason.count > 2000 {
                throw AppError.invalid([.init("reason", "Keep the reason to 2,000 characters or fewer.")])
            }
            let left = report.reportStatus
            let to = try Self.apply(action, to: left)
            if from == .new { report.dueAt = deadlines.deadline(for: report.reportUrgency, from: report.receivedAt) }
            if case .accept = command, report.respondedAt == nil { report.respondedAt = now }
            report.status = to.rawValue
            report.updatedAt = now
            try await report.save(on: tx)
            try await ReportEvent(reportID: id, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                  action: action.name, from: left.rawValue, to: to.rawValue, note: note).create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.\(command.name)", recordType: "report",
                                              recordID: id.uuidString, address: address, detail: "\(from.rawValue) → \(to.rawValue)"), on: tx)
            return report
        }
    }

    static let notHolder = AppError(.forbidden, title: "Not your agency’s report",
                                    "Only the agency the report is assigned to (or the triage team) can do this.")

    static func apply(_ action: ReportAction, to status: ReportStatus) throws -> ReportStatus {
        do { return try ReportWorkflow.apply(action, to: status) } catch {
            switch error {
            case .reasonRequired: throw AppError.invalid([.init("reason", error.description)])
            case .notAllowed: throw AppError(.conflict, title: "Not possible now", error.description)
            }
        }
    }
}
