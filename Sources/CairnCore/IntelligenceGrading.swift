import Foundation

// UK 3x5x2 intelligence grading (College of Policing APP), and the legacy 5x5x5 for imports.

public enum SourceEvaluation: String, Codable, CaseIterable, Sendable {
    case reliable = "1"
    case untested = "2"
    case notReliable = "3"

    public var meaning: String {
        switch self {
        case .reliable: "Reliable"
        case .untested: "Untested"
        case .notReliable: "Not reliable"
        }
    }
}

public enum IntelligenceAssessment: String, Codable, CaseIterable, Sendable {
    case a = "A", b = "B", c = "C", d = "D", e = "E"

    public var meaning: String {
        switch self {
        case .a: "Known directly to the source"
        case .b: "Known indirectly to the source but corroborated"
        case .c: "Known indirectly to the source"
        case .d: "Not known"
        case .e: "Suspected to be false or malicious"
        }
    }
}

public enum HandlingCode: String, Codable, CaseIterable, Sendable {
    case p = "P"
    case c = "C"

    public var meaning: String {
        switch self {
        case .p: "Lawful sharing permitted"
        case .c: "Lawful sharing permitted with conditions"
        }
    }
}

/// A 3x5x2 grading such as "1 A P". Code C always carries its conditions.
public struct IntelligenceGrading: Hashable, Sendable, Codable, CustomStringConvertible {
    public let source: SourceEvaluation
    public let assessment: IntelligenceAssessment
    public let handling: HandlingCode
    /// The specific handling instructions; required for C, absent for P.
    public let conditions: String?

    public init(source: SourceEvaluation, assessment: IntelligenceAssessment, handling: HandlingCode,
                conditions: String? = nil) throws(ValidationFailure) {
        let trimmed = conditions?.trimmingCharacters(in: .whitespacesAndNewlines)
        if handling == .c, (trimmed ?? "").isEmpty {
            throw ValidationFailure([.init(field: "conditions",
                                           message: "Handling code C needs the conditions that apply to sharing, in words.")])
        }
        self.source = source
        self.assessment = assessment
        self.handling = handling
        self.conditions = handling == .c ? trimmed : nil
    }

    /// Parses "1AP", "1 a c" (conditions given separately).
    public init(parsing text: String, conditions: String? = nil) throws(ValidationFailure) {
        let chars = Array(text.uppercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "/" })
        guard chars.count == 3,
              let source = SourceEvaluation(rawValue: String(chars[0])),
              let assessment = IntelligenceAssessment(rawValue: String(chars[1])),
              let handling = HandlingCode(rawValue: String(chars[2]))
        else {
            throw ValidationFailure([.init(field: "grading",
                                           message: "A grading is a source evaluation 1–3, an assessment A–E and a handling code P or C, for example “1 A P”.")])
        }
        try self.init(source: source, assessment: assessment, handling: handling, conditions: conditions)
    }

    public var description: String { "\(source.rawValue) \(assessment.rawValue) \(handling.rawValue)" }

    /// The grading spelled out for people who do not know the codes.
    public var meaning: String {
        "\(source.meaning) source; \(assessment.meaning.lowercased()); \(handling.meaning.lowercased())."
    }
}

// MARK: Legacy 5x5x5 (National Intelligence Model, 2006 to mid-2010s)

public enum LegacySourceEvaluation: String, Codable, CaseIterable, Sendable {
    case a = "A", b = "B", c = "C", d = "D", e = "E"

    public var meaning: String {
        switch self {
        case .a: "Always reliable"
        case .b: "Mostly reliable"
        case .c: "Sometimes reliable"
        case .d: "Unreliable"
        case .e: "Untested source"
        }
    }
}

public enum LegacyIntelligenceEvaluation: String, Codable, CaseIterable, Sendable {
    case one = "1", two = "2", three = "3", four = "4", five = "5"

    public var meaning: String {
        switch self {
        case .one: "Known to be true without reservation"
        case .two: "Known personally to the source but not to the officer"
        case .three: "Not known personally to the source but corroborated"
        case .four: "Cannot be judged"
        case .five: "Suspected to be false or malicious"
        }
    }
}

public enum LegacyHandlingCode: String, Codable, CaseIterable, Sendable {
    case one = "1", two = "2", three = "3", four = "4", five = "5"

    public var meaning: String {
        switch self {
        case .one: "May be disseminated to other UK police, law enforcement and prosecuting agencies"
        case .two: "May be disseminated to UK non-prosecuting parties"
        case .three: "May be disseminated to non-UK law enforcement agencies"
        case .four: "Only within the originating agency"
        case .five: "No further dissemination: refer to the originator; special handling"
        }
    }
}

/// Kept as imported on historic items; never assigned to new ones.
public struct LegacyGrading: Hashable, Sendable, Codable, CustomStringConvertible {
    public let source: LegacySourceEvaluation
    public let intelligence: LegacyIntelligenceEvaluation
    public let handling: LegacyHandlingCode

