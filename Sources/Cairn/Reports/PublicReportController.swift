import CairnCore
import Foundation
import Hummingbird

/// The public "report a concern" pages: no sign-in, in the reporter's language, working
/// without JavaScript. All their text comes from `PublicReportText`.
struct PublicReportController {
    let services: AppServices
    let views: Views

    static let languageCookie = "cairn_lang"

    struct LanguageLink: Sendable {
        let code: String
        let name: String
        let href: String
        let current: Bool
    }

    /// What the public layout needs: the text catalogue, the language and the chooser.
    struct Chrome: Sendable {
        let lang: String
        let dir: String
        let title: String
        let t: [String: String]
        let languages: [LanguageLink]
        let csrf: String
        let demo: Bool
        let errors: [AppError.FieldError]
        let hasErrors: Bool
    }

    struct Page<Model: Sendable>: Sendable {
        let chrome: Chrome
        let t: [String: String]
        let model: Model
        let csrf: String
        let fieldError: [String: String]
    }

    struct Option: Sendable {
        let value: String
        let label: String
        let checked: Bool
    }

    struct FormModel: Sendable {
        let lang: String
        let submission: String
        let dangerYes: Bool
        let dangerNo: Bool
        let description: String
        let location: String
        let postcode: String
        let occurred: String
        let people: String
        let vehicles: String
        let phones: String
        let businesses: String
        let websites: String
        let reporterTypes: [Option]
        let anonymous: Bool
        let details: Bool
        let contactName: String
        let contactPhone: String
        let contactEmail: String
        let contactBestTime: String
        let contactConsent: Bool
        let maxDescription: Int
        let statusHref: String
        /// The campaign code the form was opened with, carried to the submission (hidden).
        let campaign: String?
    }

    struct ConfirmationModel: Sendable {
        let reference: String
        let passphrase: String
        let referenceLine: String
        let passphraseLine: String
        let danger: Bool
        let statusHref: String
    }

    struct StatusModel: Sendable {
        let lang: String
        let reference: String
        let found: Bool
        let heading: String
        let status: String
        let reportHref: String
    }

