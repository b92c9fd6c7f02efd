/// The published checklists Cairn ships.
public enum IndicatorList: String, Codable, CaseIterable, Sendable {
    /// ILO indicators of forced labour (2012).
    case iloForcedLabour = "ilo"
    /// General UK indicators as used by partnerships, the Home Office and The Salvation Army.
    case ukGeneral = "uk"
    /// County lines and child criminal exploitation (Home Office and police guidance).
    case countyLines = "county-lines"
    /// A vulnerable person's home taken over for crime.
    case cuckooing

    public var label: String {
        switch self {
        case .iloForcedLabour: "ILO indicators of forced labour"
        case .ukGeneral: "General signs of modern slavery"
        case .countyLines: "County lines and child criminal exploitation"
        case .cuckooing: "Cuckooing"
        }
    }
}

/// What part of a person's situation an indicator speaks to. Triage counts how many
/// dimensions are present, because signs across several dimensions point to exploitation
/// more strongly than many signs in one (the ILO/EC Delphi indicators work the same way).
public enum IndicatorDimension: String, Codable, CaseIterable, Sendable {
    /// How they came to be here: deceit, false promises, vulnerability taken advantage of.
    case recruitment
    /// Someone else holds their documents, money, phone or story.
    case control
    /// Violence, threats, intimidation or debt used to keep them there.
    case coercion
    /// Where and how they live.
    case livingConditions = "living_conditions"
    /// Hours, pay and treatment at work.
    case workConditions = "work_conditions"
    /// Restricted freedom, being moved around, travel at odd times or to odd places.
    case movement
    /// How they look and behave: injuries, fear, trauma, sudden change.
    case presentation
    /// Signs of being used for crime: drugs, weapons, cash, several phones.
    case criminalActivity = "criminal_activity"

    public var label: String {
        switch self {
        case .recruitment: "Recruitment"
        case .control: "Control"
        case .coercion: "Coercion"
        case .livingConditions: "Living conditions"
        case .workConditions: "Work conditions"
        case .movement: "Movement"
        case .presentation: "Appearance and behaviour"
        case .criminalActivity: "Criminal activity"
        }
    }
}

/// How the person recording an indicator came to know it.
public enum IndicatorKnowledge: String, Codable, CaseIterable, Sendable {
    /// Seen by the person recording it.
    case observed
    /// Told to them by the person of concern.
    case disclosed
}

/// One item of a checklist. Items are never edited in place: a reworded item gets a new
/// `version` so reports keep the wording they were recorded against.
public struct Indicator: Hashable, Sendable, Codable, Identifiable {
    /// Stable across versions, e.g. `ilo.abuse-of-vulnerability`.
    public let id: String
    public let list: IndicatorList
    public let dimension: IndicatorDimension
    public let text: String
    public let version: Int
    /// Retired items are no longer offered but still explain the reports that used them.
    public let retired: Bool

    public init(id: String, list: IndicatorList, dimension: IndicatorDimension, text: String, version: Int = 1,
                retired: Bool = false) {
        self.id = id
        self.list = list
        self.dimension = dimension
        self.text = text
        self.version = version
        self.retired = retired
    }

    /// The HTCDS `vic_MethodsOfControl` value this indicator is evidence of, for export.
    public var htcdsMethodOfControl: HTCDSMethodOfControl? { HTCDSMethodOfControl.byIndicator[id] }
}

/// An indicator ticked on a report, with how it was known.
public struct IndicatorObservation: Hashable, Sendable, Codable {
    public var indicatorID: String
    public var knowledge: IndicatorKnowledge

    public init(_ indicatorID: String, _ knowledge: IndicatorKnowledge) {
        self.indicatorID = indicatorID
        self.knowledge = knowledge
    }
}

public struct IndicatorCatalogue: Hashable, Sendable, Codable {
    public let version: Int
    public let items: [Indicator]

    public init(version: Int, items: [Indicator]) {
        self.version = version
        self.items = items
    }

    public func indicator(id: String) -> Indicator? { items.first { $0.id == id } }

    public func items(in list: IndicatorList) -> [Indicator] { items.filter { $0.list == list } }

    /// What a checklist offers today: the list's items that are not retired.
    public func checklist(_ list: IndicatorList) -> [Indicator] { items(in: list).filter { !$0.retired } }

