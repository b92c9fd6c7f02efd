import CairnCore
import Foundation
import Hummingbird

/// The survivor's own view (`/my`): signing in and activating, and their pages
/// (`SurvivorController+Pages`), in their language, inside a neutral layout with a quick exit
/// on every page. Nothing on these pages or in their title bar names the service or slavery.
struct SurvivorController {
    let survivor: SurvivorService
    let hasher: PasswordHasher
    let throttle: AddressThrottle
    let views: Views
    /// Where the quick exit goes: an everyday site (`CAIRN_QUICK_EXIT_URL`).
    let exitTarget: String

    /// The browser session's cookie (no Max-Age: it ends with the browser; no "remember me").
    static let cookie = "my_session"

    typealias LanguageLink = PublicReportController.LanguageLink

    struct NavLink: Sendable {
        let label: String
        let href: String
        let current: Bool
    }

    struct Chrome: Sendable {
        let lang: String
        let dir: String
        let title: String
        let t: [String: String]
        let skip: String
        let languages: [LanguageLink]
        let signedIn: Bool
        let nav: [NavLink]
        let csrf: String
        let demo: Bool
        let flash: String?
        let errors: [AppError.FieldError]
        let hasErrors: Bool
        let exitHref: String
        let exitTarget: String
    }

    struct Page<Model: Sendable>: Sendable {
        let chrome: Chrome
        let t: [String: String]
        let model: Model
        let csrf: String
        let fieldError: [String: String]
    }

    struct Layout: Sendable {
        let chrome: Chrome
        let content: String
    }

    /// `?lang=` first, then the remembered choice, then (signed in) the account's language,
    /// then the browser's preference.
    static func language(_ request: Request, survivor: SurvivorIdentity?) -> PublicLanguage {
        if let code = request.uri.queryParameters["lang"], let language = PublicLanguage(code: String(code)) { return language }
        if let cookie = request.cookies[PublicReportController.languageCookie]?.value, let language = PublicLanguage(code: cookie) { return language }
        if let survivor { return survivor.language }
        return PublicReportController.language(request)
    }

