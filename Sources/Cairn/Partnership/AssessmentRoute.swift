import CairnCore
import Foundation
import HTTPTypes

/// The self-assessment's pages and forms: the rounds, opening one, a round's progress and heat
/// map, the caller's agency's rating form, one agency's ratings with their evidence, and
/// closing a round.
enum AssessmentRoute: PageRoute {
    /// Every round (and the link to it).
    case list
    /// The form to open a round.
    case new
    /// Open a round.
    case create
    /// A round: progress, heat map, medians and the change since the previous round.
    case round(Param<UUID>)
    /// The caller's agency's ratings in a round, as a form.
    case rate(Param<UUID>)
    /// Save the caller's agency's ratings.
    case saveRatings(Param<UUID>)
    /// One agency's ratings in a round, with their evidence.
    case agency(Param<UUID>, agency: Param<UUID>)
    /// The page that asks to confirm closing a round.
    case confirmClose(Param<UUID>)
    /// Close a round.
    case close(Param<UUID>)

    static let endpoints: [AssessmentRoute] = [
        .list, .new, .create, .round(.key), .rate(.key), .saveRatings(.key), .agency(.key, agency: .key), .confirmClose(.key), .close(.key),
    ]
    static let navigation = [NavEntry(88, "Self-assessment", AssessmentRoute.list)]

    var method: HTTPRequest.Method {
        switch self {
        case .create, .saveRatings, .close: .post
        case .list, .new, .round, .rate, .agency, .confirmClose: .get
        }
    }

    var path: String {
        switch self {
        case .list, .create: "/partnership/assessments"
        case .new: "/partnership/assessments/new"
        case .round(let id): "/partnership/assessments/\(id.segment(.roundId))"
        case .rate(let id), .saveRatings(let id): "/partnership/assessments/\(id.segment(.roundId))/ratings"
        case .agency(let id, let agency): "/partnership/assessments/\(id.segment(.roundId))/agencies/\(agency.segment(.agencyId))"
        case .confirmClose(let id), .close(let id): "/partnership/assessments/\(id.segment(.roundId))/close"
        }
    }

    var permission: Permission {
        switch self {
        case .list, .round, .agency: .viewPartnership
        case .new, .create, .confirmClose, .close: .editPartnership
        case .rate, .saveRatings: .rateSelfAssessment
        }
    }
}
