import Foundation

/// Where a report of concern is in its handling.
public enum ReportStatus: String, Codable, CaseIterable, Sendable {
    case new
    case triaged
    case assigned
    case accepted
    case rejected
    /// Passed by the assigned agency to another, which must accept or reject it.
    case rerouted
    case inProgress = "in_progress"
    case closed

    public var label: String {
        switch self {
        case .new: "New"
        case .triaged: "Triaged"
        case .assigned: "Assigned"
        case .accepted: "Accepted"
        case .rejected: "Rejected by the assigned agency"
        case .rerouted: "Re-routed"
        case .inProgress: "In progress"
        case .closed: "Closed"
        }
    }

    /// The key of the sentence (in `PublicReportText`) the person who reported sees. Deliberately
    /// vague: the reporter may be close to the people involved, so it says that something was
    /// done without saying what could tip off an exploiter or expose a person's own choices.
    public func publicStatusKey(outcome: ReportOutcome?) -> String {
        switch self {
        case .new: "status.received"
        case .triaged, .accepted, .inProgress: "status.reviewing"
        case .assigned, .rejected, .rerouted: "status.passed"
        case .closed:
            switch outcome {
            case nil, .noIndicatorsFound?, .duplicateOfAnotherReport?: "status.closedNoAction"
            case .safeguardingReferralMade?, .nrmReferralMade?, .dutyToNotifyMade?, .supportOfferedAndAccepted?, .supportOfferedAndDeclined?:
                "status.closedReferred"
            case .intelligenceRecorded?, .premisesVisited?, .policeInvestigationOpened?: "status.actionTaken"
            }
        }
    }
}

/// Something a person does to a report. Each action leads to one status.
public enum ReportAction: Hashable, Sendable {
    case triage
    case assign
    case accept
    case reject(reason: String)
    case reroute(reason: String)
    case start
    case close(outcome: ReportOutcome)
    case reopen(reason: String)

    public var name: String {
        switch self {
        case .triage: "triage"
        case .assign: "assign"
        case .accept: "accept"
        case .reject: "reject"
        case .reroute: "re-route"
        case .start: "start work on"
        case .close: "close"
        case .reopen: "re-open"
        }
    }

    public var resultingStatus: ReportStatus {
        switch self {
        case .triage: .triaged
        case .assign: .assigned
        case .accept: .accepted
        case .reject: .rejected
        case .reroute: .rerouted
        case .start: .inProgress
        case .close: .closed
        // New information needs a fresh look: urgency and the right agency may have changed.
        case .reopen: .triaged
        }
    }
}

public enum ReportTransitionError: Error, Hashable, Sendable, CustomStringConvertible {
    case notAllowed(from: ReportStatus, action: String, allowed: [String])
    case reasonRequired(action: String)

    public var description: String {
        switch self {
        case .notAllowed(let from, let action, let allowed):
            "A report that is “\(from.label.lowercased())” cannot be \(Self.pastTense(action)). "
                + (allowed.isEmpty ? "" : "From here you can: \(allowed.joined(separator: ", ")).")
        case .reasonRequired(let action):
            "Give a reason to \(action) the report."
        }
    }

    private static func pastTense(_ action: String) -> String {
        switch action {
        case "triage": "triaged"
        case "assign": "assigned"
        case "accept": "accepted"
        case "reject": "rejected"
        case "re-route": "re-routed"
        case "start work on": "started"
        case "close": "closed"
        case "re-open": "re-opened"
        default: action
        }
    }
}

/// The report life cycle as a pure state machine:
/// new → triaged → assigned → accepted / rejected / re-routed → in progress → closed, and re-open.
public enum ReportWorkflow {
    /// The statuses each action may be taken from. Triage may close at once (a duplicate, or
    /// no indicators); a rejected report goes back to the triage team to assign again or close.
    public static func allowedSources(of action: ReportAction) -> Set<ReportStatus> {
        switch action {
        case .triage: [.new]
        case .assign: [.triaged, .rejected]
        case .accept, .reject, .reroute: [.assigned, .rerouted]
        case .start: [.accepted]
        case .close: [.triaged, .rejected, .accepted, .inProgress]
        case .reopen: [.closed]
        }
    }

