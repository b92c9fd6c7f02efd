import CairnCore
import Foundation
import Hummingbird

/// The survivor's pages once signed in. A session opened with the safe passphrase gets the
/// same pages with nothing in them (the service gives it empty lists) and can change nothing.
extension SurvivorController {
    struct Row: Sendable {
        let cells: [String]
    }

    struct HomeModel: Sendable {
        let hello: String
        let appointments: [Row]
        let none: Bool
        let unread: Bool
    }

    struct ConsentRow: Sendable {
        let agency: String
        let purposes: String
        let until: String
        let given: String
        let withdrawHref: String
    }

    struct ConsentsModel: Sendable {
        let lead: String?
        let rows: [ConsentRow]
        let none: Bool
        let endSupportAction: String
    }

    struct ConfirmModel: Sendable {
        let question: String
        let body: String
        let action: String
        let confirm: String
        let cancel: String
        let cancelHref: String
    }

    struct TableModel: Sendable {
        let rows: [Row]
        let none: Bool
    }

    struct PlanModel: Sendable {
        let needs: [String]
        let noNeeds: Bool
        let tasks: [Row]
        let noTasks: Bool
    }

    struct Choice: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct OutcomeQuestion: Sendable {
        let name: String
        let label: String
        let choices: [Choice]
    }

    struct ChartBar: Sendable {
        let label: String
        /// 0–4, for the bar's class (`bar-0`…`bar-4`).
        let level: Int
        let rating: String
    }

    struct ChartPoint: Sendable {
        let point: String
        let bars: [ChartBar]
    }

    struct JourneyModel: Sendable {
        let nrm: String
        let points: [Choice]
        let questions: [OutcomeQuestion]
        let chart: [ChartPoint]
        let noRatings: Bool
    }

    struct MessageRow: Sendable {
        let fromYou: Bool
        let who: String
        let when: String
        let body: String
    }

    struct MessagesModel: Sendable {
        let messages: [MessageRow]
        let none: Bool
        let body: String
        let interpreter: Bool
        let language: String
        let max: Int
    }

    struct Pair: Sendable {
        let label: String
        let value: String
    }

    struct InformationModel: Sendable {
        let about: [Pair]
        let story: String
        let consents: [Row]
        let needs: [String]
        let tasks: [Row]
        let nrm: String
        let chart: [ChartPoint]
        let messages: [MessageRow]
        let detail: String
    }

    struct SettingsModel: Sendable {
        let safeIsSet: Bool
        let closeHref: String
    }

