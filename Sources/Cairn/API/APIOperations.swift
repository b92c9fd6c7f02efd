import CairnCore
import HTTPTypes
import Hummingbird

/// Each operation of `openapi.yaml` and the permission it needs. The API handlers check
/// these, the route table records them, and a test proves the spec and this list agree.
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

    public var permission: Permission {
        switch self {
        case .createPublicReport, .getPublicReportStatus: .everyone
        case .listReports, .getReport, .transitionReport, .recordReportOutcome: .viewReports
        case .createReport: .createReport
        case .listCases, .createCase, .getCase, .listCaseConsents, .recordCaseConsent, .withdrawCaseConsent, .listCaseNeeds, .assessCaseNeed,
             .listCaseTasks, .createCaseTask, .getCaseNRM, .saveCaseNRM, .listCaseOutcomeReviews, .recordCaseOutcomeReview, .recordCaseWarning,
             .listCaseContacts, .recordCaseContact, .updateCaseContact: .workCases
        case .listAgencyTasks, .updateTask: .workCareTasks
        case .listReportLinks, .getLink, .decideLink, .getNetwork, .listIntelligenceAlerts, .createIntelligenceItem: .analyseIntelligence
        case .getHotspots: .viewHotspots
        case .listIntelligenceItems, .getIntelligenceItem: .viewSharedIntelligence
        case .getCurrentUser, .getMyWork, .listAgencies, .getAgency: .signedIn
        case .createAgency, .updateAgency: .manageAgencies
        case .listUsers, .createUser, .getUser, .updateUser: .manageUsers
        }
    }

    public var method: HTTPRequest.Method {
        switch self {
        case .getCurrentUser, .getMyWork, .listAgencies, .getAgency, .listUsers, .getUser, .getPublicReportStatus, .listReports, .getReport, .listCases, .getCase,
             .listCaseConsents, .listCaseNeeds, .listCaseTasks, .listAgencyTasks, .getCaseNRM, .listCaseOutcomeReviews,
             .listCaseContacts, .listReportLinks, .getLink, .getNetwork, .listIntelligenceAlerts, .getHotspots, .listIntelligenceItems, .getIntelligenceItem: .get
        case .createAgency, .createUser, .createPublicReport, .createReport, .transitionReport, .recordReportOutcome, .createCase,
             .recordCaseConsent, .withdrawCaseConsent, .createCaseTask, .recordCaseOutcomeReview, .recordCaseWarning,
             .decideLink, .createIntelligenceItem, .recordCaseContact: .post
        case .assessCaseNeed, .saveCaseNRM: .put
        case .updateAgency, .updateUser, .updateTask, .updateCaseContact: .patch
        }
    }

    /// The path as Hummingbird reports a matched route (`context.endpointPath`): `{name}` captures.
    var endpointPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    /// The path in Hummingbird's pattern form.
    public var path: String {
        switch self {
        case .getCurrentUser: "/api/v1/me"
        case .getMyWork: "/api/v1/me/work"
        case .listAgencies, .createAgency: "/api/v1/agencies"
        case .getAgency, .updateAgency: "/api/v1/agencies/:agencyId"
        case .listUsers, .createUser: "/api/v1/users"
        case .getUser, .updateUser: "/api/v1/users/:userId"
        case .createPublicReport: "/api/v1/public/reports"
        case .getPublicReportStatus: "/api/v1/public/reports/:reference"
        case .listReports, .createReport: "/api/v1/reports"
        case .getReport: "/api/v1/reports/:reportId"
        case .transitionReport: "/api/v1/reports/:reportId/transitions"
        case .recordReportOutcome: "/api/v1/reports/:reportId/outcome"
        case .listCases, .createCase: "/api/v1/cases"
        case .getCase: "/api/v1/cases/:caseId"
        case .listCaseConsents, .recordCaseConsent: "/api/v1/cases/:caseId/consents"
        case .withdrawCaseConsent: "/api/v1/cases/:caseId/consents/:consentId/withdrawal"
        case .listCaseNeeds: "/api/v1/cases/:caseId/needs"
        case .assessCaseNeed: "/api/v1/cases/:caseId/needs/:domain"
        case .listCaseTasks, .createCaseTask: "/api/v1/cases/:caseId/tasks"
        case .listAgencyTasks: "/api/v1/tasks"
        case .updateTask: "/api/v1/tasks/:taskId"
        case .getCaseNRM, .saveCaseNRM: "/api/v1/cases/:caseId/nrm"
        case .listCaseOutcomeReviews, .recordCaseOutcomeReview: "/api/v1/cases/:caseId/outcomes"
        case .recordCaseWarning: "/api/v1/cases/:caseId/warnings"
        case .listCaseContacts, .recordCaseContact: "/api/v1/cases/:caseId/contacts"
        case .updateCaseContact: "/api/v1/cases/:caseId/contacts/:contactId"
        case .listReportLinks: "/api/v1/reports/:reportId/links"
        case .getLink: "/api/v1/links/:linkId"
        case .decideLink: "/api/v1/links/:linkId/decisions"
        case .getNetwork: "/api/v1/networks/:networkId"
        case .listIntelligenceAlerts: "/api/v1/intelligence/alerts"
        case .getHotspots: "/api/v1/hotspots"
        case .listIntelligenceItems, .createIntelligenceItem: "/api/v1/intelligence/items"
        case .getIntelligenceItem: "/api/v1/intelligence/items/:itemId"
        }
    }
}

/// Gives the generated API handlers the request context: swift-openapi-hummingbird passes
/// them only the HTTP request, so the context travels in a task-local value.
enum APIRequest {
    static let unauthenticated = AppError(.unauthorized, title: "Sign-in required", "Send an API token as \"Authorization: Bearer <token>\". Create one with `cairn token create --user EMAIL`.")
    @TaskLocal static var context: CairnRequestContext?

    /// The context of an operation open to everyone (signed in or not).
    static func open(_ operation: APIOperation) throws -> CairnRequestContext {
        precondition(operation.permission == .everyone, "\(operation) needs authorisation")
        guard let context else { throw AppError(.internalServerError, "API context missing") }
        return context
    }

    /// The caller's identity, after checking the operation's permission.
    static func authorize(_ operation: APIOperation) throws -> (Identity, CairnRequestContext) {
        guard let context else { throw AppError(.internalServerError, "API context missing") }
        precondition(operation.permission != .everyone, "use APIRequest.open for \(operation)")
        guard let identity = context.identity else {
            throw APIRequest.unauthenticated
        }
        guard identity.can(operation.permission) else { throw AppError.forbidden }
        return (identity, context)
    }
}

struct APIContextMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard FrontMiddleware.isAPI(request.uri.path) else { return try await next(request, context) }
        // Authorise before the generated code reads the body, so a caller without the right
        // learns nothing about what a valid body would be.
        if let operation = APIOperation.allCases.first(where: { $0.method == request.method && $0.endpointPath == context.endpointPath }),
           operation.permission != .everyone {
            guard let identity = context.identity else {
                throw APIRequest.unauthenticated
            }
            guard identity.can(operation.permission) else { throw AppError.forbidden }
        }
        return try await APIRequest.$context.withValue(context) { try await next(request, context) }
    }
}
