import Foundation

/// Areas of a survivor's life a needs assessment covers.
public enum NeedDomain: String, Codable, CaseIterable, Sendable {
    case safety
    case accommodation
    case physicalHealth = "physical_health"
    case mentalHealth = "mental_health"
    case legalAdvice = "legal_advice"
    case immigration
    case moneyAndBenefits = "money_and_benefits"
    case interpreterAndLanguage = "interpreter_and_language"
    case educationAndWork = "education_and_work"
    case family
    case peerSupport = "peer_support"

    public var label: String {
        switch self {
        case .safety: "Safety"
        case .accommodation: "Accommodation"
        case .physicalHealth: "Physical health"
        case .mentalHealth: "Mental health"
        case .legalAdvice: "Legal advice"
        case .immigration: "Immigration"
        case .moneyAndBenefits: "Money and benefits"
        case .interpreterAndLanguage: "Interpreter and language"
        case .educationAndWork: "Education and work"
        case .family: "Family"
        case .peerSupport: "Peer support"
        }
    }

    /// HTCDS v2.0 support-plan type (`spl_Type`) used on export.
    public var htcdsSupportPlanType: HTCDSSupportPlanType {
        switch self {
        case .safety, .accommodation, .family, .peerSupport, .interpreterAndLanguage: .socialCare
        case .physicalHealth, .mentalHealth: .health
        case .legalAdvice, .immigration: .legal
        case .moneyAndBenefits: .financial
        case .educationAndWork: .livelihood
        }
    }
}

public enum HTCDSSupportPlanType: String, Codable, CaseIterable, Sendable {
    case education = "Education"
    case financial = "Financial"
    case health = "Health"
    case labourExploitationRehabilitation = "LabourExploitationRehabilitation"
    case legal = "Legal"
    case livelihood = "Livelihood"
    case rightsBasedTraining = "RightsBasedTraining"
    case sexualExploitationRehabilitation = "SexualExploitationRehabilitation"
    case socialCare = "SocialCare"
}

/// How soon a need must be met, in the caseworker's judgement.
public enum NeedUrgency: String, Codable, CaseIterable, Sendable, Comparable {
    case immediate, soon, routine, none

    public var label: String {
        switch self {
        case .immediate: "Immediate (today)"
        case .soon: "Soon (within a week)"
        case .routine: "Routine"
        case .none: "No current need"
        }
    }

    public static func < (a: NeedUrgency, b: NeedUrgency) -> Bool {
        a.declarationIndex > b.declarationIndex
    }
}

/// How much the survivor themselves wants this addressed: recorded beside the urgency so a
/// plan can follow their priorities, not only the caseworker's.
public enum SurvivorPriority: String, Codable, CaseIterable, Sendable {
    case high, medium, low
    case notNow = "not_now"

    public var label: String {
        switch self {
        case .high: "Very important to them"
        case .medium: "Important to them"
        case .low: "Less important to them"
        case .notNow: "Not something they want help with now"
        }
    }
}

public struct NeedAssessment: Hashable, Sendable, Codable {
    public var domain: NeedDomain
    public var urgency: NeedUrgency
    public var survivorPriority: SurvivorPriority
    public var assessedOn: CalendarDate

    public init(domain: NeedDomain, urgency: NeedUrgency, survivorPriority: SurvivorPriority, assessedOn: CalendarDate) {
        self.domain = domain
        self.urgency = urgency
        self.survivorPriority = survivorPriority
        self.assessedOn = assessedOn
    }
}

public enum CarePlanTaskStatus: String, Codable, CaseIterable, Sendable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    /// Waiting on something outside the owner's control.
    case waiting
    case done
    case cancelled

    public var label: String {
        switch self {
        case .notStarted: "Not started"
        case .inProgress: "In progress"
        case .waiting: "Waiting"
        case .done: "Done"
        case .cancelled: "Cancelled"
        }
    }

    public var isOpen: Bool { self != .done && self != .cancelled }
}

/// A care-plan task owned by one agency.
public struct CarePlanTask: Hashable, Sendable, Codable {
    public var need: NeedDomain
    /// The owning agency's identifier, as the application stores it.
    public var ownerAgency: String
    public var dueDate: CalendarDate?
    public var status: CarePlanTaskStatus

    public init(need: NeedDomain, ownerAgency: String, dueDate: CalendarDate? = nil, status: CarePlanTaskStatus = .notStarted) {
        self.need = need
        self.ownerAgency = ownerAgency
        self.dueDate = dueDate
        self.status = status
    }

    /// Open past its due date; due today is not yet overdue.
    public func isOverdue(on today: CalendarDate) -> Bool {
        guard status.isOpen, let due = dueDate else { return false }
        return today > due
    }

    /// A task for an agency the survivor has not consented to share care-plan details with is refused.
    public func validate(consents: [ConsentRecord], on today: CalendarDate) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if ownerAgency.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.init(field: "ownerAgency", message: "Choose the agency that owns this task."))
        } else if !consents.permit(.needsAndCarePlan, for: .supportAndCarePlanning, to: ownerAgency, on: today) {
            issues.append(.init(field: "ownerAgency",
                                message: "The survivor has not consented to share their care plan with this agency for support. Record consent first."))
        }
        return issues
    }
}
