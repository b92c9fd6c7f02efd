import CairnCore
import Foundation
import HTTPTypes

/// The resource hub's pages: the public list (`/resources?lang=…`) and file downloads, open to
/// everyone (the service decides what the public may have), and the staff hub under `/hub`.
enum ResourceRoute: PageRoute {
    /// The public resources in a language (`?lang=`), with English where a resource has no file in it.
    case publicList
    /// A file, by its id (never by a name the uploader chose).
    case download(Param<UUID>)
    /// The hub: every resource, filtered and paged.
    case hub
    /// The upload form.
    case new
    /// Upload a new resource with its first file (multipart).
    case create
    /// A resource: its details, its languages and their version history.
    case show(Param<UUID>)
    case edit(Param<UUID>)
    case update(Param<UUID>)
    /// The form for a new version, or a file in another language.
    case newVersion(Param<UUID>)
    /// Upload a new version (multipart).
    case addVersion(Param<UUID>)
    case confirmWithdraw(Param<UUID>)
    case withdraw(Param<UUID>)

    static let endpoints: [ResourceRoute] = [
        .publicList, .download(.key), .hub, .new, .create, .show(.key), .edit(.key), .update(.key), .newVersion(.key), .addVersion(.key),
        .confirmWithdraw(.key), .withdraw(.key),
    ]
    static let navigation = [NavEntry(93, "Resource hub", ResourceRoute.hub)]

    var method: HTTPRequest.Method {
        switch self {
        case .create, .update, .addVersion, .withdraw: .post
        case .publicList, .download, .hub, .new, .show, .edit, .newVersion, .confirmWithdraw: .get
        }
    }

    var path: String {
        switch self {
        case .publicList: "/resources"
        case .download(let id): "/resources/files/\(id.segment(.fileId))"
        case .hub, .create: "/hub"
        case .new: "/hub/new"
        case .show(let id), .update(let id): "/hub/\(id.segment(.resourceId))"
        case .edit(let id): "/hub/\(id.segment(.resourceId))/edit"
        case .newVersion(let id): "/hub/\(id.segment(.resourceId))/versions/new"
        case .addVersion(let id): "/hub/\(id.segment(.resourceId))/versions"
        case .confirmWithdraw(let id), .withdraw(let id): "/hub/\(id.segment(.resourceId))/withdraw"
        }
    }

    var permission: Permission {
        switch self {
        case .publicList, .download: .everyone
        case .hub, .show: .signedIn
        case .new, .create, .edit, .update, .newVersion, .addVersion, .confirmWithdraw, .withdraw: .manageResources
        }
    }

    /// The requests that carry a file, which may be larger than other bodies
    /// (`CAIRN_RESOURCE_MAX_MB`): the two upload forms, `POST /api/v1/resources` and
    /// `POST /api/v1/resources/{id}/versions`.
    static func isUpload(method: HTTPRequest.Method, path: String) -> Bool {
        guard method == .post else { return false }
        if path == "/hub" || path == "/api/v1/resources" { return true }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.count == 6 && segments[1] == "api" && segments[2] == "v1" && segments[3] == "resources" && segments[5] == "versions" { return true }
        return segments.count == 4 && segments[1] == "hub" && segments[3] == "versions"
    }
}
