import CairnCore
import HTTPTypes

/// The retention schedule's pages (administrators): the schedule with what is due, each kind's
/// period and reason with the records it would remove now, and running it now.
enum RetentionRoute: PageRoute {
    /// Every kind: its period, reason, who set it, how many records are due; the latest runs.
    case schedule
    /// A kind's period and reason (the form) and the records due now, a page at a time.
    case kind(Param<String>)
    /// Saves a kind's period and reason.
    case saveKind(Param<String>)
    /// What a run would remove now, asking to confirm it.
    case confirmRun
    /// Runs the schedule now.
    case run

    static let endpoints: [RetentionRoute] = [.schedule, .kind(.key), .saveKind(.key), .confirmRun, .run]
    static let navigation = [NavEntry(145, "Retention", RetentionRoute.schedule)]

    var method: HTTPRequest.Method {
        switch self {
        case .schedule, .kind, .confirmRun: .get
        case .saveKind, .run: .post
        }
    }

    var path: String {
        switch self {
        case .schedule: "/admin/retention"
        case .kind(let kind), .saveKind(let kind): "/admin/retention/schedule/\(kind.segment(.retentionKind))"
        case .confirmRun, .run: "/admin/retention/run"
        }
    }

    var permission: Permission { .manageRetention }
}
