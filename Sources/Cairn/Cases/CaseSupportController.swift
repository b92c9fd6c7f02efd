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

    static func header(_ c: AuthorisedCase, current: String) -> Header {
        let id = c.id.uuidString, record = c.record
        let tabs = [("", "Summary"), ("/consent", "Consent"), ("/care-plan", "Needs and care plan"), ("/nrm", "NRM and Duty to Notify"),
                    ("/contacts", "Contacts"), ("/outcomes", "Outcomes")].map { Tab(href: "/cases/\(id)\($0.0)", label: $0.1, current: $0.0 == current) }
        return Header(id: id, code: record.code, chosenName: record.chosenName, interpreter: record.contactLanguage, tabs: tabs)
    }

    // MARK: Routes

    /// The case a sub-page shows, for its team, audited as a view of the case.
    func viewedCase(_ context: CairnRequestContext, section: String) async throws -> AuthorisedCase {
        let identity = try context.requireIdentity(.workCases)
        return try await cases.view(try CaseController.id(context), identity: identity, address: context.clientAddress, via: "web \(section)")
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