    func render<Model: Sendable>(_ template: String, _ model: Model, titleKey: String, request: Request, context: CairnRequestContext,
                                 survivor: SurvivorIdentity?, errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok,
                                 flash: String? = nil) throws -> Response {
        let language = Self.language(request, survivor: survivor)
        let t = SurvivorText(language: language)
        let texts = t.all
        var byField: [String: String] = [:]
        for error in errors where byField[error.field] == nil { byField[error.field] = error.message }
        let path = request.uri.path
        let pages: [(String, SurvivorRoute)] = [
            ("title.appointments", .home), ("title.consents", .consents), ("title.access", .access), ("title.plan", .plan),
            ("title.journey", .journey), ("title.messages", .messages), ("title.information", .information), ("title.settings", .settings),
        ]
        let nav = survivor == nil ? [] : pages.map { NavLink(label: t($0.0), href: $0.1.path, current: $0.1.path == path) }
        let shown = flash ?? Flash.read(request)
        let chrome = Chrome(
            lang: language.rawValue, dir: language.direction, title: (errors.isEmpty ? "" : "⚠ ") + t(titleKey), t: texts,
            skip: PublicReportText.text("page.skipLink", in: language),
            languages: PublicLanguage.allCases.map { LanguageLink(code: $0.rawValue, name: $0.nativeName, href: "\(path)?lang=\($0.rawValue)", current: $0 == language) },
            signedIn: survivor != nil, nav: nav, csrf: context.csrfToken, demo: views.demo, flash: shown, errors: errors, hasErrors: !errors.isEmpty,
            exitHref: SurvivorRoute.exit.path, exitTarget: exitTarget)
        let page = Page(chrome: chrome, t: texts, model: model, csrf: context.csrfToken, fieldError: byField)
        guard let content = views.library.render(page, withTemplate: template),
              let html = views.library.render(Layout(chrome: chrome, content: content), withTemplate: "survivor/layout") else {
            throw AppError(.internalServerError, "missing template \(template)")
        }
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .contentLanguage: language.rawValue],
                                body: .init(byteBuffer: .init(string: html)))
        if shown != nil, flash == nil { Flash.clear(&response) }
        PublicReportController.remember(language, request: request, on: &response)
        return response
    }

    static func sessionCookie(_ token: String, context: CairnRequestContext) -> Cookie {
        Cookie(name: cookie, value: token, path: "/my", secure: context.isSecure, httpOnly: true, sameSite: .strict)
    }

    static func clearedCookie(context: CairnRequestContext) -> Cookie {
        Cookie(name: cookie, value: "", maxAge: 0, path: "/my", secure: context.isSecure, httpOnly: true, sameSite: .strict)
    }

    struct SignInModel: Sendable {
        let reference: String
        let activateHref: String
        let timedOut: Bool
    }

    struct ActivateModel: Sendable {
        /// The survivor picked this page's language (a link or their remembered choice): the view
        /// takes it; otherwise it keeps the language the case team offered it in.
        var chosen = false
        let code: String
        let passphraseHint: String
        let reference: String?
        let done: String
        let signInHref: String

        init(code: String, language: PublicLanguage, reference: String? = nil, signInHref: String) {
            let t = SurvivorText(language: language)
            self.code = code
            passphraseHint = t("activate.passphraseHint", ["min": String(SurvivorService.minPassphrase)])
            self.reference = reference
            done = reference.map { t("activate.done", ["reference": $0]) } ?? ""
            self.signInHref = signInHref
        }
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        let signInPath = SurvivorRoute.signIn.path
        router.addOpen(SurvivorRoute.signIn, table: table) { request, context in
            if context.survivor?.kind == .browser { return .seeOther(SurvivorRoute.home.path) }
            // A cookie that no longer opens a session: it timed out.
            let timedOut = request.cookies[Self.cookie].map { !$0.value.isEmpty } ?? false
            var response = try render("survivor/sign-in", SignInModel(reference: "", activateHref: SurvivorRoute.activate.path, timedOut: timedOut),
                                      titleKey: "title.signIn", request: request, context: context, survivor: nil)
            if timedOut { response.setCookie(Self.clearedCookie(context: context)) }
            return response
        }
        router.addOpen(SurvivorRoute.signInSubmit, table: table) { request, context in
            let form = try await SurvivorSignInForm.read(request)
            let language = PublicLanguage(code: form.lang ?? "") ?? Self.language(request, survivor: nil)
            let t = SurvivorText(language: language)
            let reference = String((form.reference ?? "").prefix(40))
            func page(_ errors: [AppError.FieldError], _ status: HTTPResponse.Status) throws -> Response {
                try render("survivor/sign-in", SignInModel(reference: reference, activateHref: SurvivorRoute.activate.path, timedOut: false),
                           titleKey: "title.signIn", request: request, context: context, survivor: nil, errors: errors, status: status)
            }
            var problems: [AppError.FieldError] = []
            if reference.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(.init("reference", t("error.required"))) }
            if (form.passphrase ?? "").isEmpty { problems.append(.init("passphrase", t("error.required"))) }
            if !problems.isEmpty { return try page(problems, .unprocessableContent) }
            let outcome: SurvivorService.SignInOutcome
            do {
                outcome = try await Self.signIn(reference: reference, passphrase: String((form.passphrase ?? "").prefix(400)), kind: .browser,
                                                survivor: survivor, hasher: hasher, throttle: throttle, address: context.clientAddress)
            } catch let error as AppError where error.status == .tooManyRequests {
                var response = try page([.init("reference", t("signIn.tooMany", ["minutes": String((error.retryAfter ?? 60) / 60 + 1)]))], .tooManyRequests)
                if let wait = error.retryAfter { response.headers[.retryAfter] = String(wait) }
                return response
            }
            switch outcome {
            case .invalid, .locked:
                return try page([.init("reference", t("signIn.failed"))], .unauthorized)
            case .signedIn(let token, _):
                var response = Response.seeOther(SurvivorRoute.home.path)
                response.setCookie(Self.sessionCookie(token, context: context))
                return response
            }
        }
        router.addOpen(SurvivorRoute.activate, table: table) { request, context in
            var model = ActivateModel(code: request.query("code", max: 40), language: Self.language(request, survivor: nil), signInHref: signInPath)
            model.chosen = request.uri.queryParameters["lang"] != nil || request.cookies[PublicReportController.languageCookie] != nil
            return try render("survivor/activate", model,
                       titleKey: "title.activate", request: request, context: context, survivor: nil)
        }
        router.addOpen(SurvivorRoute.activateSubmit, table: table) { request, context in
            let form = try await SurvivorActivateForm.read(request)
            let language = PublicLanguage(code: form.lang ?? "") ?? Self.language(request, survivor: nil)
            let code = String((form.activationCode ?? "").prefix(40))
            var model = ActivateModel(code: code, language: language, signInHref: signInPath)
            model.chosen = form.chosen == "1"
            do {
                if let wait = try await throttle.take(context.clientAddress) {
                    throw AppError(.tooManyRequests, SurvivorText(language: language)("signIn.tooMany", ["minutes": String(wait / 60 + 1)]), retryAfter: wait)
                }
                let reference = try await survivor.activate(code: code, passphrase: String((form.passphrase ?? "").prefix(400)),
                                                            confirm: String((form.confirm ?? "").prefix(400)), language: language, chose: model.chosen,
                                                            address: context.clientAddress)
                await throttle.giveBack(context.clientAddress)
                return try render("survivor/activate", ActivateModel(code: "", language: language, reference: reference, signInHref: signInPath),
                                  titleKey: "title.activate", request: request, context: context, survivor: nil, status: .created)
            } catch let error as AppError where [.unprocessableContent, .tooManyRequests].contains(error.status) {
                // Only a wrong code counts towards the limit: a passphrase the rules refuse does not.
                if error.status == .unprocessableContent, !error.fieldErrors.contains(where: { $0.field == "activationCode" }) {
                    await throttle.giveBack(context.clientAddress)
                }
                let errors = error.fieldErrors.isEmpty ? [.init("activationCode", error.detail)] : error.fieldErrors
                var response = try render("survivor/activate", model, titleKey: "title.activate", request: request, context: context, survivor: nil,
                                          errors: errors, status: error.status)
                if let wait = error.retryAfter { response.headers[.retryAfter] = String(wait) }
                return response
            }
        }
        router.addOpen(SurvivorRoute.exit, table: table) { _, context in
            if let s = context.survivor, s.kind == .browser { try await survivor.signOut(s, address: context.clientAddress) }
            var response = Response(status: .seeOther, headers: [.location: exitTarget])
            response.setCookie(Self.clearedCookie(context: context))
            return response
        }
        addPages(to: router, table: table, signIn: signInPath)
    }

    /// Counts the attempt against the address first, as staff sign-in does, and gives it back
    /// when it succeeds. Shared by the page and `POST /api/v1/survivor/tokens`.
    static func signIn(reference: String, passphrase: String, kind: SurvivorIdentity.Kind, survivor: SurvivorService, hasher: PasswordHasher,
                       throttle: AddressThrottle, address: String) async throws -> SurvivorService.SignInOutcome {
        let outcome: SurvivorService.SignInOutcome
        do {
            outcome = try await hasher.admitted { admission in
            if let wait = try await throttle.take(address) {
                throw AppError(.tooManyRequests, title: "Too many attempts", "Too many failed sign-ins from this network. Wait \(wait / 60 + 1) minutes and try again.",
                               retryAfter: wait)
            }
            do {
                return try await survivor.signIn(reference: reference, passphrase: passphrase, kind: kind, address: address, admission: admission)
            } catch {
                await throttle.giveBack(address)
                throw error
            }
            }
        } catch let busy as PasswordHasher.Busy {
            // More sign-ins at once than the hashing threads take: a 429, never a failure.
            throw busy.appError
        }
        if case .signedIn = outcome { await throttle.giveBack(address) }
        return outcome
    }
}
