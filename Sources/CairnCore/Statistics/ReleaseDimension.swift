/// What a statistical release counts: people referred (an NRM referral or a Duty to Notify
/// notification made from a case), or reports of concern received. A table counts one of them.
public enum ReleasePopulation: String, CaseIterable, Codable, Sendable {
    case referrals
    case reports

    public var label: String {
        switch self {
        case .referrals: "People referred (NRM referrals and Duty to Notify notifications)"
        case .reports: "Reports of concern received"
        }
    }

    /// The dimensions this population can be counted by.
    public var dimensions: [ReleaseDimension] {
        switch self {
        case .referrals: [.exploitationType, .ageGroup, .gender, .nationalityGroup, .referralRoute, .outcome, .area]
        case .reports: [.exploitationType, .reporterType, .area]
        }
    }
}

/// The fixed list of breakdowns a release table may use: the national NRM statistics' own
/// breakdowns where they exist, so that a partnership's figures reconcile with the national ones.
/// Every category list is fixed in advance (areas come from the partnership's configured list):
/// a list drawn from the data would itself reveal that someone is in a category.
public enum ReleaseDimension: String, CaseIterable, Codable, Sendable {
    case exploitationType = "exploitation_type"
    case ageGroup = "age_group"
    case gender
    case nationalityGroup = "nationality_group"
    case referralRoute = "referral_route"
    case outcome
    case area
    case reporterType = "reporter_type"

    public var label: String {
        switch self {
        case .exploitationType: "Exploitation type"
        case .ageGroup: "Age group"
        case .gender: "Gender"
        case .nationalityGroup: "Nationality group"
        case .referralRoute: "Referral route"
        case .outcome: "Outcome"
        case .area: "Area"
        case .reporterType: "Reporter type"
        }
    }

    /// The categories, in the order tables show them. `areas` are the partnership's postcode
    /// districts plus "Outside the area or not known".
    /// The words for one of its category keys ("labour" → "Labour"); an unknown key as it is.
    public func label(of key: String, areas: [String]) -> String {
        categories(areas: areas).first { $0.key == key }?.label ?? key
    }

    public func categories(areas: [String]) -> [ReleaseCategory] {
        switch self {
        case .exploitationType: ReleaseCategory.list(ExploitationCategory.allCases)
        case .ageGroup: ReleaseCategory.list(AgeCategory.allCases)
        case .gender: ReleaseCategory.list(GenderCategory.allCases)
        case .nationalityGroup: ReleaseCategory.list(NationalityGroup.allCases)
        case .referralRoute: ReleaseCategory.list(ReferralRoute.allCases)
        case .outcome: ReleaseCategory.list(ReferralOutcome.allCases)
        case .reporterType: ReporterType.allCases.map { ReleaseCategory(key: $0.rawValue, label: $0.label) }
        case .area: areas.map { ReleaseCategory(key: $0, label: $0) } + [ReleaseCategory(key: Self.otherArea, label: "Outside the area or not known")]
        }
    }

    public static let otherArea = "other"
}

/// One category of a dimension: a stable key (what releases and the national instance use)
/// and its label.
public struct ReleaseCategory: Hashable, Codable, Sendable {
    public let key: String
    public let label: String

    public init(key: String, label: String) {
        self.key = key
        self.label = label
    }

    static func list<C: ReleaseCategoryKind>(_ cases: [C]) -> [ReleaseCategory] {
        cases.map { ReleaseCategory(key: $0.rawValue, label: $0.label) }
    }
}

protocol ReleaseCategoryKind: RawRepresentable where RawValue == String {
    var label: String { get }
}

/// Exploitation type as the national statistics count it: one category per person, so a
/// person with several types is counted once, under "Multiple types".
public enum ExploitationCategory: String, CaseIterable, Sendable, ReleaseCategoryKind {
    case labour, sexual, criminal
    case domesticServitude = "domestic_servitude"
    case organHarvesting = "organ_harvesting"
    case multiple
    case notKnown = "not_known"

    public var label: String {
        switch self {
        case .labour: "Labour"
        case .sexual: "Sexual"
        case .criminal: "Criminal"
        case .domesticServitude: "Domestic servitude"
        case .organHarvesting: "Organ harvesting"
        case .multiple: "Multiple types"
        case .notKnown: "Not specified or unknown"
        }
    }