    func addPages(to router: AppRouter, table: RouteTable, signIn: String) {
        router.addSurvivor(SurvivorRoute.home, table: table, signIn: signIn) { request, context, s in
            let t = SurvivorText(language: Self.language(request, survivor: s))
            let home = try await survivor.home(s, address: context.clientAddress)
            let rows = home.appointments.map { Row(cells: [Self.day($0.date, t), t("method.\($0.method)")]) }
            return try render("survivor/home", HomeModel(hello: t("home.hello", ["name": home.name]), appointments: rows, none: rows.isEmpty, unread: home.unreadReplies > 0),
                              titleKey: "title.appointments", request: request, context: context, survivor: s)
        }
        router.addSurvivor(SurvivorRoute.signOut, table: table, signIn: signIn) { request, context, s in
            try await survivor.signOut(s, address: context.clientAddress)
            var response = Response.seeOther(signIn, flash: SurvivorText(language: Self.language(request, survivor: s))("signedOut"))
            response.setCookie(Self.clearedCookie(context: context))
            return response
        }
        router.addSurvivor(SurvivorRoute.consents, table: table, signIn: signIn) { request, context, s in
            try await consentsPage(request, context, s)
        }
        router.addSurvivor(SurvivorRoute.withdrawConfirm(.key), table: table, signIn: signIn) { request, context, s in
            let t = SurvivorText(language: Self.language(request, survivor: s))
            let agencyID = try context.id(.agencyId, "agency")
            let consents = try await survivor.consents(s, address: context.clientAddress)
            guard let consent = consents.others.first(where: { $0.agencyID == agencyID }) else { throw t.error(.notFound, nil, "error.noConsent") }
            return try render("survivor/confirm", ConfirmModel(question: t("withdraw.question", ["agency": consent.agency]), body: t("withdraw.body", ["agency": consent.agency]),
                                                               action: SurvivorRoute.withdraw(.value(agencyID)).path, confirm: t("withdraw.confirm"),
                                                               cancel: t("withdraw.cancel"), cancelHref: SurvivorRoute.consents.path),
                              titleKey: "title.consents", request: request, context: context, survivor: s)
        }
        router.addSurvivor(SurvivorRoute.withdraw(.key), table: table, signIn: signIn) { request, context, s in
            let t = SurvivorText(language: Self.language(request, survivor: s))
            let agencyID = try context.id(.agencyId, "agency")
            do {
                let name = try await survivor.withdraw(s, agencyID: agencyID, address: context.clientAddress)
                return .seeOther(SurvivorRoute.consents.path, flash: t("withdraw.done", ["agency": name]))
            } catch let error as AppError where [.notFound, .conflict].contains(error.status) {
                return try await consentsPage(request, context, s, errors: [.init("agency", error.detail)], status: error.status)
            }
        }
        router.addSurvivor(SurvivorRoute.endSupport, table: table, signIn: signIn) { request, context, s in
            let t = SurvivorText(language: Self.language(request, survivor: s))
            try await survivor.askAboutEndingSupport(s, address: context.clientAddress)
            return .seeOther(SurvivorRoute.messages.path, flash: t("endSupport.sent"))
        }
        router.addSurvivor(SurvivorRoute.access, table: table, signIn: signIn) { request, context, s in
            let t = SurvivorText(language: Self.language(request, survivor: s))
            let rows = try await survivor.accessLog(s, address: context.clientAddress).map { Row(cells: [$0.agency, Self.day($0.date, t)]) }
            return try render("survivor/access", TableModel(rows: rows, none: rows.isEmpty), titleKey: "title.access", request: request, context: context, survivor: s)
        }
        router.addSurvivor(SurvivorRoute.plan, table: table, signIn: signIn) { request, context, s in
            let t = SurvivorText(language: Self.language(request, survivor: s))
            let plan = try await survivor.plan(s, address: context.clientAddress)
            let model = Self.planModel(plan, t)
            return try render("survivor/plan", model, titleKey: "title.plan", request: request, context: context, survivor: s)
        }
        router.addSurvivor(SurvivorRoute.journey, table: table, signIn: signIn) { request, context, s in
            try await journeyPage(request, context, s)
        }
        router.addSurvivor(SurvivorRoute.rate, table: table, signIn: signIn) { request, context, s in
            try await submit(SurvivorRatingForm.self, request, context, s, then: .journey, saying: "journey.saved") { form in
                try await survivor.rate(s, point: form.point ?? "", ratings: form.ratings, address: context.clientAddress)
            } again: { form, errors in
                try await journeyPage(request, context, s, form: form, errors: errors, status: .unprocessableContent)
            }
        }
        router.addSurvivor(SurvivorRoute.messages, table: table, signIn: signIn) { request, context, s in
            try await messagesPage(request, context, s)
        }
        router.addSurvivor(SurvivorRoute.send, table: table, signIn: signIn) { request, context, s in
            try await submit(SurvivorMessageForm.self, request, context, s, then: .messages, saying: "messages.sent") { form in
                try await survivor.send(s, body: form.body ?? "", interpreter: form.interpreter == "yes", language: form.language ?? "", address: context.clientAddress)
            } again: { form, errors in
                try await messagesPage(request, context, s, form: form, errors: errors, status: .unprocessableContent)
            }
        }
        router.addSurvivor(SurvivorRoute.information, table: table, signIn: signIn) { request, context, s in
            try await informationPage(request, context, s)
        }
        router.addSurvivor(SurvivorRoute.request, table: table, signIn: signIn) { request, context, s in
            try await submit(SurvivorRequestForm.self, request, context, s, then: .information, saying: "info.requestSent") { form in
                try await survivor.request(s, kind: form.kind ?? "", detail: form.detail ?? "", address: context.clientAddress)
            } again: { form, errors in
                try await informationPage(request, context, s, detail: String((form.detail ?? "").prefix(SurvivorService.maxRequest * 2)),
                                          errors: errors, status: .unprocessableContent)
            }
        }
        router.addSurvivor(SurvivorRoute.settings, table: table, signIn: signIn) { request, context, s in
            try await settingsPage(request, context, s)
        }
        router.addSurvivor(SurvivorRoute.safePassphrase, table: table, signIn: signIn) { request, context, s in
            try await submit(SurvivorPassphraseForm.self, request, context, s, then: .settings, saying: "settings.safeSaved") { form in
                try await survivor.setSafePassphrase(s, passphrase: String((form.safePassphrase ?? "").prefix(400)), confirm: String((form.confirm ?? "").prefix(400)),
                                                     address: context.clientAddress)
            } again: { _, errors in
                try await settingsPage(request, context, s, errors: errors, status: .unprocessableContent)
            }
        }
        router.addSurvivor(SurvivorRoute.closeConfirm, table: table, signIn: signIn) { request, context, s in
            let t = SurvivorText(language: Self.language(request, survivor: s))
            return try render("survivor/confirm", ConfirmModel(question: t("settings.endQuestion"), body: t("settings.endBody"), action: SurvivorRoute.close.path,
                                                               confirm: t("settings.endButton"), cancel: t("withdraw.cancel"), cancelHref: SurvivorRoute.settings.path),
                              titleKey: "title.settings", request: request, context: context, survivor: s)
        }
        router.addSurvivor(SurvivorRoute.close, table: table, signIn: signIn) { request, context, s in
            let t = SurvivorText(language: Self.language(request, survivor: s))
            try await survivor.endOwnView(s, address: context.clientAddress)
            var response = Response.seeOther(signIn, flash: t("settings.endDone"))
            response.setCookie(Self.clearedCookie(context: context))
            return response
        }
    }

