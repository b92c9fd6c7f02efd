import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// The practitioners' side of reports: inboxes, recording a report, triage, the workflow,
/// referrals, outcomes and the CSV export.
struct ReportController {
    let services: AppServices
    let views: Views
    /// What the report page shows about the report's links (another capability's panel).
    let linkPanel: ReportLinkPanel
    var reports: ReportService { services.reports }

    // MARK: Routes

    /// In this order: the list and its export, recording a report, one report, its workflow
    /// (actions, close, triage) and referrals. Each group is in its own file beside this one.
    func addRoutes(to router: AppRouter, table: RouteTable) {
        addListRoutes(to: router, table: table)
        addNewReportRoutes(to: router, table: table)
        addShowRoutes(to: router, table: table)
        addWorkflowRoutes(to: router, table: table)
        addReferralRoutes(to: router, table: table)
    }

    // MARK: Shared by the pages

    /// "6 December 2026 at 12:33am" (`Format`).
    static func time(_ date: Date) -> String { Format.dateTime(date) }

    static func today() -> String { CalendarDate(Date(), in: TimeZone.london).description }

    static func typesText(_ r: Report) -> String { Report.typesText(r.types, countyLines: r.countyLines) }
}
