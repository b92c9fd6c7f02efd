import CairnCore
import Foundation
import HTTPTypes

/// The practitioners' report pages: the inboxes and their export, recording a report, one
/// report, its workflow (actions, close, triage) and referrals.
enum ReportRoute: PageRoute {
    /// The inboxes (and the link to them).
    case list
    /// The inbox as CSV.
    case export
    /// The form to record a report.
    case new
    /// Record a report.
    case create
    /// One report.
    case show(Param<UUID>)
    /// Accept, reject, re-route, start, assign or re-open.
    case act(Param<UUID>)
    /// The form to close with an outcome.
    case closeForm(Param<UUID>)
    /// Close with an outcome.
    case close(Param<UUID>)
    /// The triage form.
    case triageForm(Param<UUID>)
    /// Triage by hand.
    case triage(Param<UUID>)
    /// Refer the report to another agency.
    case refer(Param<UUID>)
    /// The agency referred to replies.
    case respond(Param<UUID>)

    static let endpoints: [ReportRoute] = [.list, .export, .new, .create, .show(.key), .act(.key), .closeForm(.key), .close(.key),
                                           .triageForm(.key), .triage(.key), .refer(.key), .respond(.key)]
    static let navigation = [NavEntry(20, "Reports", ReportRoute.list)]

    var method: HTTPRequest.Method {
        switch self {
        case .list, .export, .new, .show, .closeForm, .triageForm: .get
        case .create, .act, .close, .triage, .refer, .respond: .post
        }
    }

    var path: String {
        switch self {
        case .list, .create: "/reports"
        case .export: "/reports.csv"
        case .new: "/reports/new"
        case .show(let id): "/reports/\(id.segment(.reportId))"
        case .act(let id): "/reports/\(id.segment(.reportId))/actions"
        case .closeForm(let id), .close(let id): "/reports/\(id.segment(.reportId))/close"
        case .triageForm(let id), .triage(let id): "/reports/\(id.segment(.reportId))/triage"
        case .refer(let id): "/reports/\(id.segment(.reportId))/referrals"
        case .respond(let id): "/referrals/\(id.segment(.referralId))"
        }
    }

    var permission: Permission {
        switch self {
        case .list, .show, .act, .closeForm, .close, .refer, .respond: .viewReports
        case .export: .exportReports
        case .new, .create: .createReport
        case .triageForm, .triage: .triageReports
        }
    }
}
