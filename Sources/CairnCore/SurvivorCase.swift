import Foundation

/// Signs that a survivor may be at risk of being exploited again.
public enum WarningSign: String, Codable, CaseIterable, Sendable {
    case missedContacts = "missed_contacts"
    case lossOfAccommodation = "loss_of_accommodation"
    case contactFromExploiter = "contact_from_exploiter"
    case newDebt = "new_debt"
    case goingMissing = "going_missing"
    case newLinkedReport = "new_linked_report"
    /// The survivor signed in to their own view with their safe passphrase: someone may be
    /// making them. Recorded by Cairn only, never offered to staff to record by hand.
    case safePassphrase = "safe_passphrase"

    public var label: String {
        switch self {
        case .missedContacts: "Missed contacts"
        case .lossOfAccommodation: "Lost their accommodation"
        case .contactFromExploiter: "Contact from the exploiter"
        case .newDebt: "New debt"
        case .goingMissing: "Gone missing"
        case .newLinkedReport: "A new report links to them"
        case .safePassphrase: "Signed in with their safe passphrase"
        }
    }

    /// Signs that on their own mean the exploiter may already be back in the survivor's life.
    public var isSevere: Bool { self == .contactFromExploiter || self == .goingMissing || self == .newLinkedReport || self == .safePassphrase }

    /// Signs only Cairn records (from what it sees), which staff are not offered to record.
    public var isDetectedOnly: Bool { self == .safePassphrase }
}

public struct RecordedWarningSign: Hashable, Sendable, Codable {
    public var sign: WarningSign
    public var date: CalendarDate

    public init(_ sign: WarningSign, on date: CalendarDate) {
        self.sign = sign
        self.date = date
    }
}

public enum RiskLevel: String, Codable, CaseIterable, Sendable, Comparable {
    case low, medium, high

    public static func < (a: RiskLevel, b: RiskLevel) -> Bool {
        a.declarationIndex < b.declarationIndex
    }
}

public struct ReexploitationRisk: Hashable, Sendable, Codable {
    public let level: RiskLevel
    /// Plain reasons, so the case team sees why.
    public let reasons: [String]

    /// Signs in the last `windowDays` count; older ones are history, not current risk.
    /// High: any severe sign, or two or more different signs. Medium: one sign. Low: none.
    public static func assess(_ signs: [RecordedWarningSign], on today: CalendarDate, windowDays: Int = 90) -> ReexploitationRisk {
        let recent = signs.filter { $0.date <= today && $0.date.days(to: today) < windowDays }
        let kinds = Set(recent.map(\.sign))
        let ordered = WarningSign.allCases.filter(kinds.contains)
        let severe = ordered.filter(\.isSevere)
        if !severe.isEmpty {
            return .init(level: .high, reasons: severe.map { "\($0.label) in the last \(windowDays) days." })
        }
        if kinds.count >= 2 {
            return .init(level: .high, reasons: ["\(kinds.count) different warning signs in the last \(windowDays) days: "
                + ordered.map { $0.label.lowercased() }.joined(separator: ", ") + "."])
        }
        if let only = ordered.first {
            return .init(level: .medium, reasons: ["\(only.label) in the last \(windowDays) days."])
        }
        return .init(level: .low, reasons: ["No warning signs in the last \(windowDays) days."])
    }
}

public enum CaseStatus: String, Codable, CaseIterable, Sendable {
    case open
    /// Support has ended but the team keeps in touch for the follow-up plan.
    case followUp = "follow_up"
    case closed

    public var label: String {
        switch self {
        case .open: "Open"
        case .followUp: "Follow-up"
        case .closed: "Closed"
        }
    }

    /// HTCDS `cas_Status`; a case closed by transfer is `ClosedReferred`.
    public func htcdsStatus(closureReason: ClosureReason?) -> String {
        switch self {
        case .open: "Active"
        case .followUp: "FollowUp"
        case .closed: closureReason == .transferredToAnotherService ? "ClosedReferred" : "Closed"
        }
    }
}

public enum ClosureReason: String, Codable, CaseIterable, Sendable {
    case goalsMet = "goals_met"
    case survivorChoseToEndSupport = "survivor_chose_to_end_support"
    case transferredToAnotherService = "transferred_to_another_service"
    case movedAway = "moved_away"
    case returnedToHomeCountry = "returned_to_home_country"
    case lostContact = "lost_contact"
    case died
    case other

    public var label: String {
        switch self {
        case .goalsMet: "Support goals met"
        case .survivorChoseToEndSupport: "The survivor chose to end support"
        case .transferredToAnotherService: "Transferred to another service"
        case .movedAway: "Moved out of the area"
        case .returnedToHomeCountry: "Returned to their home country"
        case .lostContact: "Lost contact"
        case .died: "Died"
        case .other: "Other"
        }
    }
}

/// Closing a case: a reason and a follow-up plan, so nobody is simply dropped.
public struct CaseClosure: Hashable, Sendable, Codable {
    public let reason: ClosureReason
    public let followUpPlan: String
    public let closedOn: CalendarDate

    public init(reason: ClosureReason, followUpPlan: String, closedOn: CalendarDate) throws(ValidationFailure) {
        // A case closed because the person died has nobody to follow up with.
        if reason != .died && followUpPlan.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationFailure([.init(field: "followUpPlan",
                                           message: "Say what happens next: who keeps in touch, when, and where the survivor can turn for help.")])
        }
        self.reason = reason
        self.followUpPlan = followUpPlan
        self.closedOn = closedOn
    }
}

public enum CaseWorkflow {
    /// open ⇄ follow-up → closed, and closed → open on re-opening.
    public static func canMove(from: CaseStatus, to: CaseStatus) -> Bool {
        switch (from, to) {
        case (.open, .followUp), (.followUp, .open), (.open, .closed), (.followUp, .closed), (.closed, .open): true
        default: false
        }
    }

    /// Closing needs a `CaseClosure` (built only with a reason and plan); re-opening needs a reason.
    public static func move(from: CaseStatus, to: CaseStatus, closure: CaseClosure? = nil,
                            reopenReason: String? = nil) throws(ValidationFailure) -> CaseStatus {
        guard canMove(from: from, to: to) else {
            throw ValidationFailure([.init(field: "status",
                                           message: "A case that is “\(from.label.lowercased())” cannot become “\(to.label.lowercased())”.")])
        }
        if to == .closed && closure == nil {
            throw ValidationFailure([.init(field: "closure", message: "Give a reason for closing the case and a follow-up plan.")])
        }
        if from == .closed, (reopenReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationFailure([.init(field: "reopenReason", message: "Say why the case is being re-opened.")])
        }
        return to
    }
}
