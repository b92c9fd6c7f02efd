/// The partner service a report is routed to; each belongs to one type of agency.
public enum PartnerService: String, Codable, CaseIterable, Sendable {
    case childrensServices = "childrens_services"
    case adultSafeguarding = "adult_safeguarding"
    case housing
    case police
    case labourInspectorate = "labour_inspectorate"
    case immigration
    case health
    case dwpJobcentre = "dwp_jobcentre"
    case supportCharity = "support_charity"

    public var label: String {
        switch self {
        case .childrensServices: "Children’s services"
        case .adultSafeguarding: "Adult safeguarding"
        case .housing: "Housing"
        case .police: "Police"
        case .labourInspectorate: "Labour inspectorate"
        case .immigration: "Immigration"
        case .health: "Health"
        case .dwpJobcentre: "DWP / Jobcentre Plus"
        case .supportCharity: "Support charity"
        }
    }

    public var agencyType: AgencyType {
        switch self {
        case .childrensServices, .adultSafeguarding, .housing: .localAuthority
        case .police: .police
        case .labourInspectorate: .labourInspectorate
        case .immigration: .immigration
        case .health: .health
        case .dwpJobcentre: .dwpJobcentre
        case .supportCharity: .ngo
        }
    }
}

/// What a routing rule looks for. Every condition given must hold; a nil condition is not checked.
public struct RoutingConditions: Hashable, Sendable, Codable {
    /// True: only reports involving a child or possible child.
    public var child: Bool?
    /// True: only emergencies.
    public var emergency: Bool?
    /// Any of these types.
    public var exploitationTypes: Set<ExploitationType>?
    /// Any of these sectors.
    public var labourSectors: Set<LabourSector>?
    public var cuckooing: Bool?
    public var countyLines: Bool?
    /// Any of these area codes.
    public var areas: Set<String>?

    public init(child: Bool? = nil, emergency: Bool? = nil, exploitationTypes: Set<ExploitationType>? = nil,
                labourSectors: Set<LabourSector>? = nil, cuckooing: Bool? = nil, countyLines: Bool? = nil,
                areas: Set<String>? = nil) {
        self.child = child
        self.emergency = emergency
        self.exploitationTypes = exploitationTypes
        self.labourSectors = labourSectors
        self.cuckooing = cuckooing
        self.countyLines = countyLines
        self.areas = areas
    }

    public func match(_ answers: TriageAnswers, urgency: Urgency) -> Bool {
        if let child, answers.ageGroup.isTreatedAsChild != child { return false }
        if let emergency, (urgency == .emergency) != emergency { return false }
        if let types = exploitationTypes, types.isDisjoint(with: answers.exploitation.types) { return false }
        if let sectors = labourSectors {
            guard let sector = answers.labourSector, sectors.contains(sector) else { return false }
        }
        if let cuckooing, answers.cuckooing != cuckooing { return false }
        if let countyLines, answers.exploitation.countyLines != countyLines { return false }
        if let areas {
            guard let area = answers.area, areas.contains(area) else { return false }
        }
        return true
    }
}

public struct RoutingRule: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    /// Plain words for the screen, e.g. "Children go to children’s services".
    public var description: String
    public var conditions: RoutingConditions
    public var destination: PartnerService

    public init(id: String, description: String, conditions: RoutingConditions, destination: PartnerService) {
        self.id = id
        self.description = description
        self.conditions = conditions
        self.destination = destination
    }
}

public struct RoutingDecision: Hashable, Sendable, Codable {
    public let destination: PartnerService
    /// The rule that matched; nil when the default route was used.
    public let ruleID: String?
    public let explanation: String
}

/// Partnership-configurable routing: rules in order, the first match wins, else the default.
public struct RoutingPolicy: Hashable, Sendable, Codable {
    public var rules: [RoutingRule]
    public var defaultDestination: PartnerService

    public init(rules: [RoutingRule], defaultDestination: PartnerService) {
        self.rules = rules
        self.defaultDestination = defaultDestination
    }

    public func route(_ answers: TriageAnswers, urgency: Urgency) -> RoutingDecision {
        if let rule = rules.first(where: { $0.conditions.match(answers, urgency: urgency) }) {
            return RoutingDecision(destination: rule.destination, ruleID: rule.id, explanation: rule.description)
        }
        return RoutingDecision(destination: defaultDestination, ruleID: nil,
                               explanation: "No rule matched, so the report goes to the partnership’s default: \(defaultDestination.label).")
    }

    /// A starting point; each partnership edits it. Emergencies first, because a child in
    /// danger needs the police now and children's services next.
    public static let standard = RoutingPolicy(
        rules: [
            RoutingRule(id: "emergency-to-police", description: "Emergencies go to the police.",
                        conditions: .init(emergency: true), destination: .police),
            RoutingRule(id: "child-to-childrens-services", description: "Reports about a child go to children’s services.",
                        conditions: .init(child: true), destination: .childrensServices),
            RoutingRule(id: "cuckooing-to-housing", description: "Cuckooing goes to housing.",
                        conditions: .init(cuckooing: true), destination: .housing),
            RoutingRule(id: "county-lines-to-police", description: "County lines goes to the police.",
                        conditions: .init(countyLines: true), destination: .police),
            RoutingRule(id: "labour-to-labour-inspectorate",
                        description: "Labour exploitation in a named sector goes to the labour inspectorate.",
                        conditions: .init(exploitationTypes: [.labour],
                                          labourSectors: Set(LabourSector.allCases).subtracting([.other, .domesticWork])),
                        destination: .labourInspectorate),
        ],
        defaultDestination: .police)
}
