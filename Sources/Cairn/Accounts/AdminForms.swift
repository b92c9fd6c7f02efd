import CairnCore

/// An agency's form, to add one or change it.
struct AgencyForm: FormInput {
    static let lists: Set<String> = ["services"]
    let name: String?
    let type: String?
    let area: String?
    let firstResponder: Checkbox?
    /// `PartnerService` raw values, one a ticked box.
    let services: [String]?

    /// What the service checks and saves: every field given (an unticked box or no services is a choice).
    var input: AccountService.AgencyInput {
        AccountService.AgencyInput(name: name ?? "", type: type ?? "", firstResponder: firstResponder.isOn, area: area ?? "", services: services ?? [])
    }
}

/// A person's form. The email address and first password are set only when the account is made.
struct UserForm: FormInput {
    static let lists: Set<String> = ["roles"]
    let email: String?
    let displayName: String?
    let agencyId: String?
    let roles: [String]?
    let password: String?

    /// What the service checks and saves; a change (`isNew` false) leaves the email and password alone.
    func input(isNew: Bool) -> AccountService.UserInput {
        AccountService.UserInput(email: isNew ? (email ?? "") : nil, displayName: displayName ?? "", agencyID: agencyId ?? "", roles: roles ?? [],
                                 password: isNew ? (password ?? "") : nil)
    }
}

/// The two-factor policy: the roles that must use it.
struct SecurityForm: FormInput {
    static let lists: Set<String> = ["twoFactorRoles"]
    let twoFactorRoles: [String]?

    /// The roles ticked; a name that is not a role is a 400.
    func roles() throws -> Set<Role> {
        var roles = Set<Role>()
        for name in twoFactorRoles ?? [] {
            guard let role = Role(rawValue: name) else { throw AppError.badRequest("\"\(name.prefix(40))\" is not a role") }
            roles.insert(role)
        }
        return roles
    }
}
