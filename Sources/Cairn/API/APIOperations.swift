import CairnCore
import HTTPTypes

/// Each operation of `openapi.yaml` (the case is its `operationId`), with its method, path and
/// the permission it needs in one table (`route`). `APIAuthorization` checks the permission
/// before the generated code reads the request, the route table records every row, and the
/// server refuses to start, and `AccessTests` fails, if the table and the spec disagree.
public enum APIOperation: String, CaseIterable, Sendable {
    case getCurrentUser, getMyWork, listAgencies, createAgency, getAgency, updateAgency, listUsers, createUser, getUser, updateUser
    case createPublicReport, getPublicReportStatus
    case listReports, createReport, getReport, transitionReport, recordReportOutcome
    case listCases, createCase, getCase
    case listCaseConsents, recordCaseConsent, withdrawCaseConsent, listCaseNeeds, assessCaseNeed, listCaseTasks, createCaseTask
    case listAgencyTasks, updateTask, getCaseNRM, saveCaseNRM, listCaseOutcomeReviews, recordCaseOutcomeReview, recordCaseWarning
    case listCaseContacts, recordCaseContact, updateCaseContact
    case listReportLinks, getLink, decideLink, getNetwork, listIntelligenceAlerts, getHotspots
    case listIntelligenceItems, createIntelligenceItem, getIntelligenceItem
    case listPlanGoals, createPlanGoal, listPlanActions, createPlanAction, getPlanAction, recordPlanActionUpdate
    case listIndicators, getIndicator, enterIndicatorValue
    case listAssessmentRounds, createAssessmentRound, getAssessmentRound, saveAssessmentRatings, closeAssessmentRound
    case listPartnershipMembers, listPartnershipMeetings, recordPartnershipMeeting, getPartnershipMeeting
    case listSharingAgreements, createSharingAgreement, getSharingAgreement, getUncoveredShares
    case exportHTCDS
    case insightReportCounts
    case getTrainingTotals
    case listCampaigns
    case listResources, createResource, getResourceFile
    case addResourceVersion
    case listReleases, getReleaseKey, getRelease
    case receiveNationalRelease, listNationalPartnerships, registerNationalPartnership, getNationalTable
    case createSurvivorView, activateSurvivorView, createSurvivorToken, listSurvivorConsents, withdrawSurvivorConsent, getSurvivorAccessLog

    /// An operation's method, its path in Hummingbird's pattern form, and who may call it.
    public struct Route: Sendable, Equatable {
        public let method: HTTPRequest.Method
        public let path: String
        public let permission: Permission
        init(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission) {
            self.method = method
            self.path = path
            self.permission = permission
        }
    }