    /// The dimensions covered by the observations; unknown ids are ignored so a retired item
    /// on an old report cannot break triage.
    public func dimensions(of observations: [IndicatorObservation]) -> Set<IndicatorDimension> {
        Set(observations.compactMap { indicator(id: $0.indicatorID)?.dimension })
    }

    public func containsAny(of list: IndicatorList, in observations: [IndicatorObservation]) -> Bool {
        observations.contains { indicator(id: $0.indicatorID)?.list == list }
    }

    /// Where each of the shipped items stands in `standard` (lists and forms show them so).
    public static let standardOrder = Dictionary(standard.items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })

    /// The catalogue Cairn ships; administrators build later versions from it.
    public static let standard = IndicatorCatalogue(
        version: 1,
        items: iloForcedLabour + ukGeneral + countyLines + cuckooing)

    private static func items(_ list: IndicatorList, _ rows: [(String, IndicatorDimension, String)]) -> [Indicator] {
        rows.map { Indicator(id: "\(list.rawValue).\($0.0)", list: list, dimension: $0.1, text: $0.2) }
    }

    static let iloForcedLabour = items(.iloForcedLabour, [
        ("abuse-of-vulnerability", .recruitment, "Abuse of vulnerability: someone takes advantage of their lack of language, money, legal status or other options"),
        ("deception", .recruitment, "Deception: promises about the work, pay or conditions that were not kept"),
        ("restriction-of-movement", .movement, "Restriction of movement: not free to come and go, locked in or watched"),
        ("isolation", .control, "Isolation: cut off from family, friends or the local community"),
        ("physical-and-sexual-violence", .coercion, "Physical or sexual violence"),
        ("intimidation-and-threats", .coercion, "Intimidation and threats, including threats to family or of being reported to the authorities"),
        ("retention-of-identity-documents", .control, "Passport or identity documents kept by someone else"),
        ("withholding-of-wages", .workConditions, "Wages withheld, delayed or taken"),
        ("debt-bondage", .coercion, "Debt bondage: working to pay off a debt that never seems to shrink"),
        ("abusive-working-and-living-conditions", .livingConditions, "Abusive working or living conditions: degrading, dangerous or unhealthy"),
        ("excessive-overtime", .workConditions, "Excessive overtime: very long hours or days without rest"),
    ])

    static let ukGeneral = items(.ukGeneral, [
        ("unkempt-appearance", .presentation, "Looks unkempt, malnourished or wears the same clothes every day"),
        ("injuries", .presentation, "Injuries that look like assault or that have not been treated"),
        ("fearful-of-authorities", .presentation, "Frightened of the police or other authorities"),
        ("fearful-of-employer", .coercion, "Frightened of their employer or of the person they live with"),
        ("signs-of-trauma", .presentation, "Signs of psychological trauma: anxious, withdrawn, confused about time or place"),
        ("bad-job-belief", .recruitment, "Does not see themselves as exploited, only in a bad job"),
        ("isolated", .control, "Isolated: little contact with others, does not know the local area"),
        ("someone-speaks-for-them", .control, "Someone else speaks for them or answers questions put to them"),
        ("poor-living-conditions", .livingConditions, "Poor or overcrowded accommodation, or living at the workplace"),
        ("many-at-one-address", .livingConditions, "Many people living at one address or sleeping in shifts"),
        ("few-possessions", .livingConditions, "Few personal possessions"),
        ("restricted-freedom", .movement, "Limited freedom of movement; always accompanied"),
        ("unusual-travel-times", .movement, "Collected and dropped off at unusual times, often in groups"),
        ("moved-frequently", .movement, "Moved often between addresses or areas, as if to avoid detection"),
        ("reluctant-to-seek-help", .presentation, "Reluctant to seek help or to talk to strangers"),
        ("in-debt", .coercion, "In debt to someone, for travel, housing or a job"),
        ("no-documents", .control, "No identity documents, or documents that look false"),
        ("no-control-of-money", .control, "Little or no money of their own; someone else controls their bank account or pay"),
        ("no-medical-care", .control, "Little or no access to medical care"),
        ("long-hours-little-pay", .workConditions, "Works long hours for little or no pay"),
        ("no-safety-equipment", .workConditions, "No suitable clothing or safety equipment for the work"),
    ])

    static let countyLines = items(.countyLines, [
        ("going-missing", .movement, "Repeatedly goes missing from school, home or care"),
        ("found-out-of-area", .movement, "Found in places with no obvious connection to them, such as seaside or market towns"),
        ("unexplained-whereabouts", .movement, "Unwilling or unable to explain where they have been"),
        ("unusual-travel", .movement, "Train or bus tickets, or travel at unusual hours"),
        ("unexplained-money-or-goods", .criminalActivity, "Unexplained money, clothes, jewellery or phones"),
        ("many-calls-or-texts", .control, "Receives an excessive number of calls or texts"),
        ("multiple-phones", .criminalActivity, "More than one phone or SIM card"),
        ("behaviour-change", .presentation, "Withdrawn, or a sudden change in behaviour or language"),
        ("controlling-relationships", .control, "Relationships with controlling or older people"),
        ("unexplained-injuries", .presentation, "Unexplained injuries"),
        ("carrying-weapons", .criminalActivity, "Carries a weapon"),
        ("school-decline", .presentation, "A marked decline in school performance or attendance"),
        ("isolated-from-peers", .control, "Cut off from friends of their own age"),
        ("gang-interest", .recruitment, "Interest in gang culture"),
        ("self-harm", .presentation, "Self-harm or a marked change in mental health"),
        ("hotel-keys", .livingConditions, "Hotel key cards or keys to unknown premises"),
        ("vehicles-with-unknown-adults", .movement, "Seen getting into or out of vehicles with unknown adults"),
        ("talks-of-debt", .coercion, "Talks of owing a debt"),
        ("missing-bank-card", .control, "Bank card missing or used by someone else"),
        ("found-with-drugs", .criminalActivity, "Found with drugs, including drugs hidden inside the body"),
        ("arrested-out-of-area", .criminalActivity, "Arrested away from home"),
        ("nicknames", .control, "Known by a nickname or street name"),
    ])

    static let cuckooing = items(.cuckooing, [
        ("home-taken-over", .control, "A vulnerable person’s home seems to have been taken over by others"),
        ("resident-scared", .coercion, "The resident seems scared, coerced or not in charge of their own home"),
        ("many-visitors", .livingConditions, "A high number of visitors, at all hours, staying only a short time"),
        ("drug-paraphernalia", .criminalActivity, "Drug paraphernalia such as deal bags or scales"),
        ("cash-and-phones", .criminalActivity, "Large amounts of cash or several phones in the home"),
        ("new-unknown-residents", .livingConditions, "New people living at or using the address whom neighbours do not know"),
    ])
}

