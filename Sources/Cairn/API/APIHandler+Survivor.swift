import CairnAPI
import CairnCore
import Foundation
import HTTPTypes

/// The survivor's own view: the case team offers it; the survivor activates it, signs in for a
/// short-lived token, and with that token sees and withdraws their consents and sees who
/// looked at their record. Errors to the survivor are in their language.
extension APIHandler {
    func createSurvivorView(_ input: Operations.CreateSurvivorView.Input) async throws -> Operations.CreateSurvivorView.Output {
        let (identity, context) = try APIRequest.authorize(.createSurvivorView)
        var language = PublicLanguage.en
        if case .json(let body) = input.body, let code = body.language {
            guard let chosen = PublicLanguage(code: code) else { throw AppError.invalid([.init("language", "Choose one of en, sq, vi, ro, pl, ar, ti.")]) }
            language = chosen
        }
        let offer = try await services.survivor.offer(try Self.caseID(input.path.caseId), identity: identity, language: language, address: context.clientAddress)
        return .created(.init(body: .json(.init(activationCode: offer.code, expiresAt: offer.expiresAt))))
    }

    func activateSurvivorView(_ input: Operations.ActivateSurvivorView.Input) async throws -> Operations.ActivateSurvivorView.Output {
        let context = try APIRequest.open(.activateSurvivorView)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the code and passphrase as JSON.") }
        let language = Self.survivorLanguage(context)
        let address = context.clientAddress
        let throttle = services.signInThrottle
        if let wait = try await throttle.take(address) {
            throw AppError(.tooManyRequests, title: "Too many attempts", SurvivorText(language: language)("signIn.tooMany", ["minutes": String(wait / 60 + 1)]),
                           retryAfter: wait)
        }
        do {
            // The view keeps the language it was offered in unless the caller names one.
            let reference = try await services.survivor.activate(code: body.activationCode, passphrase: body.passphrase, confirm: body.passphrase,
                                                                 language: language, chose: APIRequest.acceptLanguage != nil, address: address)
            await throttle.giveBack(address)
            return .created(.init(body: .json(.init(reference: reference))))
        } catch let error as AppError {
            // Only a wrong code counts towards the address's limit.
            if !error.fieldErrors.contains(where: { $0.field == "activationCode" }) { await throttle.giveBack(address) }
            throw error
        }
    }

    func createSurvivorToken(_ input: Operations.CreateSurvivorToken.Input) async throws -> Operations.CreateSurvivorToken.Output {
        let context = try APIRequest.open(.createSurvivorToken)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the reference and passphrase as JSON.") }
        let t = SurvivorText(language: Self.survivorLanguage(context))
        let outcome: SurvivorService.SignInOutcome
        do {
            outcome = try await SurvivorController.signIn(reference: body.reference, passphrase: body.passphrase, kind: .api, survivor: services.survivor,
                                                          hasher: services.auth.hasher, throttle: services.signInThrottle, address: context.clientAddress)
        } catch var error as AppError where error.status == .tooManyRequests {
            error.detail = t("signIn.tooMany", ["minutes": String((error.retryAfter ?? 60) / 60 + 1)])
            throw error
        }
        switch outcome {
        case .invalid, .locked:
            throw AppError(.unauthorized, title: "Sign-in failed", t("signIn.failed"))
        case .signedIn(let token, _):
            return .created(.init(body: .json(.init(token: token, expiresAt: Date().addingTimeInterval(SurvivorService.tokenLifetime)))))
        }
    }

    func listSurvivorConsents(_ input: Operations.ListSurvivorConsents.Input) async throws -> Operations.ListSurvivorConsents.Output {
        let (survivor, context) = try APIRequest.survivor(.listSurvivorConsents)
        let t = SurvivorText(language: survivor.language)
        let consents = try await services.survivor.consents(survivor, address: context.clientAddress)
        return .ok(.init(body: .json(.init(items: consents.others.map { c in
            .init(agencyId: c.agencyID.uuidString, agency: c.agency, purpose: c.purposes.map { t("purpose.\($0.rawValue)") }.joined(separator: "; "),
                  until: c.until.map(\.description))
        }))))
    }

    func withdrawSurvivorConsent(_ input: Operations.WithdrawSurvivorConsent.Input) async throws -> Operations.WithdrawSurvivorConsent.Output {
        let (survivor, context) = try APIRequest.survivor(.withdrawSurvivorConsent)
        guard let agencyID = UUID(uuidString: input.path.agencyId) else {
            throw SurvivorText(language: survivor.language).error(.notFound, "agencyId", "error.noConsent")
        }
        _ = try await services.survivor.withdraw(survivor, agencyID: agencyID, address: context.clientAddress)
        return .noContent(.init())
    }

    func getSurvivorAccessLog(_ input: Operations.GetSurvivorAccessLog.Input) async throws -> Operations.GetSurvivorAccessLog.Output {
        let (survivor, context) = try APIRequest.survivor(.getSurvivorAccessLog)
        let entries = try await services.survivor.accessLog(survivor, address: context.clientAddress)
        return .ok(.init(body: .json(.init(items: entries.map { .init(agency: $0.agency, date: $0.date.description) }))))
    }

    /// The signed-in survivor's language, or the caller's `Accept-Language` before sign-in.
    static func survivorLanguage(_ context: CairnRequestContext) -> PublicLanguage {
        if let survivor = context.survivor { return survivor.language }
        return APIRequest.acceptLanguage.flatMap { header in
            header.split(separator: ",").lazy.compactMap { PublicLanguage(code: String($0.split(separator: ";").first ?? "")) }.first
        } ?? .en
    }
}
