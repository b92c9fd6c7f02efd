import CairnCore
import HTTPTypes

/// The exports page and its downloads. Reports' own CSV stays at `ReportRoute.export`.
enum ExportRoute: PageRoute {
    /// What the person may download: the HTCDS form (period and format), and links to the CSVs.
    case page
    /// Referrals as CSV (`exportReports`).
    case referrals
    /// Case aggregates as CSV: counts only, small numbers suppressed (`viewCaseStatistics`).
    case caseAggregates
    /// The HTCDS v2.0 export of consenting cases for a period (`?from=&to=&format=csv|json`).
    case htcds

    static let endpoints: [ExportRoute] = [.page, .referrals, .caseAggregates, .htcds]
    static let navigation = [NavEntry(135, "Exports", ExportRoute.page)]

    var method: HTTPRequest.Method { .get }

    var path: String {
        switch self {
        case .page: "/exports"
        case .referrals: "/exports/referrals.csv"
        case .caseAggregates: "/exports/case-aggregates.csv"
        case .htcds: "/exports/htcds"
        }
    }

    var permission: Permission {
        switch self {
        case .page, .htcds: .exportStatistics
        case .referrals: .exportReports
        case .caseAggregates: .viewCaseStatistics
        }
    }
}