/// HTCDS v2.0 `vic_MethodsOfControl` values, spelled as in the standard.
public enum HTCDSMethodOfControl: String, Codable, CaseIterable, Sendable {
    case physicalThreats = "PhysicalThreats"
    case threatsLawEnforcement = "ThreatsLawEnforcement"
    case threatensChildrenFamily = "ThreatensChildrenFamily"
    case debtBondage = "DebtBondage"
    case falsePromises = "FalsePromises"
    case physicalAbuse = "PhysicalAbuse"
    case sexualAbuse = "SexualAbuse"
    case takesEarnings = "TakesEarnings"
    case restrictsFinancialAccess = "RestrictsFinancialAccess"
    case restrictsMedicalCare = "RestrictsMedicalCare"
    case withholdsNecessities = "WithholdsNecessities"
    case psychologicalAbuse = "PsychologicalAbuse"
    case psychoactiveSubstance = "PsychoactiveSubstance"
    case excessiveWorkingHours = "ExcessiveWorkingHours"
    case withholdsDocuments = "WithholdsDocuments"
    case other = "Other"

    /// Only clear correspondences; other indicators are not methods of control.
    static let byIndicator: [String: HTCDSMethodOfControl] = [
        "ilo.deception": .falsePromises,
        "ilo.physical-and-sexual-violence": .physicalAbuse,
        "ilo.intimidation-and-threats": .physicalThreats,
        "ilo.retention-of-identity-documents": .withholdsDocuments,
        "ilo.withholding-of-wages": .takesEarnings,
        "ilo.debt-bondage": .debtBondage,
        "ilo.excessive-overtime": .excessiveWorkingHours,
        "uk.fearful-of-employer": .psychologicalAbuse,
        "uk.in-debt": .debtBondage,
        "uk.no-documents": .withholdsDocuments,
        "uk.no-control-of-money": .restrictsFinancialAccess,
        "uk.no-medical-care": .restrictsMedicalCare,
        "uk.long-hours-little-pay": .excessiveWorkingHours,
        "county-lines.talks-of-debt": .debtBondage,
        "cuckooing.resident-scared": .psychologicalAbuse,
    ]
}
