import CairnCore
import Foundation
import HTTPTypes

/// The survivor's own view (`/my`: neutral paths and titles) and the case team's page for it
/// (`/cases/:caseId/survivor-view`).
enum SurvivorRoute: PageRoute {
    case signIn, signInSubmit, activate, activateSubmit
    /// The quick exit: signs out and leaves for a neutral site. A plain link, so it works without JavaScript.
    case exit
    case home, signOut
    case consents, withdrawConfirm(Param<UUID>), withdraw(Param<UUID>), endSupport
    case access, plan, journey, rate, messages, send, information, request
    case settings, safePassphrase, closeConfirm, close
    // The case team.
    case team(Param<UUID>), offer(Param<UUID>), suspend(Param<UUID>), resume(Param<UUID>), endConfirm(Param<UUID>), end(Param<UUID>)
    case reply(Param<UUID>), requestDone(Param<UUID>, Param<UUID>)

    static let endpoints: [SurvivorRoute] = [
        .signIn, .signInSubmit, .activate, .activateSubmit, .exit, .home, .signOut,
        .consents, .withdrawConfirm(.key), .withdraw(.key), .endSupport,
        .access, .plan, .journey, .rate, .messages, .send, .information, .request,
        .settings, .safePassphrase, .closeConfirm, .close,
        .team(.key), .offer(.key), .suspend(.key), .resume(.key), .endConfirm(.key), .end(.key), .reply(.key), .requestDone(.key, .key),
    ]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method {
        switch self {
        case .signInSubmit, .activateSubmit, .signOut, .withdraw, .endSupport, .rate, .send, .request, .safePassphrase, .close,
             .offer, .suspend, .resume, .end, .reply, .requestDone: .post
        default: .get
        }
    }

    var path: String {
        switch self {
        case .signIn, .signInSubmit: "/my/sign-in"
        case .activate, .activateSubmit: "/my/activate"
        case .exit: "/my/exit"
        case .home: "/my"
        case .signOut: "/my/sign-out"
        case .consents: "/my/consents"
        case .withdrawConfirm(let id), .withdraw(let id): "/my/consents/\(id.segment(.agencyId))/withdraw"
        case .endSupport: "/my/consents/end-support"
        case .access: "/my/access"
        case .plan: "/my/plan"
        case .journey, .rate: "/my/journey"
        case .messages, .send: "/my/messages"
        case .information: "/my/information"
        case .request: "/my/information/requests"
        case .settings: "/my/settings"
        case .safePassphrase: "/my/settings/safe-passphrase"
        case .closeConfirm, .close: "/my/settings/close"
        case .team(let id): "/cases/\(id.segment(.caseId))/survivor-view"
        case .offer(let id): "/cases/\(id.segment(.caseId))/survivor-view/offer"
        case .suspend(let id): "/cases/\(id.segment(.caseId))/survivor-view/suspend"
        case .resume(let id): "/cases/\(id.segment(.caseId))/survivor-view/resume"
        case .endConfirm(let id), .end(let id): "/cases/\(id.segment(.caseId))/survivor-view/end"
        case .reply(let id): "/cases/\(id.segment(.caseId))/survivor-view/messages"
        case .requestDone(let id, let request): "/cases/\(id.segment(.caseId))/survivor-view/requests/\(request.segment(.requestId))/done"
        }
    }

    var permission: Permission {
        switch self {
        case .signIn, .signInSubmit, .activate, .activateSubmit, .exit: .everyone
        case .team, .offer, .suspend, .resume, .endConfirm, .end, .reply, .requestDone: .workCases
        default: .survivor
        }
    }

    /// Pages of the survivor's own view (the case team's pages are ordinary staff pages).
    var isSurvivorPage: Bool { path.hasPrefix("/my") }
}

struct SurvivorSignInForm: FormInput {
    let reference: String?
    let passphrase: String?
    let lang: String?
}

struct SurvivorActivateForm: FormInput {
    let activationCode: String?
    let passphrase: String?
    let confirm: String?
    let lang: String?
    /// "1" when the survivor picked the page's language.
    let chosen: String?
}

struct SurvivorRatingForm: FormInput {
    let point: String?
    let secure_suitable_housing: String?
    let safety_from_abusers: String?
    let long_term_consistent_support: String?
    let trauma_informed_services: String?
    let purpose_and_self_actualisation: String?
    let medical_treatment: String?
    let education: String?

    var ratings: [String: String] {
        var values: [String: String] = [:]
        let pairs: [(CoreOutcome, String?)] = [
            (.secureSuitableHousing, secure_suitable_housing), (.safetyFromAbusers, safety_from_abusers),
            (.longTermConsistentSupport, long_term_consistent_support), (.traumaInformedServices, trauma_informed_services),
            (.purposeAndSelfActualisation, purpose_and_self_actualisation), (.medicalTreatment, medical_treatment), (.education, education),
        ]
        for (outcome, value) in pairs { if let value, !value.isEmpty { values[outcome.rawValue] = value } }
        return values
    }
}

struct SurvivorMessageForm: FormInput {
    let body: String?
    let interpreter: String?
    let language: String?
}

struct SurvivorRequestForm: FormInput {
    let kind: String?
    let detail: String?
}

struct SurvivorPassphraseForm: FormInput {
    let safePassphrase: String?
    let confirm: String?
}

struct SurvivorReplyForm: FormInput {
    let body: String?
}

struct SurvivorOfferForm: FormInput {
    let language: String?
}