    public init(source: LegacySourceEvaluation, intelligence: LegacyIntelligenceEvaluation, handling: LegacyHandlingCode) {
        self.source = source
        self.intelligence = intelligence
        self.handling = handling
    }

    public var description: String { "\(source.rawValue)\(intelligence.rawValue)\(handling.rawValue)" }
}

// MARK: Sharing with partners

/// What the sharing rule needs to know about an item and the agency asking to see it.
public struct PartnerSharingRequest: Hashable, Sendable {
    public var grading: IntelligenceGrading?
    public var legacyGrading: LegacyGrading?
    /// Whether a sanitised version (source and data subject removed) has been written.
    public var hasSanitisedVersion: Bool
    public var recipientAgencyType: AgencyType
    /// Under the partnership's information-sharing agreement.
    public var recipientHasSharingAgreement: Bool
    /// For code C: the originator has confirmed this recipient meets the conditions.
    public var originatorApprovedRecipient: Bool

    public init(grading: IntelligenceGrading?, legacyGrading: LegacyGrading? = nil, hasSanitisedVersion: Bool,
                recipientAgencyType: AgencyType, recipientHasSharingAgreement: Bool,
                originatorApprovedRecipient: Bool = false) {
        self.grading = grading
        self.legacyGrading = legacyGrading
        self.hasSanitisedVersion = hasSanitisedVersion
        self.recipientAgencyType = recipientAgencyType
        self.recipientHasSharingAgreement = recipientHasSharingAgreement
        self.originatorApprovedRecipient = originatorApprovedRecipient
    }
}

public struct SharingDecision: Hashable, Sendable {
    public let allowed: Bool
    public let reason: String
    /// Conditions the recipient must be shown with the item (code C).
    public let conditions: String?
}

public enum PartnerSharingRule {
    /// Agencies that count as law enforcement for legacy handling code 1.
    static let lawEnforcement: Set<AgencyType> = [.police, .immigration, .labourInspectorate]

    /// Whether a partner agency (not the originator) may see the sanitised item. Each refusal
    /// says what would have to change; the originator always sees its own item. An item graded
    /// both ways (3x5x2 and an imported 5x5x5) is shared only if both handling codes allow it:
    /// the stricter wins, so an old "do not share" is never lost by regrading.
    public static func decide(_ request: PartnerSharingRequest) -> SharingDecision {
        guard request.hasSanitisedVersion else {
            return refusal("Only a sanitised version can be shared with partners, and none has been written.")
        }
        guard request.recipientHasSharingAgreement else {
            return refusal("The agency is not covered by the partnership’s information-sharing agreement.")
        }
        let decisions = [request.grading.map { decide($0, request) }, request.legacyGrading.map { decide($0, request) }].compactMap { $0 }
        switch decisions.count {
        case 0: return refusal("The item has not been graded, so it cannot be shared yet.")
        case 1: return decisions[0]
        default:
            if let refused = decisions.first(where: { !$0.allowed }) {
                return refusal("\(refused.reason) The stricter of its two gradings applies.")
            }
            // Both allow: the 3x5x2 conditions (code C) still go with it.
            return .init(allowed: true, reason: decisions.map(\.reason).joined(separator: " "), conditions: decisions[0].conditions)
        }
    }

    static func refusal(_ reason: String) -> SharingDecision { .init(allowed: false, reason: reason, conditions: nil) }

    static func decide(_ grading: IntelligenceGrading, _ request: PartnerSharingRequest) -> SharingDecision {
        switch grading.handling {
        case .p:
            return .init(allowed: true, reason: "Handling code P: lawful sharing permitted.", conditions: nil)
        case .c:
            guard request.originatorApprovedRecipient else {
                return refusal("Handling code C: the originator must confirm this agency meets the conditions.")
            }
            return .init(allowed: true, reason: "Handling code C: shared on the stated conditions.", conditions: grading.conditions)
        }
    }

    static func decide(_ legacy: LegacyGrading, _ request: PartnerSharingRequest) -> SharingDecision {
        switch legacy.handling {
        case .one where lawEnforcement.contains(request.recipientAgencyType):
            return .init(allowed: true, reason: "Legacy handling code 1: shared with a law enforcement agency.", conditions: nil)
        case .one:
            return refusal("Legacy handling code 1 allows only law enforcement and prosecuting agencies.")
        case .two:
            return .init(allowed: true, reason: "Legacy handling code 2: may go to UK non-prosecuting partners.", conditions: nil)
        case .three:
            return refusal("Legacy handling code 3 allows only non-UK law enforcement agencies.")
        case .four, .five:
            return refusal("Legacy handling code \(legacy.handling.rawValue): not to be shared outside the originating agency.")
        }
    }
}
