import CairnCore
import Foundation
import HTTPTypes

/// The partnership's member agencies, for everyone signed in.
enum AgencyDirectoryRoute: PageRoute {
    case directory
    /// One agency (and its people, for those with a need).
    case agency(Param<UUID>)

    static let endpoints: [AgencyDirectoryRoute] = [.directory, .agency(.key)]
    static let navigation = [NavEntry(95, "Agencies", AgencyDirectoryRoute.directory)]

    var method: HTTPRequest.Method { .get }

    var path: String {
        switch self {
        case .directory: "/agencies"
        case .agency(let id): "/agencies/\(id.segment(.agencyId))"
        }
    }

    var permission: Permission { .signedIn }
}
