/// The kind of organisation a partner agency is. Stored as its raw value.
public enum AgencyType: String, Codable, CaseIterable, Sendable {
    case police
    case localAuthority = "local_authority"
    case health
    case dwpJobcentre = "dwp_jobcentre"
    case labourInspectorate = "labour_inspectorate"
    case immigration
    case ngo
    case business
    case other

    /// Plain text for screens and exports.
    public var label: String {
        switch self {
        case .police: "Police"
        case .localAuthority: "Local authority"
        case .health: "Health"
        case .dwpJobcentre: "DWP / Jobcentre Plus"
        case .labourInspectorate: "Labour inspectorate"
        case .immigration: "Immigration"
        case .ngo: "Charity or NGO"
        case .business: "Business"
        case .other: "Other"
        }
    }

    /// The HTCDS v2.0 `org_Type` this agency is exported as.
    public var htcdsOrganisationType: HTCDSOrganisationType {
        switch self {
        case .police: .lawEnforcement
        case .localAuthority: .localGovernmentOrganisation
        case .health: .healthServiceOrganisation
        // DWP and the labour inspectorates (GLAA, EAS, HMRC NMW) are central government bodies.
        case .dwpJobcentre, .labourInspectorate: .centralGovernmentOrganisation
        case .immigration: .immigrationService
        case .ngo: .ngo
        case .business: .corporateBusiness
        // HTCDS has no "other"; NGO is the closest catch-all for community groups.
        case .other: .ngo
        }
    }
}

/// HTCDS v2.0 organisation types (`org_Type`), raw values as spelled in the standard.
public enum HTCDSOrganisationType: String, Codable, CaseIterable, Sendable {
    case ngo = "NGO"
    case lawEnforcement = "LawEnforcement"
    case healthServiceOrganisation = "HealthServiceOrganisation"
    case centralGovernmentOrganisation = "CentralGovernmentOrganisation"
    case localGovernmentOrganisation = "LocalGovernmentOrganisation"
    case immigrationService = "ImmigrationService"
    case legalService = "LegalService"
    case corporateBusiness = "CorporateBusiness"
    case schoolOrCollege = "SchoolOrCollege"
}
