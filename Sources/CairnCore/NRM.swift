import Foundation

/// The National Referral Mechanism: a first responder refers a potential victim; a competent
/// authority makes a reasonable-grounds (RG) then a conclusive-grounds (CG) decision.
public enum CompetentAuthority: String, Codable, CaseIterable, Sendable {
    case singleCompetentAuthority = "sca"
    /// Decides cases of people in immigration processes (from November 2021).
    case immigrationEnforcement = "ieca"
    /// Local multi-agency panels deciding children's cases in the devolved decision-making pilot.
    case devolvedChildDecisionPanel = "devolved_child_pilot"

    public var label: String {
        switch self {
        case .singleCompetentAuthority: "Single Competent Authority (SCA)"
        case .immigrationEnforcement: "Immigration Enforcement Competent Authority (IECA)"
        case .devolvedChildDecisionPanel: "Devolved child decision-making pilot panel"
        }
    }
}

public enum NRMDecisionKind: String, Codable, CaseIterable, Sendable {
    case reasonableGrounds = "reasonable_grounds"
    case conclusiveGrounds = "conclusive_grounds"

    public var label: String {
        switch self {
        case .reasonableGrounds: "Reasonable-grounds decision"
        case .conclusiveGrounds: "Conclusive-grounds decision"
        }
    }
}

public enum NRMDecision: String, Codable, CaseIterable, Sendable {
    case positive, negative
}

public struct NRMDecisionRecord: Hashable, Sendable, Codable {
    public var decision: NRMDecision
    public var date: CalendarDate

    public init(_ decision: NRMDecision, on date: CalendarDate) {
        self.decision = decision
        self.date = date
    }
}

/// Only the first responder or support provider may ask for an RG or CG decision to be
/// looked at again; Cairn records the request and what came of it.
public struct ReconsiderationRequest: Hashable, Sendable, Codable {
    public var decision: NRMDecisionKind
    public var requestedOn: CalendarDate
    /// The decision on reconsideration, once made.
    public var outcome: NRMDecisionRecord?

    public init(of decision: NRMDecisionKind, requestedOn: CalendarDate, outcome: NRMDecisionRecord? = nil) {
        self.decision = decision
        self.requestedOn = requestedOn
        self.outcome = outcome
    }
}

/// Where a referral stands, derived from its dates and decisions (never typed in).
public enum NRMStage: String, Codable, CaseIterable, Sendable {
    case awaitingReasonableGrounds = "awaiting_reasonable_grounds"
    /// Positive RG: recovery period and support until the CG decision.
    case recoveryPeriod = "recovery_period"
    case negativeReasonableGrounds = "negative_reasonable_grounds"
    case positiveConclusiveGrounds = "positive_conclusive_grounds"
    case negativeConclusiveGrounds = "negative_conclusive_grounds"
    case reconsiderationRequested = "reconsideration_requested"

    public var label: String {
        switch self {
        case .awaitingReasonableGrounds: "Referred – awaiting reasonable-grounds decision"
        case .recoveryPeriod: "Positive reasonable grounds – recovery period"
        case .negativeReasonableGrounds: "Negative reasonable-grounds decision"
        case .positiveConclusiveGrounds: "Positive conclusive-grounds decision"
        case .negativeConclusiveGrounds: "Negative conclusive-grounds decision"
        case .reconsiderationRequested: "Reconsideration requested"
        }
    }
}

public struct NRMReferral: Hashable, Sendable, Codable {
    /// Working days the competent authority aims to take over an RG decision.
    public static let reasonableGroundsTargetWorkingDays = 5
    /// Minimum recovery period from a positive RG decision (England and Wales, reduced from 45).
    public static let minimumRecoveryPeriodDays = 30

    public var referralDate: CalendarDate
    public var firstResponderOrganisation: String
    /// The reference the competent authority emails back.
    public var reference: String?
    public var competentAuthority: CompetentAuthority?
    public var reasonableGrounds: NRMDecisionRecord?
    public var conclusiveGrounds: NRMDecisionRecord?
    public var reconsiderations: [ReconsiderationRequest]

    public init(
        referralDate: CalendarDate, firstResponderOrganisation: String, reference: String? = nil,
        competentAuthority: CompetentAuthority? = nil, reasonableGrounds: NRMDecisionRecord? = nil,
        conclusiveGrounds: NRMDecisionRecord? = nil, reconsiderations: [ReconsiderationRequest] = []
    ) {
        self.referralDate = referralDate
        self.firstResponderOrganisation = firstResponderOrganisation
        self.reference = reference
        self.competentAuthority = competentAuthority
        self.reasonableGrounds = reasonableGrounds
        self.conclusiveGrounds = conclusiveGrounds
        self.reconsiderations = reconsiderations
    }

    // MARK: Deadlines