    // MARK: Pages shown again with errors

    /// A form of the survivor's: the change, then back to `then` with the words under `saying`;
    /// a refusal (422, in the survivor's language) shows the page `again` with what they typed.
    func submit<Form: FormInput>(_ type: Form.Type, _ request: Request, _ context: CairnRequestContext, _ s: SurvivorIdentity,
                                 then: SurvivorRoute, saying: String, _ change: (Form) async throws -> Void,
                                 again: (Form, [AppError.FieldError]) async throws -> Response) async throws -> Response {
        let form = try await Form.read(request)
        do {
            try await change(form)
            return .seeOther(then.path, flash: SurvivorText(language: Self.language(request, survivor: s))(saying))
        } catch let error as AppError where error.status == .unprocessableContent {
            return try await again(form, error.fieldErrors)
        }
    }

    func consentsPage(_ request: Request, _ context: CairnRequestContext, _ s: SurvivorIdentity,
                      errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = SurvivorText(language: Self.language(request, survivor: s))
        let consents = try await survivor.consents(s, address: context.clientAddress)
        let rows = consents.others.map { c in
            ConsentRow(agency: c.agency, purposes: c.purposes.map { t("purpose.\($0.rawValue)") }.joined(separator: "; "),
                       until: c.until.map { Self.day($0, t) } ?? t("consents.untilOpen"), given: Self.day(c.given, t),
                       withdrawHref: SurvivorRoute.withdrawConfirm(.value(c.agencyID)).path)
        }
        let model = ConsentsModel(lead: consents.leadAgency.isEmpty ? nil : consents.leadAgency, rows: rows, none: rows.isEmpty,
                                  endSupportAction: SurvivorRoute.endSupport.path)
        return try render("survivor/consents", model, titleKey: "title.consents", request: request, context: context, survivor: s, errors: errors, status: status)
    }

