import CairnCore
import HTTPTypes

/// The public "report a concern" pages, open to everyone.
enum PublicReportRoute: PageRoute {
    /// The form.
    case form
    /// Send a report.
    case submit
    /// The form to check a report's status.
    case statusForm
    /// Check a report's status.
    case status

    static let endpoints: [PublicReportRoute] = [.form, .submit, .statusForm, .status]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method {
        switch self {
        case .form, .statusForm: .get
        case .submit, .status: .post
        }
    }

    var path: String {
        switch self {
        case .form, .submit: "/report"
        case .statusForm, .status: "/report/status"
        }
    }

    var permission: Permission { .everyone }

    /// The page in a language: `/report?lang=ro`.
    func link(in language: PublicLanguage) -> String { path(query: [("lang", language.rawValue)]) }
}