    public func reasonableGroundsTarget(_ calendar: WorkingDays = .englandAndWales) -> CalendarDate {
        calendar.addWorkingDays(Self.reasonableGroundsTargetWorkingDays, to: referralDate)
    }

    /// Overdue from the working day after the target while no RG decision is recorded.
    public func isReasonableGroundsOverdue(on today: CalendarDate, _ calendar: WorkingDays = .englandAndWales) -> Bool {
        reasonableGrounds == nil && today > reasonableGroundsTarget(calendar)
    }

    /// The RG decision that stands: a reconsideration outcome replaces the original.
    public var effectiveReasonableGrounds: NRMDecisionRecord? {
        latestReconsiderationOutcome(of: .reasonableGrounds) ?? reasonableGrounds
    }

    public var effectiveConclusiveGrounds: NRMDecisionRecord? {
        latestReconsiderationOutcome(of: .conclusiveGrounds) ?? conclusiveGrounds
    }

    /// The earliest day the recovery period may end: 30 calendar days after a positive RG.
    /// Support continues beyond it until the CG decision.
    public var recoveryPeriodEarliestEnd: CalendarDate? {
        guard let rg = effectiveReasonableGrounds, rg.decision == .positive else { return nil }
        return rg.date.adding(days: Self.minimumRecoveryPeriodDays)
    }

    public var stage: NRMStage {
        if reconsiderations.contains(where: { $0.outcome == nil }) { return .reconsiderationRequested }
        if let cg = effectiveConclusiveGrounds {
            return cg.decision == .positive ? .positiveConclusiveGrounds : .negativeConclusiveGrounds
        }
        guard let rg = effectiveReasonableGrounds else { return .awaitingReasonableGrounds }
        return rg.decision == .positive ? .recoveryPeriod : .negativeReasonableGrounds
    }

    private func latestReconsiderationOutcome(of kind: NRMDecisionKind) -> NRMDecisionRecord? {
        reconsiderations.filter { $0.decision == kind }.compactMap(\.outcome).max { $0.date < $1.date }
    }

    // MARK: Validation

    /// Dates in the wrong order, future dates and decisions without their predecessors.
    public func validate(today: CalendarDate) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func issue(_ field: String, _ message: String) { issues.append(.init(field: field, message: message)) }

        if firstResponderOrganisation.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            issue("firstResponderOrganisation", "Say which first responder organisation made the referral.")
        }
        if referralDate > today {
            issue("referralDate", "The referral date \(referralDate) is in the future.")
        }
        if let rg = reasonableGrounds {
            if rg.date < referralDate {
                issue("reasonableGrounds.date",
                      "The reasonable-grounds decision (\(rg.date)) cannot be before the referral (\(referralDate)).")
            }
            if rg.date > today {
                issue("reasonableGrounds.date", "The reasonable-grounds decision date \(rg.date) is in the future.")
            }
        }
        if let cg = conclusiveGrounds {
            if let rg = reasonableGrounds {
                if cg.date < rg.date {
                    issue("conclusiveGrounds.date",
                          "The conclusive-grounds decision (\(cg.date)) cannot be before the reasonable-grounds decision (\(rg.date)).")
                }
                if effectiveReasonableGrounds?.decision != .positive {
                    issue("conclusiveGrounds",
                          "A conclusive-grounds decision follows only a positive reasonable-grounds decision; record the reconsideration that overturned the negative one first.")
                }
            } else {
                issue("conclusiveGrounds",
                      "Record the reasonable-grounds decision before the conclusive-grounds decision.")
            }
            if cg.date < referralDate {
                issue("conclusiveGrounds.date",
                      "The conclusive-grounds decision (\(cg.date)) cannot be before the referral (\(referralDate)).")
            }
            if cg.date > today {
                issue("conclusiveGrounds.date", "The conclusive-grounds decision date \(cg.date) is in the future.")
            }
        }
        for (index, request) in reconsiderations.enumerated() {
            let field = "reconsiderations[\(index)]"
            let original = request.decision == .reasonableGrounds ? reasonableGrounds : conclusiveGrounds
            if let original {
                if request.requestedOn < original.date {
                    issue("\(field).requestedOn",
                          "A reconsideration cannot be requested (\(request.requestedOn)) before the decision it questions (\(original.date)).")
                }
            } else {
                issue("\(field).decision",
                      "There is no \(request.decision.label.lowercased()) yet to reconsider.")
            }
            if request.requestedOn > today {
                issue("\(field).requestedOn", "The reconsideration request date \(request.requestedOn) is in the future.")
            }
            if let outcome = request.outcome, outcome.date < request.requestedOn {
                issue("\(field).outcome.date",
                      "The reconsidered decision (\(outcome.date)) cannot be before the request (\(request.requestedOn)).")
            }
        }
        return issues
    }
}