    /// The table: one row an operation, and a new operation does not compile without its row.
    public var route: Route {
        switch self {
case .getCurrentUser: Route(.get, "/api/v1/me", .signedIn)
        case .getMyWork: Route(.get, "/api/v1/me/work", .signedIn)
        case .listAgencies: Route(.get, "/api/v1/agencies", .signedIn)
        case .createAgency: Route(.post, "/api/v1/agencies", .manageAgencies)
        case .getAgency: Route(.get, "/api/v1/agencies/:agencyId", .signedIn)
        case .updateAgency: Route(.patch, "/api/v1/agencies/:agencyId", .manageAgencies)
        case .listUsers: Route(.get, "/api/v1/users", .manageUsers)
        case .createUser: Route(.post, "/api/v1/users", .manageUsers)
        case .getUser: Route(.get, "/api/v1/users/:userId", .manageUsers)
        case .updateUser: Route(.patch, "/api/v1/users/:userId", .manageUsers)
        case .createPublicReport: Route(.post, "/api/v1/public/reports", .everyone)
        case .getPublicReportStatus: Route(.get, "/api/v1/public/reports/:reference", .everyone)
        case .listReports: Route(.get, "/api/v1/reports", .viewReports)
        case .createReport: Route(.post, "/api/v1/reports", .createReport)
        case .getReport: Route(.get, "/api/v1/reports/:reportId", .viewReports)
        case .transitionReport: Route(.post, "/api/v1/reports/:reportId/transitions", .viewReports)
        case .recordReportOutcome: Route(.post, "/api/v1/reports/:reportId/outcome", .viewReports)
        case .listCases: Route(.get, "/api/v1/cases", .workCases)
        case .createCase: Route(.post, "/api/v1/cases", .workCases)
        case .getCase: Route(.get, "/api/v1/cases/:caseId", .workCases)
        case .listCaseConsents: Route(.get, "/api/v1/cases/:caseId/consents", .workCases)
        case .recordCaseConsent: Route(.post, "/api/v1/cases/:caseId/consents", .workCases)
        case .withdrawCaseConsent: Route(.post, "/api/v1/cases/:caseId/consents/:consentId/withdrawal", .workCases)
        case .listCaseNeeds: Route(.get, "/api/v1/cases/:caseId/needs", .workCases)
        case .assessCaseNeed: Route(.put, "/api/v1/cases/:caseId/needs/:domain", .workCases)
        case .listCaseTasks: Route(.get, "/api/v1/cases/:caseId/tasks", .workCases)
        case .createCaseTask: Route(.post, "/api/v1/cases/:caseId/tasks", .workCases)
        case .listAgencyTasks: Route(.get, "/api/v1/tasks", .workCareTasks)
        case .updateTask: Route(.patch, "/api/v1/tasks/:taskId", .workCareTasks)
        case .getCaseNRM: Route(.get, "/api/v1/cases/:caseId/nrm", .workCases)
        case .saveCaseNRM: Route(.put, "/api/v1/cases/:caseId/nrm", .workCases)
        case .listCaseOutcomeReviews: Route(.get, "/api/v1/cases/:caseId/outcomes", .workCases)
        case .recordCaseOutcomeReview: Route(.post, "/api/v1/cases/:caseId/outcomes", .workCases)
        case .recordCaseWarning: Route(.post, "/api/v1/cases/:caseId/warnings", .workCases)
        case .listCaseContacts: Route(.get, "/api/v1/cases/:caseId/contacts", .workCases)
        case .recordCaseContact: Route(.post, "/api/v1/cases/:caseId/contacts", .workCases)
        case .updateCaseContact: Route(.patch, "/api/v1/cases/:caseId/contacts/:contactId", .workCases)
        case .listReportLinks: Route(.get, "/api/v1/reports/:reportId/links", .analyseIntelligence)
        case .getLink: Route(.get, "/api/v1/links/:linkId", .analyseIntelligence)
        case .decideLink: Route(.post, "/api/v1/links/:linkId/decisions", .analyseIntelligence)
        case .getNetwork: Route(.get, "/api/v1/networks/:networkId", .analyseIntelligence)
        case .listIntelligenceAlerts: Route(.get, "/api/v1/intelligence/alerts", .analyseIntelligence)
        case .getHotspots: Route(.get, "/api/v1/hotspots", .viewHotspots)
        case .listIntelligenceItems: Route(.get, "/api/v1/intelligence/items", .viewSharedIntelligence)
        case .createIntelligenceItem: Route(.post, "/api/v1/intelligence/items", .analyseIntelligence)
        case .getIntelligenceItem: Route(.get, "/api/v1/intelligence/items/:itemId", .viewSharedIntelligence)
        case .insightReportCounts: Route(.get, "/api/v1/insight/reports", .viewInsight)
        case .getTrainingTotals: Route(.get, "/api/v1/training/totals", .viewTraining)
        case .listCampaigns: Route(.get, "/api/v1/campaigns", .viewTraining)
        case .listPlanGoals: Route(.get, "/api/v1/plan/goals", .viewPartnership)
        case .createPlanGoal: Route(.post, "/api/v1/plan/goals", .editPartnership)
        case .listPlanActions: Route(.get, "/api/v1/plan/actions", .viewPartnership)
        case .createPlanAction: Route(.post, "/api/v1/plan/actions", .editPartnership)
        case .getPlanAction: Route(.get, "/api/v1/plan/actions/:actionId", .viewPartnership)
        case .recordPlanActionUpdate: Route(.post, "/api/v1/plan/actions/:actionId/updates", .editPartnership)
        case .listIndicators: Route(.get, "/api/v1/indicators", .viewPartnership)
        case .getIndicator: Route(.get, "/api/v1/indicators/:key", .viewPartnership)
        case .enterIndicatorValue: Route(.put, "/api/v1/indicators/:key/values", .editPartnership)
        case .listAssessmentRounds: Route(.get, "/api/v1/assessments", .viewPartnership)
        case .createAssessmentRound: Route(.post, "/api/v1/assessments", .editPartnership)
        case .getAssessmentRound: Route(.get, "/api/v1/assessments/:roundId", .viewPartnership)
        case .saveAssessmentRatings: Route(.put, "/api/v1/assessments/:roundId/ratings", .rateSelfAssessment)
        case .closeAssessmentRound: Route(.post, "/api/v1/assessments/:roundId/closure", .editPartnership)
        case .listPartnershipMembers: Route(.get, "/api/v1/partnership/members", .viewPartnership)
        case .listPartnershipMeetings: Route(.get, "/api/v1/partnership/meetings", .viewPartnership)
        case .recordPartnershipMeeting: Route(.post, "/api/v1/partnership/meetings", .editPartnership)
        case .getPartnershipMeeting: Route(.get, "/api/v1/partnership/meetings/:meetingId", .viewPartnership)
        case .listSharingAgreements: Route(.get, "/api/v1/partnership/agreements", .viewPartnership)
        case .createSharingAgreement: Route(.post, "/api/v1/partnership/agreements", .editPartnership)
        case .getSharingAgreement: Route(.get, "/api/v1/partnership/agreements/:agreementId", .viewPartnership)
        case .getUncoveredShares: Route(.get, "/api/v1/partnership/uncovered-shares", .viewPartnership)
        case .exportHTCDS: Route(.get, "/api/v1/exports/htcds", .exportStatistics)
        case .listResources: Route(.get, "/api/v1/resources", .everyone)
        case .createResource: Route(.post, "/api/v1/resources", .manageResources)
        // Open: the service gives the public a public resource's file and 404 for anything else.
        case .getResourceFile: Route(.get, "/api/v1/resources/:resourceId/file", .everyone)
        case .addResourceVersion: Route(.post, "/api/v1/resources/:resourceId/versions", .manageResources)
        // Open: published statistics are for everyone; the service adds drafts for those who manage them.
        case .listReleases: Route(.get, "/api/v1/releases", .everyone)
        case .getReleaseKey: Route(.get, "/api/v1/releases/key", .everyone)
        case .getRelease: Route(.get, "/api/v1/releases/:releaseId", .everyone)
        // A national instance only (`isNational`). Releases are open: their signature is the credential.
        case .receiveNationalRelease: Route(.post, "/api/v1/national/releases", .everyone)
        case .listNationalPartnerships: Route(.get, "/api/v1/national/partnerships", .viewNational)
        case .registerNationalPartnership: Route(.post, "/api/v1/national/partnerships", .manageNational)
        case .getNationalTable: Route(.get, "/api/v1/national/tables", .viewNational)
        // The survivor's own view: offered by the case team; the rest only with a survivor's token.
        case .createSurvivorView: Route(.post, "/api/v1/cases/:caseId/survivor-view", .workCases)
        case .activateSurvivorView: Route(.post, "/api/v1/survivor/activate", .everyone)
        case .createSurvivorToken: Route(.post, "/api/v1/survivor/tokens", .everyone)
        case .listSurvivorConsents: Route(.get, "/api/v1/survivor/consents", .survivor)
        case .withdrawSurvivorConsent: Route(.delete, "/api/v1/survivor/consents/:agencyId", .survivor)
        case .getSurvivorAccessLog: Route(.get, "/api/v1/survivor/access-log", .survivor)
        }
    }

    public var permission: Permission { route.permission }
    /// Served by a national instance, and only there (every other operation only by a partnership's).
    public var isNational: Bool { path.hasPrefix("/api/v1/national/") }
    public var method: HTTPRequest.Method { route.method }
    public var path: String { route.path }

    /// The path as `openapi.yaml` writes it: `{name}` captures.
    var specPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }
}
