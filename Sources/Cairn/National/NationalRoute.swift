import CairnCore
import Foundation
import HTTPTypes

/// A national instance's pages (`cairn serve --national`): the national tables and dashboard,
/// the registered partnerships, and each release accepted from them. Nothing else is served
/// there, and none of these is served by a partnership's own instance.
enum NationalRoute: PageRoute {
    /// `/`: the national tables.
    case home
    case dashboard
    /// The chosen table as CSV.
    case csv
    case partnerships
    case newPartnership
    case register
    case partnership(Param<String>)
    case release(Param<UUID>)

    static let endpoints: [NationalRoute] = [.home, .dashboard, .csv, .partnerships, .newPartnership, .register, .partnership(.key), .release(.key)]
    static let navigation = [NavEntry(10, "National picture", NationalRoute.dashboard), NavEntry(20, "Partnerships", NationalRoute.partnerships)]

    var method: HTTPRequest.Method {
        switch self {
        case .register: .post
        default: .get
        }
    }

    var path: String {
        switch self {
        case .home: "/"
        case .dashboard: "/national"
        case .csv: "/national/table.csv"
        case .partnerships, .register: "/national/partnerships"
        case .newPartnership: "/national/partnerships/new"
        case .partnership(let id): "/national/partnerships/\(id.segment(.partnershipId))"
        case .release(let id): "/national/releases/\(id.segment(.nationalReleaseId))"
        }
    }

    var permission: Permission {
        switch self {
        case .home: .everyone
        case .dashboard, .csv, .partnerships, .partnership, .release: .viewNational
        case .newPartnership, .register: .manageNational
        }
    }
}

/// Registering a partnership (`national/partnership-form`).
struct NationalPartnershipForm: FormInput {
    static let lists: Set<String> = []
    var id: String?
    var name: String?
    var region: String?
    var publicKey: String?

    var input: NationalService.Registration {
        .init(id: id ?? "", name: name ?? "", region: region ?? "", publicKey: publicKey ?? "")
    }
}
