import Foundation

/// Kinds of information about a survivor that consent can cover, so a share names exactly what goes.
public enum ConsentDataCategory: String, Codable, CaseIterable, Sendable {
    case identityDetails = "identity_details"
    case contactDetails = "contact_details"
    /// The survivor's account, recorded once so they need not retell it ("tell us once").
    case account
    case needsAndCarePlan = "needs_and_care_plan"
    case healthInformation = "health_information"
    case immigrationStatus = "immigration_status"
    case nrmDetails = "nrm_details"
    case criminalJusticeInformation = "criminal_justice_information"

    public var label: String {
        switch self {
        case .identityDetails: "Identity details (name, date of birth, nationality)"
        case .contactDetails: "Contact details and address"
        case .account: "Their account of what happened"
        case .needsAndCarePlan: "Needs and care plan"
        case .healthInformation: "Health information"
        case .immigrationStatus: "Immigration status"
        case .nrmDetails: "National Referral Mechanism details"
        case .criminalJusticeInformation: "Police and court information"
        }
    }
}

public enum ConsentPurpose: String, Codable, CaseIterable, Sendable {
    case safeguarding
    case supportAndCarePlanning = "support_and_care_planning"
    case nrmReferral = "nrm_referral"
    case housing
    case healthcare
    case legalAdvice = "legal_advice"
    case criminalInvestigation = "criminal_investigation"

    public var label: String {
        switch self {
        case .safeguarding: "Keeping them safe"
        case .supportAndCarePlanning: "Arranging support and care"
        case .nrmReferral: "Referral into the National Referral Mechanism"
        case .housing: "Finding housing"
        case .healthcare: "Healthcare"
        case .legalAdvice: "Legal and immigration advice"
        case .criminalInvestigation: "A police investigation"
        }
    }
}

public enum ConsentMethod: String, Codable, CaseIterable, Sendable {
    case written
    case writtenWithInterpreter = "written_with_interpreter"
    case verbal
    case verbalWithInterpreter = "verbal_with_interpreter"
    case electronic

    public var label: String {
        switch self {
        case .written: "Written"
        case .writtenWithInterpreter: "Written, with an interpreter"
        case .verbal: "Verbal"
        case .verbalWithInterpreter: "Verbal, with an interpreter"
        case .electronic: "Electronic"
        }
    }

    public var usedInterpreter: Bool { self == .writtenWithInterpreter || self == .verbalWithInterpreter }
}

/// One consent the survivor gave: what may be shared, with whom, why, and for how long.
/// Withdrawal is recorded, never deleted, so the history of who could see what remains.
public struct ConsentRecord: Hashable, Sendable, Codable {
    public var categories: Set<ConsentDataCategory>
    public var purposes: Set<ConsentPurpose>
    /// Identifiers of the receiving agencies, as the application stores them.
    public var agencies: Set<String>
    public var method: ConsentMethod
    /// The language interpreted into, required when an interpreter was used.
    public var interpreterLanguage: String?
    public var validFrom: CalendarDate
    /// Last day the consent covers; `nil` means until withdrawn.
    public var validUntil: CalendarDate?
    /// Withdrawal takes effect on this day itself.
    public var withdrawnOn: CalendarDate?

    public init(
        categories: Set<ConsentDataCategory>, purposes: Set<ConsentPurpose>, agencies: Set<String>,
        method: ConsentMethod, interpreterLanguage: String? = nil, validFrom: CalendarDate,
        validUntil: CalendarDate? = nil, withdrawnOn: CalendarDate? = nil
    ) {
        self.categories = categories
        self.purposes = purposes
        self.agencies = agencies
        self.method = method
        self.interpreterLanguage = interpreterLanguage
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.withdrawnOn = withdrawnOn
    }

    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if categories.isEmpty {
            issues.append(.init(field: "categories", message: "Choose at least one kind of information the consent covers."))
        }
        if purposes.isEmpty {
            issues.append(.init(field: "purposes", message: "Choose at least one purpose the information may be used for."))
        }
        if agencies.isEmpty {
            issues.append(.init(field: "agencies", message: "Choose at least one agency the information may be shared with."))
        }
        if method.usedInterpreter, (interpreterLanguage ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.init(field: "interpreterLanguage", message: "Say which language the interpreter used."))
        }
        if let until = validUntil, until < validFrom {
            issues.append(.init(field: "validUntil",
                                message: "The consent cannot end before it starts."))
        }
        if let withdrawn = withdrawnOn, withdrawn < validFrom {
            issues.append(.init(field: "withdrawnOn",
                                message: "Consent cannot be withdrawn (\(withdrawn)) before it was given (\(validFrom))."))
        }
        return issues
    }

    public func isActive(on date: CalendarDate) -> Bool {
        if date < validFrom { return false }
        if let until = validUntil, date > until { return false }
        if let withdrawn = withdrawnOn, date >= withdrawn { return false }
        return true
    }

    /// Whether this consent lets `category` go to `agency` for `purpose` on `date`.
    public func permits(_ category: ConsentDataCategory, for purpose: ConsentPurpose, to agency: String,
                        on date: CalendarDate) -> Bool {
        isActive(on: date) && categories.contains(category) && purposes.contains(purpose) && agencies.contains(agency)
    }

    /// Records withdrawal. Withdrawing twice keeps the first date, since shares stopped then.
    public mutating func withdraw(on date: CalendarDate) throws(ValidationFailure) {
        if withdrawnOn != nil { return }
        guard date >= validFrom else {
            throw ValidationFailure([.init(field: "withdrawnOn",
                                           message: "Consent cannot be withdrawn (\(date)) before it was given (\(validFrom)).")])
        }
        withdrawnOn = date
    }
}

extension Collection where Element == ConsentRecord {
    /// Any consent in force permits the share: consents add up, none overrides another.
    public func permit(_ category: ConsentDataCategory, for purpose: ConsentPurpose, to agency: String,
                       on date: CalendarDate) -> Bool {
        contains { $0.permits(category, for: purpose, to: agency, on: date) }
    }
}

/// Which way a potential victim is reported to the Home Office.
public enum NRMRoute: String, Codable, CaseIterable, Sendable {
    /// Children and possible children: always referred, consent not needed.
    case nrmReferralWithoutConsent = "nrm_referral_without_consent"
    /// An adult who consents.
    case nrmReferralWithConsent = "nrm_referral_with_consent"
    /// An adult who does not consent: anonymous Duty to Notify by a specified public authority.
    case dutyToNotify = "duty_to_notify"
    /// Age not yet considered: decide whether they may be under 18 before choosing a route.
    case establishAgeFirst = "establish_age_first"

    public var explanation: String {
        switch self {
        case .nrmReferralWithoutConsent:
            "A child, or someone who may be under 18, must be referred into the NRM. Their consent is not needed."
        case .nrmReferralWithConsent:
            "The adult has agreed, so refer them into the NRM."
        case .dutyToNotify:
            "The adult has not agreed to an NRM referral, so make an anonymous Duty to Notify report instead. It must not identify them."
        case .establishAgeFirst:
            "Decide first whether the person may be under 18. If they may be, treat them as a child."
        }
    }

    /// The rule from the NRM statutory guidance and MSA 2015 s.52.
    public static func route(for age: AgeGroup, adultConsents: Bool) -> NRMRoute {
        switch age {
        case .child, .possibleChild: .nrmReferralWithoutConsent
        case .adult: adultConsents ? .nrmReferralWithConsent : .dutyToNotify
        case .unknown: .establishAgeFirst
        }
    }
}
