import CairnCore
import Foundation

/// HTCDS v2.0 (IOM Human Trafficking Case Data Standard): the fields Cairn exports and imports,
/// and how Cairn's values map to the standard's picklists. Fields named `cairn_…` are Cairn's
/// own (HTCDS has no such field); every other name is the standard's, spelled correctly.
enum HTCDS {
    static let pseudonymousID = "cairn_PseudonymousId"
    static let consent = "con_Consent"
    static let traffickingStatus = "vic_TraffickingStatus"
    static let decisionMakingOrg = "vic_TraffickingStatusDecisionMakingOrg"
    static let typeOfExploitation = "vic_TypeOfExploitation"
    static let forcedLabourIndustry = "vic_ForcedLabourIndustry"
    static let caseStatus = "cas_Status"
    static let incomingReferralDate = "cas_IncomingReferralDate"
    static let reasonForCaseClosure = "cas_ReasonForCaseClosure"
    static let closedDate = "cairn_ClosedDate"
    static let ageGroup = "cairn_AgeGroup"

    /// The export's columns, in order (the CSV header and the JSON keys).
    static let columns = [pseudonymousID, consent, traffickingStatus, decisionMakingOrg, typeOfExploitation, forcedLabourIndustry,
                          caseStatus, incomingReferralDate, closedDate, reasonForCaseClosure, ageGroup]

    /// Multi-select values in one cell are separated by `;`, as the toolkit's templates do.
    static let separator = ";"

    // MARK: Picklists (as spelled in the standard)

    static let traffickingStatuses = ["PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"]
    static let decisionMakingOrgs = ["Police", "NGO", "CourtOrProsecution", "NonPoliceGovernmentalOrganization", "Other"]
    static let caseStatuses = ["Active", "FollowUp", "Closed", "ClosedReferred"]
    static let ageGroups = AgeGroup.allCases.map(ageGroupValue)
    /// ISIC v4 sections as the `vic_ForcedLabourIndustry` picklist names them (those Cairn's
    /// labour sectors use; an import accepts any section A–U written this way).
    static let isicSections: [String: String] = [
        "A": "A_AgricultureForestryAndFishing", "C": "C_Manufacturing", "F": "F_Construction",
        "G": "G_WholesaleAndRetailTradeRepairOfMotorVehiclesAndMotorcycles", "H": "H_TransportationAndStorage",
        "I": "I_AccommodationAndFoodServiceActivities", "N": "N_AdministrativeAndSupportServiceActivities",
        "Q": "Q_HumanHealthAndSocialWorkActivities", "S": "S_OtherServiceActivities",
        "T": "T_ActivitiesOfHouseholdsAsEmployers",
    ]

    // MARK: Cairn → HTCDS

    /// `vic_TraffickingStatus` from the NRM: a conclusive-grounds decision settles it; until
    /// then the person is a possible victim (as HTCDS's guidance says of unverified status).
    static func traffickingStatus(conclusiveGrounds: NRMDecision?) -> String {
        switch conclusiveGrounds {
        case .positive: "ActualVictimOfTrafficking"
        case .negative: "NotAVictimOfTrafficking"
        case nil: "PossibleVictimOfTrafficking"
        }
    }

    /// `vic_TraffickingStatusDecisionMakingOrg`: the UK competent authorities (the Home Office's
    /// SCA and IECA, and local child panels) are non-police governmental organisations.
    static func decisionMakingOrg(_ authority: CompetentAuthority) -> String {
        switch authority {
        case .singleCompetentAuthority, .immigrationEnforcement, .devolvedChildDecisionPanel: "NonPoliceGovernmentalOrganization"
        }
    }

    /// `cas_Status`, through `CaseStatus.htcdsStatus` (a case closed by transfer is `ClosedReferred`).
    static func caseStatus(_ status: CaseStatus, closureReason: ClosureReason?) -> String {
        status.htcdsStatus(closureReason: closureReason)
    }

