import Foundation
import Hummingbird
import QRCode

/// The recovery-code pages: shown once at set-up and on regeneration; used at sign-in.
extension AccountController {
    struct RecoveryCodesPage: Sendable {
        var codes: [String]
        var settingUp: Bool
        var next: String
    }

    func addRecoveryCodeRoutes(to router: AppRouter, table: RouteTable) {
        // Regenerating replaces every code; the page that shows them is the POST's answer.
        router.add(AccountRoute.recoveryCodes, table: table) { request, context, identity in
            guard identity.hasTwoFactor else {
                return .seeOther(AccountRoute.account.path, flash: "Set up two-factor authentication first: recovery codes come with it.")
            }
            let codes = try await auth.issueRecoveryCodes(userID: identity.userID, actor: identity.auditActor,
                                                          address: context.clientAddress, reason: "regenerated; earlier codes no longer work")
            return try views.render("accounts/recovery-codes", RecoveryCodesPage(codes: codes, settingUp: false, next: AccountRoute.account.path),
                                    title: "Your new recovery codes", request: request, context: context)
        }
    }
}

extension SignInController {
    struct RecoveryPage: Sendable {
        var recoveryOpen = true
    }

    func signInWithRecoveryCode(_ code: String, session: AuthService.SessionState, request: Request, context: CairnRequestContext) async throws -> Response {
        guard RecoveryCodes.normalise(code) != nil else {
            return try views.render("accounts/two-factor", RecoveryPage(), title: "Enter your security code", request: request, context: context,
                                    errors: [.init("recoveryCode", "Enter a recovery code: 12 letters and numbers, for example 7K4P-Q2MX-9ABC")],
                                    status: .unprocessableContent)
        }
        guard let (token, remaining) = try await auth.verifyRecoveryCode(session: session, code: code, address: context.clientAddress) else {
            return try views.render("accounts/two-factor", RecoveryPage(), title: "Enter your security code", request: request, context: context,
                                    errors: [.init("recoveryCode", "That recovery code is not right, or has already been used")], status: .unauthorized)
        }
        let left = remaining == 1 ? "1 recovery code left" : "\(remaining) recovery codes left"
        let advice = remaining <= 3 ? " Make new ones from your account page." : ""
        var response = Response.seeOther(HomeRoute.home.path, flash: "You signed in with a recovery code. It cannot be used again: you have \(left).\(advice)")
        response.setCookie(Self.sessionCookie(token, context: context))
        return response
    }
}

/// The otpauth URL drawn as a QR code for the set-up page.
enum TwoFactorQR {
    static func svg(_ url: String) -> String {
        // An otpauth URL is far below the 2,331 bytes a symbol holds; nothing to draw otherwise.
        guard let code = try? QRCode(text: url) else { return "" }
        return code.svg(title: "QR code: scan it with your authenticator app to add Cairn", moduleSize: 4, id: "totp-qr")
    }
}
