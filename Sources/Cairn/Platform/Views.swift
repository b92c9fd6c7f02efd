import CairnCore
import Foundation
import Hummingbird
import Mustache

/// A navigation entry in the base layout.
struct NavItem: Sendable {
    let label: String
    let href: String
    let current: Bool
}

/// What every page's layout needs, beside the page's own view model.
struct PageChrome: Sendable {
    var title: String
    var signedIn: Bool
    var displayName: String
    var agencyName: String
    var nav: [NavItem]
    var csrf: String
    var flash: String?
    /// A warning carried over a redirect, shown as an alert (`Flash.warning`).
    var warning: String?
    var demo: Bool
    /// GOV.UK-style error summary at the top of a form.
    var errors: [AppError.FieldError]
    /// Stored, not computed: Mustache sees only stored properties.
    var hasErrors: Bool
    var lang = "en"
    var dir = "ltr"
}

/// The object a page template is rendered with: `{{#model}}…{{/model}}` for the page's own
/// data; `csrf`, `errors` and friends are visible from inside it through the context stack.
struct Envelope<Model>: Sendable where Model: Sendable {
    let model: Model
    let csrf: String
    let errors: [AppError.FieldError]
    let hasErrors: Bool
    let demo: Bool
    /// The first message for each field, shown beside the field as well as in the summary.
    let fieldError: [String: String]
}

/// Renders Mustache templates (HTML-escaped by default) inside the base layout.
public struct Views: Sendable {
    let library: MustacheLibrary
    let demo: Bool
    /// Where the navigation bar's entries come from (filled as capabilities add their routes).
    let routes: RouteTable

    public init(templatesDirectory: String, demo: Bool, routes: RouteTable = RouteTable()) async throws {
        self.library = try await MustacheLibrary(directory: templatesDirectory)
        self.demo = demo
        self.routes = routes
        guard library.getTemplate(named: "layout") != nil else {
            throw AppError(.internalServerError, "templates not found in \(templatesDirectory)")
        }
    }

    /// The navigation bar for `identity` on the page at `path`: every registered route type's
    /// entries (`PageRoute.navigation`), in order, that the person may use.
    static func navigation(for identity: Identity?, path: String, entries: [NavEntry]) -> [NavItem] {
        guard let identity else { return [] }
        let shown = entries.filter { identity.can($0.permission) }
        // The page belongs to the entry with the longest path it is under, so
        // /partnership/assessments/… marks Self-assessment, not Partnership as well.
        func covers(_ entry: NavEntry) -> Bool { entry.path == "/" ? path == "/" : (path == entry.path || path.hasPrefix(entry.path + "/")) }
        let current = shown.filter(covers).max { $0.path.count < $1.path.count }?.path
        return shown.map { NavItem(label: $0.label, href: $0.path, current: $0.path == current) }
    }

    func render<Model: Sendable>(
        _ template: String, _ model: Model, title: String, request: Request, context: CairnRequestContext,
        errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok, flash: String? = nil, dates: FormDates? = nil
    ) throws -> Response {
        var model = model
        // Date fields show their own error beside the boxes (`DateField`).
        if var page = model as? any DateFieldPage {
            page.keep(typed: dates?.typed ?? [:])
            page.markErrors(errors, parts: dates?.wrongParts ?? [:])
            if let marked = page as? Model { model = marked }
        }
        var byField: [String: String] = [:]
        for error in errors where byField[error.field] == nil { byField[error.field] = error.message }
        let envelope = Envelope(model: model, csrf: context.csrfToken, errors: errors, hasErrors: !errors.isEmpty, demo: demo, fieldError: byField)
        guard let content = library.render(envelope, withTemplate: template) else {
            throw AppError(.internalServerError, "missing template \(template)")
        }
        let chrome = PageChrome(
            title: errors.isEmpty ? title : "Error: \(title)",
            signedIn: context.identity != nil,
            displayName: context.identity?.displayName ?? "",
            agencyName: context.identity?.agencyName ?? "",
            nav: Self.navigation(for: context.identity, path: request.uri.path, entries: routes.navigation),
            csrf: context.csrfToken,
            flash: flash ?? Flash.read(request),
            warning: Flash.read(request, cookie: Flash.warningCookie),
            demo: demo,
            errors: errors,
            hasErrors: !errors.isEmpty)
        let page = library.render(LayoutModel(chrome: chrome, content: content), withTemplate: "layout") ?? content
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: .init(string: page)))
        if chrome.flash != nil, flash == nil { Flash.clear(&response) }
        if chrome.warning != nil { Flash.clear(&response, cookie: Flash.warningCookie) }
        return response
    }
}

struct LayoutModel: Sendable {
    let chrome: PageChrome
    let content: String
}

/// A one-line confirmation shown on the page after a redirect ("Agency created").
/// Never personal data: it travels in a cookie.
enum Flash {
    static let cookie = "cairn_flash"

    /// A warning shown after the redirect, such as a share no information-sharing agreement covers.
    static let warningCookie = "cairn_warning"

    static func set(_ message: String, on response: inout Response, cookie: String = cookie) {
        let encoded = message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        response.setCookie(.init(name: cookie, value: encoded, path: "/", httpOnly: true, sameSite: .strict))
    }

    static func read(_ request: Request, cookie: String = cookie) -> String? {
        guard let value = request.cookies[cookie]?.value, !value.isEmpty else { return nil }
        return value.removingPercentEncoding.map { String($0.prefix(cookie == warningCookie ? 600 : 200)) }
    }

    static func clear(_ response: inout Response, cookie: String = cookie) {
        response.setCookie(.init(name: cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
    }
}

extension Response {
    /// 303 See Other, the redirect after a form POST.
    static func seeOther(_ location: String, flash: String? = nil, warning: String? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let flash { Flash.set(flash, on: &response) }
        if let warning { Flash.set(warning, on: &response, cookie: Flash.warningCookie) }
        return response
    }
}
