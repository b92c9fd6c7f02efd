import CairnCore
import Foundation
import Hummingbird

/// The case team's page for the survivor's view (`/cases/:caseId/survivor-view`): offer it
/// (the one-time code is shown once), suspend, resume or end it, read and answer messages, see
/// the survivor's own ratings and their correction or deletion requests.
struct SurvivorTeamController {
    let survivor: SurvivorService
    let views: Views

    struct MessageRow: Sendable {
        let fromSurvivor: Bool
        let who: String
        let when: String
        let body: String
        let interpreter: String?
    }

    struct RatingRow: Sendable {
        let point: String
        let ratedAt: String
        let values: [String]
    }

    struct RequestRow: Sendable {
        let kind: String
        let detail: String
        let when: String
        let done: Bool
        let doneAction: String
    }

    struct Language: Sendable {
        let code: String
        let name: String
        let selected: Bool
    }

    struct Model: Sendable {
        let header: CaseSupportController.Header
        let caseCode: String
        let status: String
        let offered: Bool
        let active: Bool
        let suspended: Bool
        let canOffer: Bool
        let codeExpires: String?
        let activatedOn: String?
        let offerAction: String
        let suspendAction: String
        let resumeAction: String
        let endHref: String
        let replyAction: String
        let languages: [Language]
        let messages: [MessageRow]
        let noMessages: Bool
        let outcomes: [String]
        let ratings: [RatingRow]
        let noRatings: Bool
        let requests: [RequestRow]
        let noRequests: Bool
        let code: String?
        let reply: String
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(SurvivorRoute.team(.key), table: table) { request, context, identity in
            try await page(request, context, identity)
        }
        router.add(SurvivorRoute.offer(.key), table: table) { request, context, identity in
            let caseID = try context.id(.caseId, "case")
            let form = try await SurvivorOfferForm.read(request)
            let offer = try await survivor.offer(caseID, identity: identity, language: PublicLanguage(code: form.language ?? "") ?? .en, address: context.clientAddress)
            // Shown once, on this answer only: it is never stored and never sent anywhere.
            return try await page(request, context, identity, code: offer.code, status: .created)
        }
        for (route, change, flash) in [(SurvivorRoute.suspend(.key), SurvivorService.Change.suspend, "The survivor's view is suspended: they are signed out everywhere."),
                                       (.resume(.key), .resume, "The survivor's view is open again."),
                                       (.end(.key), .end, "The survivor's view is ended.")] {
            router.add(route, table: table) { _, context, identity in
                let caseID = try context.id(.caseId, "case")
                try await survivor.change(caseID, change, identity: identity, address: context.clientAddress)
                return .seeOther(SurvivorRoute.team(.value(caseID)).path, flash: flash)
            }
        }
        router.add(SurvivorRoute.endConfirm(.key), table: table) { request, context, _ in
            let caseID = try context.id(.caseId, "case")
            return try views.render("confirm", ConfirmPage(heading: "End the survivor's view?",
                                                           body: "They are signed out at once and cannot sign in again. Their passphrases and reference are forgotten; to open it again, offer it again with a new code.",
                                                           action: SurvivorRoute.end(.value(caseID)).path, button: "End the view",
                                                           cancel: SurvivorRoute.team(.value(caseID)).path, warning: true),
                                    title: "End the survivor's view", request: request, context: context)
        }
        router.add(SurvivorRoute.reply(.key), table: table) { request, context, identity in
            let caseID = try context.id(.caseId, "case")
            let form = try await SurvivorReplyForm.read(request)
            do {
                try await survivor.reply(caseID, body: form.body ?? "", identity: identity, address: context.clientAddress)
                return .seeOther(SurvivorRoute.team(.value(caseID)).path(fragment: "messages"), flash: "Reply sent")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await page(request, context, identity, reply: String((form.body ?? "").prefix(SurvivorService.maxMessage * 2)),
                                      errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(SurvivorRoute.requestDone(.key, .key), table: table) { _, context, identity in
            let caseID = try context.id(.caseId, "case")
            let requestID = try context.id(.requestId, "request")
            try await survivor.completeRequest(caseID, requestID: requestID, identity: identity, address: context.clientAddress)
            return .seeOther(SurvivorRoute.team(.value(caseID)).path(fragment: "requests"), flash: "Request marked done")
        }
    }

    func page(_ request: Request, _ context: CairnRequestContext, _ identity: Identity, code: String? = nil, reply: String = "",
              errors: [AppError.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let caseID = try context.id(.caseId, "case")
        let view = try await survivor.teamView(caseID, identity: identity, address: context.clientAddress, via: "page")
        let account = view.account
        let state = account?.viewStatus
        let model = Model(
            header: survivor.cases.header(view.teamCase), caseCode: view.teamCase.code,
            status: state?.label ?? "Not offered", offered: state == .offered, active: state == .active, suspended: state == .suspended,
            canOffer: state == nil || state == .offered || state == .ended,
            codeExpires: state == .offered ? account?.activationExpiresAt.map(Format.dateTime) : nil,
            activatedOn: account?.activatedAt.map(Format.date),
            offerAction: SurvivorRoute.offer(.value(caseID)).path, suspendAction: SurvivorRoute.suspend(.value(caseID)).path,
            resumeAction: SurvivorRoute.resume(.value(caseID)).path, endHref: SurvivorRoute.endConfirm(.value(caseID)).path,
            replyAction: SurvivorRoute.reply(.value(caseID)).path,
            languages: PublicLanguage.allCases.map { Language(code: $0.rawValue, name: "\($0.englishName) (\($0.nativeName))", selected: $0.rawValue == (account?.language ?? "en")) },
            messages: view.messages.map { m in
                MessageRow(fromSurvivor: m.fromSurvivor, who: m.fromSurvivor ? "The survivor" : (m.authorID.flatMap { view.authors[$0] } ?? "The case team"),
                           when: Format.dateTime(m.createdAt), body: m.body,
                           interpreter: m.interpreterNeeded ? "Interpreter needed\(m.language.isEmpty ? "" : ": \(m.language)")" : nil)
            },
            noMessages: view.messages.isEmpty,
            outcomes: CoreOutcome.allCases.map(\.label),
            ratings: view.ratings.map { r in
                let values = r.values
                return RatingRow(point: ReviewPoint(rawValue: r.point)?.label ?? r.point, ratedAt: Format.date(r.ratedAt),
                                 values: CoreOutcome.allCases.map { values[$0]?.label ?? "–" })
            },
            noRatings: view.ratings.isEmpty,
            requests: try view.requests.map { r in
                RequestRow(kind: r.kind == "delete" ? "Delete" : "Correct", detail: r.detail, when: Format.dateTime(r.createdAt), done: r.doneAt != nil,
                           doneAction: SurvivorRoute.requestDone(.value(caseID), .value(try r.requireID())).path)
            },
            noRequests: view.requests.isEmpty, code: code, reply: reply)
        return try views.render("survivor/team", model, title: "Survivor's own view: case \(view.teamCase.code)", request: request, context: context,
                                errors: errors, status: status)
    }
}
