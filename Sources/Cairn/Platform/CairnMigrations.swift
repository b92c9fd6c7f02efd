import FluentKit

/// Every migration, in the order they run. Append only: a released migration is never edited.
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
    ]
}
