import Testing
@testable import CairnCore

@Suite struct IntelligenceGradingTests {
    @Test func readsAndWritesTheUsualForm() throws {
        let grading = try IntelligenceGrading(parsing: "1ap")
        #expect(grading.description == "1 A P")
        #expect(grading.meaning == "Reliable source; known directly to the source; lawful sharing permitted.")
        #expect(try IntelligenceGrading(parsing: "2 B C", conditions: "Police and children’s services only").handling == .c)
        #expect(throws: ValidationFailure.self) { try IntelligenceGrading(parsing: "4AP") }
        #expect(throws: ValidationFailure.self) { try IntelligenceGrading(parsing: "1FP") }
    }

    @Test func codeCNeedsConditions() {
        #expect(throws: ValidationFailure.self) { try IntelligenceGrading(source: .untested, assessment: .c, handling: .c) }
        #expect(throws: ValidationFailure.self) { try IntelligenceGrading(source: .untested, assessment: .c, handling: .c, conditions: "   ") }
    }

    @Test func officialMeanings() {
        #expect(SourceEvaluation.allCases.map(\.meaning) == ["Reliable", "Untested", "Not reliable"])
        #expect(IntelligenceAssessment.e.meaning == "Suspected to be false or malicious")
        #expect(LegacySourceEvaluation.e.meaning == "Untested source")
        #expect(LegacyHandlingCode.four.meaning.contains("originating agency"))
        #expect(LegacyGrading(source: .b, intelligence: .two, handling: .four).description == "B24")
    }

    func request(_ grading: IntelligenceGrading?, legacy: LegacyGrading? = nil, sanitised: Bool = true,
                 to agency: AgencyType = .ngo, agreement: Bool = true, approved: Bool = false) -> PartnerSharingRequest {
        PartnerSharingRequest(grading: grading, legacyGrading: legacy, hasSanitisedVersion: sanitised, recipientAgencyType: agency,
                              recipientHasSharingAgreement: agreement, originatorApprovedRecipient: approved)
    }

    @Test func partnersSeeSanitisedItemsWithinTheHandlingCode() throws {
        let p = try IntelligenceGrading(parsing: "1AP")
        let c = try IntelligenceGrading(parsing: "2BC", conditions: "Not to be shared with the landlord")
        #expect(PartnerSharingRule.decide(request(p)).allowed)
        #expect(!PartnerSharingRule.decide(request(p, sanitised: false)).allowed)
        #expect(!PartnerSharingRule.decide(request(p, agreement: false)).allowed)
        #expect(!PartnerSharingRule.decide(request(c)).allowed)
        let conditional = PartnerSharingRule.decide(request(c, approved: true))
        #expect(conditional.allowed && conditional.conditions == "Not to be shared with the landlord")
        #expect(!PartnerSharingRule.decide(request(nil)).allowed)
    }

    @Test func legacyHandlingCodes() {
        func legacy(_ code: LegacyHandlingCode) -> LegacyGrading { LegacyGrading(source: .b, intelligence: .two, handling: code) }
        #expect(PartnerSharingRule.decide(request(nil, legacy: legacy(.one), to: .police)).allowed)
        #expect(!PartnerSharingRule.decide(request(nil, legacy: legacy(.one), to: .ngo)).allowed)
        #expect(PartnerSharingRule.decide(request(nil, legacy: legacy(.two), to: .ngo)).allowed)
        #expect(!PartnerSharingRule.decide(request(nil, legacy: legacy(.three), to: .police)).allowed)
        #expect(!PartnerSharingRule.decide(request(nil, legacy: legacy(.four), to: .police)).allowed)
        #expect(!PartnerSharingRule.decide(request(nil, legacy: legacy(.five), to: .police)).allowed)
    }
}

extension IntelligenceGradingTests {
    /// An item regraded 3x5x2 keeps its imported 5x5x5 handling: the stricter of the two wins.
    @Test func theStricterOfTwoHandlingCodesWins() throws {
        func legacy(_ code: LegacyHandlingCode) -> LegacyGrading { LegacyGrading(source: .b, intelligence: .two, handling: code) }
        let p = try IntelligenceGrading(parsing: "1AP")
        let c = try IntelligenceGrading(parsing: "2BC", conditions: "Police only")
        // A legacy "do not share" (4 and 5: originating agency only) is not overridden by P.
        for code in [LegacyHandlingCode.four, .five] {
            let refused = PartnerSharingRule.decide(request(p, legacy: legacy(code), to: .police))
            #expect(!refused.allowed)
            #expect(refused.reason.contains("Legacy handling code \(code.rawValue)"))
            #expect(refused.reason.contains("stricter"))
        }
        // Legacy 1 limits P to law enforcement; 3 refuses every UK partner.
        #expect(!PartnerSharingRule.decide(request(p, legacy: legacy(.one), to: .ngo)).allowed)
        #expect(PartnerSharingRule.decide(request(p, legacy: legacy(.one), to: .police)).allowed)
        #expect(!PartnerSharingRule.decide(request(p, legacy: legacy(.three), to: .police)).allowed)
        // A stricter 3x5x2 is not loosened by a lenient legacy code either.
        #expect(!PartnerSharingRule.decide(request(c, legacy: legacy(.two), to: .ngo)).allowed)
        let both = PartnerSharingRule.decide(request(c, legacy: legacy(.two), to: .ngo, approved: true))
        #expect(both.allowed && both.conditions == "Police only")
        #expect(PartnerSharingRule.decide(request(p, legacy: legacy(.two), to: .ngo)).allowed)
        // Everything else still refuses first.
        #expect(!PartnerSharingRule.decide(request(p, legacy: legacy(.two), sanitised: false)).allowed)
    }
}

@Suite struct AgencyTypeTests {
    @Test func rawValuesAreTheStoredOnes() {
        #expect(AgencyType.allCases.map(\.rawValue) == ["police", "local_authority", "health", "dwp_jobcentre",
                                                         "labour_inspectorate", "immigration", "ngo", "business", "other"])
        #expect(AgencyType.allCases.allSatisfy { !$0.label.isEmpty })
    }

    @Test func mapsToHTCDSOrganisationTypes() {
        #expect(AgencyType.police.htcdsOrganisationType.rawValue == "LawEnforcement")
        #expect(AgencyType.localAuthority.htcdsOrganisationType == .localGovernmentOrganisation)
        #expect(AgencyType.dwpJobcentre.htcdsOrganisationType == .centralGovernmentOrganisation)
        #expect(AgencyType.immigration.htcdsOrganisationType == .immigrationService)
        #expect(AgencyType.business.htcdsOrganisationType == .corporateBusiness)
        #expect(HTCDSOrganisationType.allCases.count == 9)
    }
}