    func journeyPage(_ request: Request, _ context: CairnRequestContext, _ s: SurvivorIdentity, form: SurvivorRatingForm? = nil,
                     errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = SurvivorText(language: Self.language(request, survivor: s))
        let journey = try await survivor.journey(s, address: context.clientAddress)
        let typed = form?.ratings ?? [:]
        let rated = Set(journey.own.map(\.point))
        let next = form?.point ?? (ReviewPoint.allCases.first { !rated.contains($0) } ?? .exit).rawValue
        let model = JourneyModel(
            nrm: Self.nrmSentence(journey.nrm, t),
            points: ReviewPoint.allCases.map { Choice(value: $0.rawValue, label: t("point.\($0.rawValue)"), selected: $0.rawValue == next) },
            questions: CoreOutcome.allCases.map { outcome in
                OutcomeQuestion(name: outcome.rawValue, label: t("outcome.\(outcome.rawValue)"),
                                choices: OutcomeRating.allCases.map { Choice(value: $0.rawValue, label: t("rating.\($0.rawValue)"), selected: typed[outcome.rawValue] == $0.rawValue) })
            },
            chart: Self.chart(journey.own.map { ($0.point, $0.values) }, t), noRatings: journey.own.isEmpty)
        return try render("survivor/journey", model, titleKey: "title.journey", request: request, context: context, survivor: s, errors: errors, status: status)
    }

    func messagesPage(_ request: Request, _ context: CairnRequestContext, _ s: SurvivorIdentity, form: SurvivorMessageForm? = nil,
                      errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = SurvivorText(language: Self.language(request, survivor: s))
        let rows = try await survivor.messages(s, address: context.clientAddress).map { Self.messageRow($0, t) }
        let model = MessagesModel(messages: rows, none: rows.isEmpty, body: String((form?.body ?? "").prefix(SurvivorService.maxMessage * 2)),
                                  interpreter: form?.interpreter == "yes", language: String((form?.language ?? "").prefix(200)), max: SurvivorService.maxMessage)
        return try render("survivor/messages", model, titleKey: "title.messages", request: request, context: context, survivor: s, errors: errors, status: status)
    }

    func informationPage(_ request: Request, _ context: CairnRequestContext, _ s: SurvivorIdentity, detail: String = "",
                         errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = SurvivorText(language: Self.language(request, survivor: s))
        let info = try await survivor.information(s, address: context.clientAddress)
        let p = info.person
        let about = [("info.chosenName", info.summary.chosenName), ("info.legalName", p.legalName), ("info.dateOfBirth", p.dateOfBirth),
                     ("info.nationality", p.nationality), ("info.languages", p.languages), ("info.contact", p.contact)]
            .filter { !$0.1.isEmpty }
            .map { Pair(label: t($0.0), value: $0.0 == "info.dateOfBirth" ? ((try? CalendarDate(parsing: $0.1)).map { Self.day($0, t) } ?? $0.1) : $0.1) }
        let plan = Self.planModel(info.plan, t)
        let model = InformationModel(
            about: about, story: p.account,
            consents: info.consents.map { Row(cells: [$0.agency, $0.purposes.map { t("purpose.\($0.rawValue)") }.joined(separator: "; "),
                                                      $0.until.map { Self.day($0, t) } ?? t("consents.untilOpen")]) },
            needs: plan.needs, tasks: plan.tasks, nrm: Self.nrmSentence(info.journey.nrm, t),
            chart: Self.chart(info.journey.own.map { ($0.point, $0.values) }, t), messages: info.messages.map { Self.messageRow($0, t) }, detail: detail)
        return try render("survivor/information", model, titleKey: "title.information", request: request, context: context, survivor: s,
                          errors: errors, status: status)
    }

