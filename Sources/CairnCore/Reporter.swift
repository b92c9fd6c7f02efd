/// Who made a report. Businesses are named separately because they see what agencies miss.
public enum ReporterType: String, Codable, CaseIterable, Sendable {
    case memberOfPublic = "member_of_public"
    case hotel
    case landlord
    case lettingAgent = "letting_agent"
    case recruitmentAgency = "recruitment_agency"
    case otherBusiness = "other_business"
    case practitioner
    /// The person affected, reporting about themselves.
    case personAffected = "person_affected"
    case other

    public var label: String {
        switch self {
        case .memberOfPublic: "Member of the public"
        case .hotel: "Hotel or other accommodation"
        case .landlord: "Landlord"
        case .lettingAgent: "Letting agent"
        case .recruitmentAgency: "Recruitment agency"
        case .otherBusiness: "Other business"
        case .practitioner: "Practitioner in a partner agency"
        case .personAffected: "The person affected"
        case .other: "Other"
        }
    }

    public var isBusiness: Bool {
        switch self {
        case .hotel, .landlord, .lettingAgent, .recruitmentAgency, .otherBusiness: true
        default: false
        }
    }
}

/// What was reported about exploitation: the types, and whether criminal exploitation is county lines.
public struct ExploitationSummary: Hashable, Sendable, Codable {
    public var types: Set<ExploitationType>
    public var countyLines: Bool

    public init(types: Set<ExploitationType>, countyLines: Bool = false) {
        self.types = types
        self.countyLines = countyLines
    }

    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if types.isEmpty {
            issues.append(.init(field: "exploitationTypes", message: "Choose at least one type of exploitation, or “not known”."))
        }
        if types.contains(.notKnown) && types.count > 1 {
            issues.append(.init(field: "exploitationTypes", message: "“Not known” cannot be chosen with other types."))
        }
        if countyLines && !types.contains(.criminal) {
            issues.append(.init(field: "countyLines", message: "County lines is a kind of criminal exploitation; choose criminal exploitation too."))
        }
        return issues
    }
}
