/// The sign-in form. Every field may be missing: the page says what to enter.
struct SignInForm: FormInput {
    let email: String?
    let password: String?
    /// Where to go afterwards (a local path only: `SignInController.safeNext`).
    let next: String?
}

/// A 6-digit code from the authenticator app: at the two-factor step of signing in, or (at
/// `/account/two-factor`) the first one, which confirms set-up. At the sign-in step the form
/// below it sends a recovery code instead; a form with `recoveryCode` in it, even empty, is
/// that one.
struct TwoFactorForm: FormInput {
    let code: String?
    let recoveryCode: String?
}

/// Changing one's password (also a step of signing in, for a temporary one); `current` is not
/// asked while changing a temporary password.
struct PasswordForm: FormInput {
    let current: String?
    let password: String?
    let confirm: String?
}