    /// `vic_TypeOfExploitation`: criminal exploitation is `Other` (HTCDS has no such value);
    /// "not known" writes nothing.
    static func typeOfExploitation(_ type: ExploitationType) -> String? { type.htcdsTypeOfExploitation?.rawValue }

    /// `vic_ForcedLabourIndustry`: the sector's ISIC v4 section; "other" writes nothing.
    static func forcedLabourIndustry(_ sector: LabourSector) -> String? { sector.isicSection.flatMap { isicSections[$0] } }

    /// `cas_ReasonForCaseClosure` (long text in HTCDS): Cairn's fixed wording of the reason.
    static func reasonForCaseClosure(_ reason: ClosureReason) -> String { reason.label }

    /// `cairn_AgeGroup`.
    static func ageGroupValue(_ age: AgeGroup) -> String {
        switch age {
        case .adult: "Adult"
        case .child: "Child"
        case .possibleChild: "PossibleChild"
        case .unknown: "Unknown"
        }
    }

    /// One case as an HTCDS record (field name → value; empty where Cairn has nothing to say).
    static func record(_ c: PseudonymousCase, exploitation: ExploitationFacts?) -> [String: String] {
        let types = ExploitationType.allCases.filter { exploitation?.types.contains($0) ?? false }.compactMap(typeOfExploitation)
        let decided = c.nrm.map { $0.conclusiveGrounds != nil || $0.reasonableGrounds != nil } ?? false
        return [
            pseudonymousID: c.pseudonymousID,
            consent: "true",
            traffickingStatus: traffickingStatus(conclusiveGrounds: c.nrm?.conclusiveGrounds),
            decisionMakingOrg: decided ? (c.nrm?.competentAuthority.map(decisionMakingOrg) ?? "") : "",
            typeOfExploitation: types.joined(separator: separator),
            forcedLabourIndustry: exploitation?.labourSector.flatMap(forcedLabourIndustry) ?? "",
            caseStatus: caseStatus(c.status, closureReason: c.closureReason),
            incomingReferralDate: c.openedOn.description,
            closedDate: c.status == .open ? "" : (c.closedOn?.description ?? ""),
            reasonForCaseClosure: c.status == .closed ? (c.closureReason.map(reasonForCaseClosure) ?? "") : "",
            ageGroup: ageGroupValue(c.ageGroup),
        ]
    }

    // MARK: Reading a file (the import)

    /// Other names the toolkit's templates use for a field: the typo in all three v2.0 templates.
    static let aliases: [String: String] = ["vic_TraffickinStatusDecisionMakingOrg": decisionMakingOrg]

    /// Fields of the v2.0 templates the import recognises but never reads: identifying Person
    /// fields and free text stay out of a demonstration database.
    static let ignoredTemplateFields: Set<String> = [
        "cas_CaseOwner", "prs_Salutation", "prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_Gender", "prs_Citizenship", "prs_Title",
        "prs_Email", "prs_HomePhone", "prs_MobilePhone", "prs_MailingCity", "prs_MailingCountry", "prs_MailingState", "prs_MailingStreet",
        "prs_MailingPostalCode", "vic_MethodOfRecruitment", "vic_LocationOfRecruitment", "vic_MethodsOfControl", "vic_TypeOfSexExploitation",
        "vic_LocationOfExploitation", "cas_ReferringOrganisation", "cas_ReferringPrimaryCaseWorker", "cas_ReasonForIncomingReferral",
        "cas_IncomingReferralDetails", "cas_ReferredOrganisation", "cas_ReferredPrimaryCaseWorker", "cas_ReasonForOutgoingReferral",
        "cas_OutgoingReferralDate", "cas_OutgoingReferralDetails",
    ]

    /// The standard name a header cell stands for: exact, or ignoring case, or a known alias;
    /// nil for a header that is no HTCDS field.
    static func field(forHeader raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let known = columns + Array(ignoredTemplateFields) + Array(aliases.keys)
        guard let name = known.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) else { return nil }
        return aliases[name] ?? name
    }
}