    public static func of(_ types: Set<ExploitationType>) -> ExploitationCategory {
        let known = types.subtracting([.notKnown])
        guard let only = known.first else { return .notKnown }
        if known.count > 1 { return .multiple }
        switch only {
        case .labour: return .labour
        case .sexual: return .sexual
        case .criminal: return .criminal
        case .domesticServitude: return .domesticServitude
        case .organHarvesting: return .organHarvesting
        case .notKnown: return .notKnown
        }
    }
}

/// Adult or child at the time of exploitation; a possible child counts as a child (the
/// presumption in MSA 2015 s.51), as the national statistics do.
public enum AgeCategory: String, CaseIterable, Sendable, ReleaseCategoryKind {
    case adult, child
    case notKnown = "not_known"

    public var label: String {
        switch self {
        case .adult: "Adult"
        case .child: "Child"
        case .notKnown: "Not known"
        }
    }

    public static func of(_ group: AgeGroup) -> AgeCategory {
        switch group {
        case .adult: .adult
        case .child, .possibleChild: .child
        case .unknown: .notKnown
        }
    }
}

public enum GenderCategory: String, CaseIterable, Sendable, ReleaseCategoryKind {
    case female, male, other
    case notKnown = "not_known"

    public var label: String {
        switch self {
        case .female: "Female"
        case .male: "Male"
        case .other: "Other"
        case .notKnown: "Not known"
        }
    }

    public static func of(_ gender: NotifiedGender?) -> GenderCategory {
        switch gender {
        case .female: .female
        case .male: .male
        case .other: .other
        case .unknown, nil: .notKnown
        }
    }
}

/// How the person came to be counted: the first responder's kind for an NRM referral (the
/// national statistics' four), or a Duty to Notify for an adult who did not consent.
public enum ReferralRoute: String, CaseIterable, Sendable, ReleaseCategoryKind {
    case police
    case localAuthority = "local_authority"
    case governmentAgency = "government_agency"
    case ngo
    /// A first responder the partnership's directory does not know.
    case otherFirstResponder = "nrm_other"
    case dutyToNotify = "duty_to_notify"

    public var label: String {
        switch self {
        case .police: "NRM: police"
        case .localAuthority: "NRM: local authority"
        case .governmentAgency: "NRM: government agency"
        case .ngo: "NRM: charity or NGO"
        case .otherFirstResponder: "NRM: other first responder"
        case .dutyToNotify: "Duty to Notify (no NRM consent)"
        }
    }

    /// The NRM route for a first responder of this kind (only police, local authorities,
    /// government agencies and some charities are first responders).
    public static func nrm(_ agency: AgencyType) -> ReferralRoute {
        switch agency {
        case .police: .police
        case .localAuthority: .localAuthority
        case .ngo: .ngo
        case .health, .dwpJobcentre, .labourInspectorate, .immigration, .business, .other: .governmentAgency
        }
    }
}

/// Where a referral stood at the end of the release's period.
public enum ReferralOutcome: String, CaseIterable, Sendable, ReleaseCategoryKind {
    case awaitingReasonableGrounds = "awaiting_rg"
    case negativeReasonableGrounds = "negative_rg"
    case awaitingConclusiveGrounds = "awaiting_cg"
    case positiveConclusiveGrounds = "positive_cg"
    case negativeConclusiveGrounds = "negative_cg"
    case notInNRM = "not_in_nrm"

    public var label: String {
        switch self {
        case .awaitingReasonableGrounds: "Awaiting reasonable-grounds decision"
        case .negativeReasonableGrounds: "Negative reasonable grounds"
        case .awaitingConclusiveGrounds: "Positive reasonable grounds, awaiting conclusive grounds"
        case .positiveConclusiveGrounds: "Positive conclusive grounds"
        case .negativeConclusiveGrounds: "Negative conclusive grounds"
        case .notInNRM: "Not in the NRM (Duty to Notify)"
        }
    }

    /// The outcome as it stood on `day`: decisions dated after it are not yet known.
    public static func of(reasonableGrounds: NRMDecisionRecord?, conclusiveGrounds: NRMDecisionRecord?, on day: CalendarDate) -> ReferralOutcome {
        if let cg = conclusiveGrounds, cg.date <= day { return cg.decision == .positive ? .positiveConclusiveGrounds : .negativeConclusiveGrounds }
        guard let rg = reasonableGrounds, rg.date <= day else { return .awaitingReasonableGrounds }
        return rg.decision == .positive ? .awaitingConclusiveGrounds : .negativeReasonableGrounds
    }
}
