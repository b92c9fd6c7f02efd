import CairnCore
import Foundation
import HTTPTypes

/// Awareness campaigns' pages and forms under `/campaigns`: the list, a campaign with its reach,
/// reports and QR codes, the forms to record and edit one, and archiving and deleting (each
/// behind a page that asks to confirm).
enum CampaignRoute: PageRoute {
    /// The list, filtered, sorted and paged.
    case list
    /// The form for a new campaign.
    case new
    /// Record a campaign.
    case create
    /// One campaign.
    case show(Param<UUID>)
    /// The form to edit a campaign.
    case edit(Param<UUID>)
    /// Save an edited campaign.
    case update(Param<UUID>)
    /// Ask before archiving.
    case confirmArchive(Param<UUID>)
    /// Archive it.
    case archive(Param<UUID>)
    /// Ask before deleting.
    case confirmDelete(Param<UUID>)
    /// Delete it.
    case delete(Param<UUID>)

    static let endpoints: [CampaignRoute] = [
        .list, .new, .create, .show(.key), .edit(.key), .update(.key), .confirmArchive(.key), .archive(.key), .confirmDelete(.key), .delete(.key),
    ]
    static let navigation = [NavEntry(91, "Campaigns", CampaignRoute.list)]

    var method: HTTPRequest.Method {
        switch self {
        case .create, .update, .archive, .delete: .post
        case .list, .new, .show, .edit, .confirmArchive, .confirmDelete: .get
        }
    }

    var path: String {
        switch self {
        case .list, .create: "/campaigns"
        case .new: "/campaigns/new"
        case .show(let id), .update(let id): "/campaigns/\(id.segment(.campaignId))"
        case .edit(let id): "/campaigns/\(id.segment(.campaignId))/edit"
        case .confirmArchive(let id), .archive(let id): "/campaigns/\(id.segment(.campaignId))/archive"
        case .confirmDelete(let id), .delete(let id): "/campaigns/\(id.segment(.campaignId))/delete"
        }
    }

    var permission: Permission {
        switch self {
        case .list, .show: .viewTraining
        case .new, .create, .edit, .update, .confirmArchive, .archive, .confirmDelete, .delete: .manageTraining
        }
    }
}
