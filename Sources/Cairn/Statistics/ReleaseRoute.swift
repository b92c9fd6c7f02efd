import CairnCore
import Foundation
import HTTPTypes

/// Statistical releases' pages under `/statistics`: the list, a new release, one release with
/// its tables and check, computing it, approving and withdrawing (each asking first), and the
/// published release's CSV and JSON.
enum ReleaseRoute: PageRoute {
    case list
    case new
    case create
    case show(Param<UUID>)
    /// Compute and check it (suppression) or price it (noise), and propose it.
    case propose(Param<UUID>)
    case confirmApprove(Param<UUID>)
    case approve(Param<UUID>)
    case confirmWithdraw(Param<UUID>)
    case withdraw(Param<UUID>)
    /// A published release's tables as CSV, and exactly as signed as JSON: open to everyone.
    case csv(Param<UUID>)
    case json(Param<UUID>)

    static let endpoints: [ReleaseRoute] = [
        .list, .new, .create, .show(.key), .propose(.key), .confirmApprove(.key), .approve(.key), .confirmWithdraw(.key), .withdraw(.key),
        .csv(.key), .json(.key),
    ]
    static let navigation = [NavEntry(94, "Statistics", ReleaseRoute.list)]

    var method: HTTPRequest.Method {
        switch self {
        case .create, .propose, .approve, .withdraw: .post
        case .list, .new, .show, .confirmApprove, .confirmWithdraw, .csv, .json: .get
        }
    }

    var path: String {
        switch self {
        case .list, .create: "/statistics"
        case .new: "/statistics/new"
        case .show(let id): "/statistics/\(id.segment(.releaseId))"
        case .propose(let id): "/statistics/\(id.segment(.releaseId))/propose"
        case .confirmApprove(let id), .approve(let id): "/statistics/\(id.segment(.releaseId))/approve"
        case .confirmWithdraw(let id), .withdraw(let id): "/statistics/\(id.segment(.releaseId))/withdraw"
        case .csv(let id): "/statistics/\(id.segment(.releaseId))/release.csv"
        case .json(let id): "/statistics/\(id.segment(.releaseId))/release.json"
        }
    }

    var permission: Permission {
        switch self {
        case .list, .show: .viewPartnership
        case .new, .create, .propose, .confirmWithdraw, .withdraw: .manageReleases
        case .confirmApprove, .approve: .approveReleases
        case .csv, .json: .everyone
        }
    }
}

/// A new release (`statistics/form`).
struct ReleaseForm: FormInput {
    static let lists: Set<String> = ["tables"]
    var period: String?
    var method: String?
    var tables: [String]?
    var threshold: String?
    var roundingBase: String?
    var parameter: String?
    var revises: String?
    var revisionNote: String?

    var input: ReleaseService.Input {
        ReleaseService.Input(period: period ?? "", method: method ?? "", tables: tables ?? [], threshold: threshold ?? "",
                             roundingBase: roundingBase ?? "", parameter: parameter ?? "", revises: revises ?? "", revisionNote: revisionNote ?? "")
    }
}