    /// One of each action, for listing what can be done.
    static let everyAction: [ReportAction] = [.triage, .assign, .accept, .reject(reason: ""), .reroute(reason: ""),
                                              .start, .close(outcome: .noIndicatorsFound), .reopen(reason: "")]

    /// Which statuses each status may move to, derived from the actions.
    public static let transitions: [ReportStatus: Set<ReportStatus>] = {
        var table: [ReportStatus: Set<ReportStatus>] = [:]
        for action in everyAction {
            for source in allowedSources(of: action) { table[source, default: []].insert(action.resultingStatus) }
        }
        return table
    }()

    /// The status after `action`, or an error a person can act on. Closing carries its
    /// outcome in the action, so a report cannot be closed without one.
    public static func apply(_ action: ReportAction, to status: ReportStatus) throws(ReportTransitionError) -> ReportStatus {
        guard allowedSources(of: action).contains(status) else {
            throw .notAllowed(from: status, action: action.name, allowed: allowedActions(from: status))
        }
        switch action {
        case .reject(let reason), .reroute(let reason), .reopen(let reason):
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw .reasonRequired(action: action.name)
            }
        default: break
        }
        return action.resultingStatus
    }

    /// Names of the actions open from `status`, for screens and error messages.
    public static func allowedActions(from status: ReportStatus) -> [String] {
        everyAction.filter { allowedSources(of: $0).contains(status) }.map(\.name)
    }
}

/// How a report ended: a fixed list so outcomes can be counted and compared across partnerships.
public enum ReportOutcome: String, Codable, CaseIterable, Sendable {
    case noIndicatorsFound = "no_indicators_found"
    case safeguardingReferralMade = "safeguarding_referral_made"
    case nrmReferralMade = "nrm_referral_made"
    case dutyToNotifyMade = "duty_to_notify_made"
    case intelligenceRecorded = "intelligence_recorded"
    case premisesVisited = "premises_visited"
    case policeInvestigationOpened = "police_investigation_opened"
    case supportOfferedAndAccepted = "support_offered_and_accepted"
    case supportOfferedAndDeclined = "support_offered_and_declined"
    case duplicateOfAnotherReport = "duplicate_of_another_report"

    public var label: String {
        switch self {
        case .noIndicatorsFound: "No indicators of exploitation found"
        case .safeguardingReferralMade: "Safeguarding referral made"
        case .nrmReferralMade: "National Referral Mechanism referral made"
        case .dutyToNotifyMade: "Duty to Notify made"
        case .intelligenceRecorded: "Intelligence recorded"
        case .premisesVisited: "Premises visited"
        case .policeInvestigationOpened: "Police investigation opened"
        case .supportOfferedAndAccepted: "Support offered and accepted"
        case .supportOfferedAndDeclined: "Support offered and declined"
        case .duplicateOfAnotherReport: "Duplicate of another report"
        }
    }
}

/// A referral from one agency to another for action.
public enum ReferralStatus: String, Codable, CaseIterable, Sendable {
    case pending, accepted, rejected, completed

    public var label: String {
        switch self {
        case .pending: "Waiting for a reply"
        case .accepted: "Accepted"
        case .rejected: "Rejected"
        case .completed: "Completed"
        }
    }

    /// pending → accepted / rejected (with a reason) → accepted → completed.
    public func moving(to next: ReferralStatus, reason: String? = nil) throws(ValidationFailure) -> ReferralStatus {
        let allowed: Bool = switch (self, next) {
        case (.pending, .accepted), (.pending, .rejected), (.accepted, .completed): true
        default: false
        }
        guard allowed else {
            throw ValidationFailure([.init(field: "status",
                                           message: "A referral that is “\(label.lowercased())” cannot become “\(next.label.lowercased())”.")])
        }
        if next == .rejected, (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationFailure([.init(field: "reason", message: "Say why the referral is rejected, so the referring agency can act.")])
        }
        return next
    }
}
