import Foundation

/// The kinds of information an information-sharing agreement may cover: a fixed list, so a
/// share can be checked against the agreements in force.
public enum SharedDataCategory: String, CaseIterable, Codable, Sendable {
    case reportDetails = "report_details"
    case victimPersonalDetails = "victim_personal_details"
    case reporterDetails = "reporter_details"
    case suspectPersonalDetails = "suspect_personal_details"
    case caseDetails = "case_details"
    case immigrationStatus = "immigration_status"
    case specialCategoryHealth = "special_category_health"
    case specialCategoryOther = "special_category_other"
    case criminalOffence = "criminal_offence"
    case intelligence

    public var label: String {
        switch self {
        case .reportDetails: "Report details (what happened, where, indicators)"
        case .victimPersonalDetails: "Personal details of potential victims and survivors"
        case .reporterDetails: "Reporters' contact details"
        case .suspectPersonalDetails: "Personal details of suspected exploiters"
        case .caseDetails: "Case details (account, needs, care plan, NRM)"
        case .immigrationStatus: "Immigration status"
        case .specialCategoryHealth: "Special-category data: health"
        case .specialCategoryOther: "Special-category data: racial or ethnic origin, religion, sex life or sexual orientation"
        case .criminalOffence: "Criminal offence data"
        case .intelligence: "Intelligence"
        }
    }

    /// UK GDPR Article 9 data: sharing it needs an Article 9(2) condition as well as a lawful basis.
    public var isSpecialCategory: Bool { self == .specialCategoryHealth || self == .specialCategoryOther }
}

/// The lawful basis for processing, UK GDPR Article 6(1)(a)–(f).
public enum LawfulBasis: String, CaseIterable, Codable, Sendable {
    case a, b, c, d, e, f

    public var label: String {
        switch self {
        case .a: "6(1)(a) Consent"
        case .b: "6(1)(b) Contract"
        case .c: "6(1)(c) Legal obligation"
        case .d: "6(1)(d) Vital interests"
        case .e: "6(1)(e) Public task"
        case .f: "6(1)(f) Legitimate interests"
        }
    }
}

/// The condition for processing special-category data, UK GDPR Article 9(2)(a)–(j).
public enum SpecialCategoryCondition: String, CaseIterable, Codable, Sendable {
    case a, b, c, d, e, f, g, h, i, j

    public var label: String {
        switch self {
        case .a: "9(2)(a) Explicit consent"
        case .b: "9(2)(b) Employment, social security and social protection"
        case .c: "9(2)(c) Vital interests"
        case .d: "9(2)(d) Not-for-profit bodies"
        case .e: "9(2)(e) Made public by the data subject"
        case .f: "9(2)(f) Legal claims or judicial acts"
        case .g: "9(2)(g) Reasons of substantial public interest"
        case .h: "9(2)(h) Health or social care"
        case .i: "9(2)(i) Public health"
        case .j: "9(2)(j) Archiving, research and statistics"
        }
    }
}

/// How personal data went from one agency to another, for the count of shares no agreement
/// covered.
public enum ShareKind: String, CaseIterable, Codable, Sendable {
    /// A report referred to another agency.
    case referral
    /// An intelligence item shared with a partner the originator approved.
    case intelligence
    /// A survivor's consent to share their case with an agency.
    case consent

    public var label: String {
        switch self {
        case .referral: "Referrals"
        case .intelligence: "Intelligence items shared"
        case .consent: "Case shares by consent"
        }
    }
}

/// Where an agreement stands on a day. Only an agreement in force (signed, and its review date
/// not passed) covers a share.
public enum AgreementState: String, CaseIterable, Sendable, Equatable {
    case inForce = "in_force"
    /// In force, with its review date within `AgreementTerms.reviewWarningDays`.
    case dueForReview = "due_for_review"
    /// Its review date passed without a review: no longer in force.
    case expired
    /// Signed with a date still to come.
    case notYetInForce = "not_yet_in_force"

    public var label: String {
        switch self {
        case .inForce: "In force"
        case .dueForReview: "Due for review"
        case .expired: "Expired: review date passed"
        case .notYetInForce: "Not yet in force"
        }
    }

    /// Shown as a flag on the list and the agreement's page.
    public var isFlagged: Bool { self != .inForce }
    public var covers: Bool { self == .inForce || self == .dueForReview }
}

/// The terms of one information-sharing agreement that matter to its rules: who, what, on
/// which basis, and when. Pure, so the checks are the same for a form, the API and the demo.
public struct AgreementTerms: Sendable, Equatable {
    public var parties: Set<UUID>
    public var categories: Set<SharedDataCategory>
    public var lawfulBasis: LawfulBasis
    public var specialCondition: SpecialCategoryCondition?
    public var signedOn: CalendarDate
    public var reviewOn: CalendarDate

    /// How close the review date is when the agreement is flagged as due for review.
    public static let reviewWarningDays = 30

    public init(parties: Set<UUID>, categories: Set<SharedDataCategory>, lawfulBasis: LawfulBasis, specialCondition: SpecialCategoryCondition?,
                signedOn: CalendarDate, reviewOn: CalendarDate) {
        self.parties = parties
        self.categories = categories
        self.lawfulBasis = lawfulBasis
        self.specialCondition = specialCondition
        self.signedOn = signedOn
        self.reviewOn = reviewOn
    }

    public var includesSpecialCategory: Bool { categories.contains(where: \.isSpecialCategory) }

    /// What is wrong with the terms: at least two parties, at least one category, an Article 9
    /// condition when special-category data is shared, a review date after the signed date.
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if parties.count < 2 { issues.append(.init(field: "parties", message: "Choose at least two member agencies as parties.")) }
        if categories.isEmpty { issues.append(.init(field: "categories", message: "Choose the kinds of information the agreement covers.")) }
        if includesSpecialCategory, specialCondition == nil {
            issues.append(.init(field: "specialCondition",
                                message: "Choose the Article 9 condition: the agreement covers special-category data."))
        }
        if reviewOn <= signedOn {
            issues.append(.init(field: "reviewOn", message: "The review date must be after the date it was signed."))
        }
        return issues
    }

    public func state(on day: CalendarDate) -> AgreementState {
        if day < signedOn { return .notYetInForce }
        if reviewOn < day { return .expired }
        if day.adding(days: Self.reviewWarningDays) >= reviewOn { return .dueForReview }
        return .inForce
    }

    /// Whether this agreement covers `category` going from one party to another on `day`.
    public func covers(from: UUID, to: UUID, category: SharedDataCategory, on day: CalendarDate) -> Bool {
        state(on: day).covers && parties.contains(from) && parties.contains(to) && categories.contains(category)
    }
}

/// The categories of a share that no agreement in `agreements` covers on `day` (empty when all are).
public func agreementCoverage(from: UUID, to: UUID, categories: Set<SharedDataCategory>, on day: CalendarDate,
                              agreements: [AgreementTerms]) -> Set<SharedDataCategory> {
    categories.filter { category in !agreements.contains { $0.covers(from: from, to: to, category: category, on: day) } }
}
