import FluentKit

/// Every migration, in the order they run. Append only: a released migration is never edited,
/// renamed or moved in this list (Fluent records each by `name` in `_fluent_migrations`;
/// `MigrationTests` holds the released names). Each lives in its own file in its capability's
/// `Migrations` folder and names tables by string, never through a live model.
enum CairnMigrations {
    static let all: [any Migration] = [
        CreateAgencies(),
        CreateUsers(),
        CreateSessions(),
        CreateAPITokens(),
        CreateRoleSecurityPolicies(),
        CreateAuditLog(),
        AddAgencyServices(),
        CreateReports(),
        CreateIndicatorItems(),
        CreateCases(),
        CreateCaseSupport(),
        CreateIntelligence(),
        CreateCaseContacts(),
        CreateLinkKeys(),
        CreateLinkNetworks(),
        AddIntelligencePartnerTitle(),
        CreateLinkCoordination(),
        CreateRateLimits(),
        SetTriageDeadlines(),
        CreateRecoveryCodes(),
        CreatePartnershipPlan(),
        CreatePartnershipGovernance(),
        CreateSharingAgreements(),
        CreateSelfAssessment(),
        AddReportRetention(),
        AddCaseRetention(),
        CreateAuditAnchor(),
        CreateRetention(),
        CreatePlanIndicators(),
        CreateBoardReports(),
        CreateIndicatorFigures(),
        AddPlanActionRound(),
        CreateInsightTallies(),
        AddAnonymisedSharing(),
        AddLinkReceipt(),
        AddReportChangeIndexes(),
        CreateResources(),
    ]
}