    func settingsPage(_ request: Request, _ context: CairnRequestContext, _ s: SurvivorIdentity,
                      errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let safeIsSet = try await survivor.hasSafePassphrase(s, address: context.clientAddress)
        return try render("survivor/settings", SettingsModel(safeIsSet: safeIsSet, closeHref: SurvivorRoute.closeConfirm.path),
                          titleKey: "title.settings", request: request, context: context, survivor: s, errors: errors, status: status)
    }

    // MARK: Words

    /// A day in the survivor's language ("14 martie 2026"), never an ISO date.
    static func day(_ date: CalendarDate, _ t: SurvivorText) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: t.language.rawValue)
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        var parts = DateComponents()
        parts.year = date.year
        parts.month = date.month
        parts.day = date.day
        parts.hour = 12
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        guard let moment = calendar.date(from: parts) else { return Format.day(date) }
        return formatter.string(from: moment)
    }

    static func planModel(_ plan: (needs: [CaseSurvivorView.Need], tasks: [CaseSurvivorView.Task]), _ t: SurvivorText) -> PlanModel {
        let needs = plan.needs.map { t("need.\($0.domain.rawValue)") }
        let tasks = plan.tasks.map { task in
            Row(cells: [task.title, task.agency, task.dueOn.map { day($0, t) } ?? "", t("task.\(task.status.rawValue)")])
        }
        return PlanModel(needs: needs, noNeeds: needs.isEmpty, tasks: tasks, noTasks: tasks.isEmpty)
    }

    /// The NRM stage in plain words, with "support continues until …" where there is a date.
    static func nrmSentence(_ nrm: NRMReferral?, _ t: SurvivorText) -> String {
        guard let nrm else { return t("nrm.none") }
        if !nrm.reconsiderations.filter({ $0.outcome == nil }).isEmpty { return t("nrm.reconsideration") }
        switch nrm.stage {
        case .awaitingReasonableGrounds: return t("nrm.referred", ["date": day(nrm.referralDate, t)])
        case .recoveryPeriod:
            let decided = nrm.effectiveReasonableGrounds?.date ?? nrm.referralDate
            return t("nrm.recovery", ["date": day(decided, t), "until": day(nrm.recoveryPeriodEarliestEnd ?? decided.adding(days: 30), t)])
        case .negativeReasonableGrounds: return t("nrm.negativeFirst", ["date": day(nrm.effectiveReasonableGrounds?.date ?? nrm.referralDate, t)])
        case .positiveConclusiveGrounds: return t("nrm.positiveFinal", ["date": day(nrm.effectiveConclusiveGrounds?.date ?? nrm.referralDate, t)])
        case .negativeConclusiveGrounds: return t("nrm.negativeFinal", ["date": day(nrm.effectiveConclusiveGrounds?.date ?? nrm.referralDate, t)])
        case .reconsiderationRequested: return t("nrm.reconsideration")
        }
    }

    /// The survivor's own ratings over time: for each review point they rated, a bar per outcome.
    static func chart(_ own: [(ReviewPoint, [CoreOutcome: OutcomeRating])], _ t: SurvivorText) -> [ChartPoint] {
        own.map { point, values in
            ChartPoint(point: t("point.\(point.rawValue)"), bars: CoreOutcome.allCases.compactMap { outcome in
                values[outcome].map { rating in
                    ChartBar(label: t("outcome.\(outcome.rawValue)"), level: OutcomeRating.allCases.firstIndex(of: rating) ?? 0, rating: t("rating.\(rating.rawValue)"))
                }
            })
        }
    }

    static func messageRow(_ message: SurvivorMessage, _ t: SurvivorText) -> MessageRow {
        MessageRow(fromYou: message.fromSurvivor, who: message.fromSurvivor ? t("messages.you") : t("messages.team"),
                   when: day(CalendarDate(message.createdAt, in: SurvivorService.london), t) + ", " + Format.time(message.createdAt),
                   body: message.body)
    }
}