    /// The reporter types the public form offers, with their text keys.
    static let reporterOptions: [(ReporterType, String)] = [
        (.memberOfPublic, "report.reporter.public"), (.hotel, "report.reporter.hotel"), (.landlord, "report.reporter.landlord"),
        (.lettingAgent, "report.reporter.lettingAgent"), (.otherBusiness, "report.reporter.otherBusiness"),
        (.personAffected, "report.reporter.affected"), (.other, "report.reporter.other"),
    ]

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.addOpen(PublicReportRoute.form, table: table) { request, context in
            let language = Self.language(request)
            var blank = ReportInput()
            blank.campaignCode = request.query("c", max: 40)
            var response = try render("public/report", form(blank, language: language, submission: UUID().uuidString),
                                      titleKey: "page.title", language: language, request: request, context: context)
            Self.remember(language, request: request, on: &response)
            return response
        }
        router.addOpen(PublicReportRoute.submit, table: table) { request, context in
            let form = try await PublicReportForm.read(request)
            let language = PublicLanguage(code: form.lang ?? "") ?? Self.language(request)
            let input = form.input(language: language)
            let submission = form.submissionKey
            do {
                let submitted = try await PublicIntake.submit(input, services: services, context: context,
                                                              idempotencyKey: submission.isEmpty ? nil : "web:\(submission)", language: language,
                                                              requireFormAnswers: true)
                let reference = submitted.report.reference, passphrase = submitted.passphrase ?? ""
                let model = ConfirmationModel(
                    reference: reference, passphrase: passphrase,
                    referenceLine: PublicReportText.format("confirmation.reference", in: language, values: ["reference": reference]),
                    passphraseLine: PublicReportText.format("confirmation.passphrase", in: language, values: ["passphrase": passphrase]),
                    danger: submitted.report.dangerNow, statusHref: PublicReportRoute.statusForm.link(in: language))
                return try render("public/confirmation", model, titleKey: "confirmation.title", language: language, request: request,
                                  context: context, status: .created)
            } catch let error as AppError where error.status == .unprocessableContent {
                return try render("public/report", self.form(input, language: language, submission: submission.isEmpty ? UUID().uuidString : submission),
                                  titleKey: "page.title", language: language, request: request, context: context,
                                  errors: error.fieldErrors, status: .unprocessableContent)
            } catch let error as AppError where error.status == .tooManyRequests {
                var response = try render("public/report", self.form(input, language: language, submission: submission),
                                          titleKey: "page.title", language: language, request: request, context: context,
                                          errors: [.init("description", error.detail)], status: .tooManyRequests)
                if let wait = error.retryAfter { response.headers[.retryAfter] = String(wait) }
                return response
            }
        }
        router.addOpen(PublicReportRoute.statusForm, table: table) { request, context in
            let language = Self.language(request)
            var response = try render("public/status", StatusModel(lang: language.rawValue, reference: "", found: false, heading: "", status: "",
                                                                   reportHref: PublicReportRoute.form.link(in: language)),
                                      titleKey: "status.title", language: language, request: request, context: context)
            Self.remember(language, request: request, on: &response)
            return response
        }
        router.addOpen(PublicReportRoute.status, table: table) { request, context in
            let form = try await ReportStatusForm.read(request)
            let language = PublicLanguage(code: form.lang ?? "") ?? Self.language(request)
            let reference = String((form.reference ?? "").prefix(40)).trimmingCharacters(in: .whitespaces)
            let passphrase = String((form.passphrase ?? "").prefix(200))
            do {
                if reference.isEmpty || passphrase.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw AppError(.unprocessableContent, title: "Invalid input", PublicReportText.text("status.notFound", in: language))
                }
                let report = try await PublicIntake.lookup(reference: reference, passphrase: passphrase, services: services,
                                                           context: context, language: language)
                let model = StatusModel(lang: language.rawValue, reference: report.reference, found: true,
                                        heading: PublicReportText.format("status.heading", in: language, values: ["reference": report.reference]),
                                        status: PublicIntake.statusSentence(report, in: language), reportHref: PublicReportRoute.form.link(in: language))
                return try render("public/status", model, titleKey: "status.title", language: language, request: request, context: context)
            } catch let error as AppError where [.notFound, .tooManyRequests, .unprocessableContent].contains(error.status) {
                let model = StatusModel(lang: language.rawValue, reference: reference, found: false, heading: "", status: "",
                                        reportHref: PublicReportRoute.form.link(in: language))
                var response = try render("public/status", model, titleKey: "status.title", language: language, request: request, context: context,
                                          errors: [.init("reference", error.detail)], status: error.status)
                if let wait = error.retryAfter { response.headers[.retryAfter] = String(wait) }
                return response
            }
        }
    }

    // MARK: Language

    /// `?lang=` first, then the remembered choice, then the browser's preference, then English.
    static func language(_ request: Request) -> PublicLanguage {
        if let code = request.uri.queryParameters["lang"], let language = PublicLanguage(code: String(code)) { return language }
        if let cookie = request.cookies[languageCookie]?.value, let language = PublicLanguage(code: cookie) { return language }
        if let header = request.headers[.acceptLanguage] {
            for part in header.split(separator: ",") {
                let code = part.split(separator: ";").first.map(String.init) ?? ""
                if let language = PublicLanguage(code: code) { return language }
            }
        }
        return .en
    }

    static func remember(_ language: PublicLanguage, request: Request, on response: inout Response) {
        guard request.uri.queryParameters["lang"] != nil else { return }
        response.setCookie(.init(name: languageCookie, value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", httpOnly: true, sameSite: .lax))
    }

    /// Template keys cannot hold dots (Mustache reads them as paths), so `a.b` becomes `a_b`.
    static func texts(_ language: PublicLanguage) -> [String: String] {
        var texts: [String: String] = [:]
        for key in PublicReportText.keys { texts[key.replacingOccurrences(of: ".", with: "_")] = PublicReportText.text(key, in: language) }
        return texts
    }

    // MARK: Forms

    func form(_ input: ReportInput, language: PublicLanguage, submission: String) -> FormModel {
        FormModel(
            lang: language.rawValue, submission: submission, dangerYes: input.dangerNow == true, dangerNo: input.dangerNow == false,
            description: input.description, location: input.location, postcode: input.postcode, occurred: input.occurred,
            people: input.people, vehicles: input.vehicles, phones: input.phones, businesses: input.businesses, websites: input.websites,
            reporterTypes: Self.reporterOptions.map { Option(value: $0.0.rawValue, label: PublicReportText.text($0.1, in: language), checked: input.reporterType == $0.0.rawValue) },
            anonymous: input.anonymous, details: !input.anonymous, contactName: input.contactName, contactPhone: input.contactPhone,
            contactEmail: input.contactEmail, contactBestTime: input.contactBestTime, contactConsent: input.contactConsent,
            maxDescription: ReportValidation.maxDescription, statusHref: PublicReportRoute.statusForm.link(in: language),
            campaign: input.campaignCode.isEmpty ? nil : input.campaignCode)
    }

    func render<Model: Sendable>(_ template: String, _ model: Model, titleKey: String, language: PublicLanguage, request: Request,
                                 context: CairnRequestContext, errors: [AppError.FieldError] = [],
                                 status: HTTPResponse.Status = .ok) throws -> Response {
        let t = Self.texts(language)
        var byField: [String: String] = [:]
        for error in errors where byField[error.field] == nil { byField[error.field] = error.message }
        let path = request.uri.path
        let chrome = Chrome(
            lang: language.rawValue, dir: language.direction,
            title: (errors.isEmpty ? "" : "⚠ ") + PublicReportText.text(titleKey, in: language), t: t,
            languages: PublicLanguage.allCases.map { LanguageLink(code: $0.rawValue, name: $0.nativeName, href: "\(path)?lang=\($0.rawValue)"
                + (CampaignCode.normalise(request.query("c", max: 40)).map { "&c=\($0)" } ?? ""), current: $0 == language) },
            csrf: context.csrfToken, demo: views.demo, errors: errors, hasErrors: !errors.isEmpty)
        let page = Page(chrome: chrome, t: t, model: model, csrf: context.csrfToken, fieldError: byField)
        guard let content = views.library.render(page, withTemplate: template),
              let html = views.library.render(PublicLayout(chrome: chrome, content: content), withTemplate: "public/layout") else {
            throw AppError(.internalServerError, "missing template \(template)")
        }
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .contentLanguage: language.rawValue],
                        body: .init(byteBuffer: .init(string: html)))
    }

    struct PublicLayout: Sendable {
        let chrome: Chrome
        let content: String
    }
}
