import CairnCore
import Foundation
import Hummingbird

/// The case team's pages for consent, the care plan, NRM and Duty to Notify, outcomes and
/// warnings; the agency task inbox; and the partnership's case figures.
struct CaseSupportController {
    let services: AppServices
    let views: Views
    var support: CaseSupportService { services.support }
    var cases: CaseService { services.cases }

    struct Tab: Sendable {
        let href: String
        let label: String
        let current: Bool
    }

    /// What every case sub-page shows at the top.
    struct Header: Sendable {
        let id: String
        let code: String
        let chosenName: String
        let interpreter: String
        let tabs: [Tab]
    }

    /// The case's sections, in the order of its tabs.
    enum Section: CaseIterable {
        case summary, consent, carePlan, nrm, contacts, outcomes
        /// The survivor's own view of the case (`Survivor/`): offering it, their messages and ratings.
        case survivorView

        var label: String {
            switch self {
            case .summary: "Summary"
            case .consent: "Consent"
            case .carePlan: "Needs and care plan"
            case .nrm: "NRM and Duty to Notify"
            case .contacts: "Contacts"
            case .outcomes: "Outcomes"
            case .survivorView: "Survivor's own view"
            }
        }

        func path(_ id: UUID) -> String {
            switch self {
            case .summary: CaseRoute.show(.value(id)).path
            case .consent: CaseSupportRoute.consent(.value(id)).path
            case .carePlan: CaseSupportRoute.carePlan(.value(id)).path
            case .nrm: CaseSupportRoute.nrm(.value(id)).path
            case .contacts: CaseSupportRoute.contacts(.value(id)).path
            case .outcomes: CaseSupportRoute.outcomes(.value(id)).path
            case .survivorView: SurvivorRoute.team(.value(id)).path
            }
        }
    }

    static func header(_ c: AuthorisedCase, current: Section) -> Header {
        let record = c.record
        let tabs = Section.allCases.map { Tab(href: $0.path(c.id), label: $0.label, current: $0 == current) }
        return Header(id: c.id.uuidString, code: record.code, chosenName: record.chosenName, interpreter: record.contactLanguage, tabs: tabs)
    }

    // MARK: Routes

    /// The case a sub-page shows, for its team, audited as a view of the case.
    func viewedCase(_ context: CairnRequestContext, _ identity: Identity, section: String) async throws -> AuthorisedCase {
        try await cases.view(try context.id(.caseId, "case"), identity: identity, address: context.clientAddress, via: "web \(section)")
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        addContactRoutes(to: router, table: table)
        addConsentRoutes(to: router, table: table)
        addCarePlanRoutes(to: router, table: table)
        addNRMRoutes(to: router, table: table)
        addOutcomeRoutes(to: router, table: table)
        addFigureRoutes(to: router, table: table)
        addTaskRoutes(to: router, table: table)
    }
}
