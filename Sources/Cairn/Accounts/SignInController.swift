import CairnCore
import Foundation
import Hummingbird
import NIOCore

/// Signing in and out, including the two-factor step.
struct SignInController {
    let auth: AuthService
    let views: Views
    let throttle: AddressThrottle
    let demo: Bool

    static func pathFor(stage: AuthService.Stage) -> String {
        switch stage {
        case .complete: HomeRoute.home.path
        case .twoFactor: SignInRoute.twoFactor.path
        case .twoFactorSetup: AccountRoute.twoFactorSetup.path
        case .changePassword: AccountRoute.password.path
        }
    }

    /// Only local paths, so a crafted link cannot send someone elsewhere after signing in.
    static func safeNext(_ next: String?) -> String { LocalRedirect.path(next) ?? HomeRoute.home.path }

    static func sessionCookie(_ token: String, context: CairnRequestContext) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: token, path: "/", secure: context.isSecure, httpOnly: true, sameSite: .lax)
    }

    static func clearedSessionCookie(context: CairnRequestContext) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: context.isSecure, httpOnly: true, sameSite: .lax)
    }

    struct SignInPage: Sendable {
        var email: String
        var next: String
        var demo: Bool
        var demoAccounts: [String]
        var problem: String?
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.addOpen(SignInRoute.signIn, table: table) { request, context in
            if context.identity != nil { return .seeOther(HomeRoute.home.path) }
            return try views.render("accounts/sign-in", page(email: "", next: request.uri.queryParameters["next"].map(String.init) ?? HomeRoute.home.path),
                                    title: "Sign in", request: request, context: context)
        }
        router.addOpen(SignInRoute.submit, table: table) { request, context in
            // Under a flood beyond the hashing queue, answer before doing anything else: the
            // form page costs more to render than the whole of this answer.
            if let busy = auth.hasher.refusal() { return Self.busyResponse(busy) }
            let form = try await SignInForm.read(request)
            let email = String((form.email ?? "").prefix(254))
            let next = Self.safeNext(form.next)
            var v = Validator()
            v.text(form.email, field: "email", label: "Email address", max: 254)
            if (form.password ?? "").isEmpty { v.add("password", "Enter your password") }
            if !v.errors.isEmpty {
                return try views.render("accounts/sign-in", page(email: email, next: next), title: "Sign in", request: request, context: context,
                                        errors: v.errors, status: .unprocessableContent)
            }
            let address = context.clientAddress, password = form.password ?? ""
            let outcome: AuthService.SignInOutcome
            do {
                // A place in the hashing queue first: beyond it a sign-in costs nothing more.
                outcome = try await auth.hasher.admitted { admission in
                    // Counted before the check, so a burst from one address cannot slip past the limit.
                    if let wait = try await throttle.take(address) {
                        throw AppError(.tooManyRequests, title: "Too many attempts",
                                       "There have been too many failed sign-ins from your network. Wait \(wait / 60 + 1) minutes and try again.", retryAfter: wait)
                    }
                    do {
                        return try await auth.signIn(email: email, password: password, address: address, admission: admission)
                    } catch {
                        await throttle.giveBack(address)
                        throw error
                    }
                }
            } catch let busy as PasswordHasher.Busy {
                let error = busy.appError
                var response = try views.render("accounts/sign-in", page(email: email, next: next), title: "Sign in", request: request, context: context,
                                                errors: [.init("email", error.detail)], status: .tooManyRequests)
                response.headers[.retryAfter] = String(busy.retryAfter)
                return response
            }
            switch outcome {
            case .invalid, .locked:
                // The same words and status whether the account is unknown, the password wrong or
                // the account locked, so nobody learns which addresses have accounts.
                return try views.render("accounts/sign-in", page(email: email, next: next), title: "Sign in", request: request, context: context,
                                        errors: [.init("email", failedMessage)], status: .unauthorized)
            case .signedIn(let token, let stage):
                await throttle.giveBack(address)
                var response = Response.seeOther(stage == .complete ? next : Self.pathFor(stage: stage))
                response.setCookie(Self.sessionCookie(token, context: context))
                return response
            }
        }
        router.addOpen(SignInRoute.twoFactor, table: table) { request, context in
            guard let session = context.session, session.stage == .twoFactor else {
                return .seeOther(context.identity == nil ? SignInRoute.signIn.path : HomeRoute.home.path)
            }
            return try views.render("accounts/two-factor", TwoFactorPage(), title: "Enter your security code", request: request, context: context)
        }
        router.addOpen(SignInRoute.verifyTwoFactor, table: table) { request, context in
            guard let session = context.session, session.stage == .twoFactor else { return .seeOther(SignInRoute.signIn.path) }
            let form = try await TwoFactorForm.read(request)
            if let recovery = form.recoveryCode {
                return try await signInWithRecoveryCode(recovery, session: session, request: request, context: context)
            }
            let code = form.code ?? ""
            if code.filter(\.isNumber).count != 6 {
                return try views.render("accounts/two-factor", TwoFactorPage(), title: "Enter your security code", request: request, context: context,
                                        errors: [.init("code", "Enter the 6-digit code from your authenticator app")], status: .unprocessableContent)
            }
            guard let token = try await auth.verifyTwoFactor(session: session, code: code, address: context.clientAddress) else {
                return try views.render("accounts/two-factor", TwoFactorPage(), title: "Enter your security code", request: request, context: context,
                                        errors: [.init("code", "The code is not right, or has already been used. Wait for a new code and try again")], status: .unauthorized)
            }
            var response = Response.seeOther(HomeRoute.home.path)
            response.setCookie(Self.sessionCookie(token, context: context))
            return response
        }
        router.addOpen(SignInRoute.signOut, table: table) { request, context in
            if let session = context.session {
                try await auth.signOut(tokenHash: (try session.record.requireID()), actor: AuditActor(id: session.user.id, name: session.user.email), address: context.clientAddress)
            }
            var response = Response.seeOther(SignInRoute.signIn.path, flash: "You have signed out.")
            response.setCookie(Self.clearedSessionCookie(context: context))
            return response
        }
    }

    /// 429 for a sign-in the hashing queue has no place for: a fixed page, made once.
    static func busyResponse(_ busy: PasswordHasher.Busy) -> Response {
        var response = Response(status: .tooManyRequests, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: busyPage))
        response.headers[.retryAfter] = String(busy.retryAfter)
        return response
    }

    static let busyPage = ByteBuffer(string: """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Too many sign-ins at once – Cairn</title><link rel="stylesheet" href="/assets/cairn.css"></head>
        <body><header class="site-header"><div class="container header-row"><a class="brand" href="\(HomeRoute.home.path)">Cairn</a></div></header>
        <main id="main" class="container"><h1>Too many sign-ins at once</h1>
        <p class="lead">Many people are signing in right now. Wait a few seconds, then <a href="\(SignInRoute.signIn.path)">try again</a>.</p></main></body></html>
        """)

    /// What every failed sign-in says.
    var failedMessage: String {
        "The email address or password is not right. After \(auth.config.lockoutThreshold) failed attempts an account is locked for "
            + "\(auth.config.lockoutMinutes) minutes; an administrator can unlock it by resetting the password."
    }

    func page(email: String, next: String) -> SignInPage {
        SignInPage(email: email, next: Self.safeNext(next), demo: demo,
                   demoAccounts: demo ? DemoPartnership.accounts.map(\.email) : [], problem: nil)
    }

    struct TwoFactorPage: Sendable {}
}
