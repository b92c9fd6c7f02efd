import CairnCore
import Foundation
import Hummingbird

/// A person's own account: password, two-factor, signing out everywhere.
struct AccountController {
    let auth: AuthService
    let views: Views

    struct AccountPage: Sendable {
        var displayName: String
        var email: String
        var agencyName: String
        var roles: [String]
        var twoFactor: Bool
        var twoFactorRequired: Bool
        var canRemoveTwoFactor: Bool
        var lastSignIn: String
        var recoveryCodesLeft: Int
        var recoveryCodesLow: Bool
    }

    struct PasswordPage: Sendable {
        var mustChange: Bool
    }

    struct TwoFactorSetupPage: Sendable {
        var secret: String
        var url: String
        /// The otpauth URL as a QR code, an inline SVG drawn here (no user input in it).
        var qr: String
        var required: Bool
        var signingIn: Bool
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(AccountRoute.account, table: table) { request, context, _ in
            let session = try requireSession(context)
            let required = try await auth.twoFactorRequired(for: session.user.roles)
            let codesLeft = session.user.hasTwoFactor ? try await auth.recoveryCodesRemaining(userID: try session.user.requireID()) : 0
            let page = AccountPage(
                displayName: session.user.displayName, email: session.user.email, agencyName: session.agency.name,
                roles: session.user.roles.sorted().map(\.label), twoFactor: session.user.hasTwoFactor, twoFactorRequired: required,
                canRemoveTwoFactor: session.user.hasTwoFactor && !required,
                lastSignIn: session.user.lastSignInAt.map(Format.dateTime) ?? "never",
                recoveryCodesLeft: codesLeft, recoveryCodesLow: session.user.hasTwoFactor && codesLeft <= 3)
            return try views.render("accounts/account", page, title: "Your account", request: request, context: context)
        }
        // Reachable part-way through signing in (a temporary password must be changed first).
        router.addOpen(AccountRoute.password, table: table) { request, context in
            guard let session = context.session else { throw AppError.unauthenticated }
            return try views.render("accounts/password", PasswordPage(mustChange: session.stage == .changePassword),
                                    title: "Change your password", request: request, context: context)
        }
        router.addOpen(AccountRoute.changePassword, table: table) { request, context in
            guard let session = context.session, session.stage == .complete || session.stage == .changePassword else { throw AppError.unauthenticated }
            let form = try await PasswordForm.read(request)
            do {
                let token = try await auth.changePassword(session: session, current: form.current, new: form.password ?? "",
                                                          confirm: form.confirm ?? "", address: context.clientAddress)
                // Changing a temporary password is part of signing in: carry on to the next
                // step, or home; a signed-in person changing theirs goes back to their account.
                let next = try await auth.session(forToken: token)
                let destination = next.map {
                    $0.stage != .complete ? SignInController.pathFor(stage: $0.stage) : (session.stage == .complete ? AccountRoute.account.path : HomeRoute.home.path)
                } ?? HomeRoute.home.path
                var response = Response.seeOther(destination,
                                                 flash: "Your password has been changed. Your other sessions have been signed out.")
                response.setCookie(SignInController.sessionCookie(token, context: context))
                return response
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("accounts/password", PasswordPage(mustChange: session.stage == .changePassword), title: "Change your password",
                                        request: request, context: context, errors: error.fieldErrors, status: .unprocessableContent)
            }
        }
        router.addOpen(AccountRoute.twoFactorSetup, table: table) { request, context in
            guard let session = context.session, session.stage == .complete || session.stage == .twoFactorSetup else { throw AppError.unauthenticated }
            if session.user.hasTwoFactor { return .seeOther(AccountRoute.account.path) }
            return try views.render("accounts/two-factor-setup", try await setupPage(session), title: "Set up two-factor authentication", request: request, context: context)
        }
        router.addOpen(AccountRoute.confirmTwoFactor, table: table) { request, context in
            guard let session = context.session, session.stage == .complete || session.stage == .twoFactorSetup else { throw AppError.unauthenticated }
            let form = try await TwoFactorForm.read(request)
            guard let token = try await auth.confirmTwoFactorSetup(session: session, code: form.code ?? "", address: context.clientAddress) else {
                return try views.render("accounts/two-factor-setup", try await setupPage(session), title: "Set up two-factor authentication", request: request,
                                        context: context, errors: [.init("code", "The code is not right. Check the key was entered correctly and enter the current 6-digit code")],
                                        status: .unprocessableContent)
            }
            // The recovery codes are shown once, on this response, which also carries the new session.
            let codes = try await auth.issueRecoveryCodes(userID: try session.user.requireID(), actor: AuditActor(id: session.user.id, name: session.user.email),
                                                          address: context.clientAddress, reason: "two-factor set up")
            var response = try views.render("accounts/recovery-codes", RecoveryCodesPage(codes: codes, settingUp: true,
                                                                                              next: session.stage == .complete ? AccountRoute.account.path : HomeRoute.home.path),
                                            title: "Save your recovery codes", request: request, context: context)
            response.setCookie(SignInController.sessionCookie(token, context: context))
            return response
        }
        router.add(AccountRoute.removeTwoFactor, table: table) { request, context, _ in
            let session = try requireSession(context)
            try await auth.removeOwnTwoFactor(user: session.user, address: context.clientAddress)
            return .seeOther(AccountRoute.account.path, flash: "Two-factor authentication is now off.")
        }
        addRecoveryCodeRoutes(to: router, table: table)
        router.add(AccountRoute.signOutEverywhere, table: table) { _, context, identity in
            try await auth.signOutEverywhere(userID: identity.userID, actor: identity.auditActor, address: context.clientAddress)
            var response = Response.seeOther(SignInRoute.signIn.path, flash: "You have been signed out on every device.")
            response.setCookie(SignInController.clearedSessionCookie(context: context))
            return response
        }
    }

    func requireSession(_ context: CairnRequestContext) throws -> AuthService.SessionState {
        guard let session = context.session, session.stage == .complete else { throw AppError.unauthenticated }
        return session
    }

    func setupPage(_ session: AuthService.SessionState) async throws -> TwoFactorSetupPage {
        let secret = try await auth.beginTwoFactorSetup(session: session.record)
        let url = AuthService.authenticatorURL(secret: secret, email: session.user.email)
        return TwoFactorSetupPage(secret: AuthService.displaySecret(secret), url: url, qr: TwoFactorQR.svg(url),
                                  required: session.stage == .twoFactorSetup, signingIn: session.stage != .complete)
    }
}
