import CairnCore
import FluentKit
import HTTPTypes
import Foundation

/// A survivor signed in to their own view of their case, by reference and passphrase. It
/// carries no role: staff pages and operations see no identity and answer 401 or 403.
public struct SurvivorIdentity: Sendable {
    public enum Kind: String, Sendable {
        case browser
        case api
    }

    let accountID: UUID
    let caseID: UUID
    /// Opened with the safe passphrase: only the harmless view (appointments).
    let safe: Bool
    let language: PublicLanguage
    /// The stored hash of the session cookie or token.
    let sessionHash: String
    let csrfToken: String
    let kind: Kind

    /// In the audit log: the survivor's account, never their name.
    var auditActor: AuditActor { AuditActor(id: accountID, name: "survivor view") }
}

/// The survivor's own view of their case (`Survivor/`): the account a caseworker offers
/// (`+Team`), activation and sign-in (`+SignIn`), and what the survivor sees and does
/// (`+View`, `+Messages`). It reads and changes the case only through `CaseSurvivorView`.
/// Every sign-in, view and change is audited against the case; staff names never reach the
/// survivor (the access log shows agencies).
struct SurvivorService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let cases: CaseSurvivorView
    let hasher: PasswordHasher
    let lockout: AccountLockout
    var db: any Database { database.db }

    /// A code is handed over in person and must be used within 72 hours.
    static let codeLifetime: TimeInterval = 72 * 3600
    /// Signed out after 10 minutes without a request, and after 4 hours in any case.
    static let idleTimeout: TimeInterval = 10 * 60
    static let browserLifetime: TimeInterval = 4 * 3600
    /// An API token is short-lived.
    static let tokenLifetime: TimeInterval = 30 * 60
    static let minPassphrase = 10
    static let maxPassphrase = 200
    static let maxMessage = 2000
    static let maxRequest = 2000
    static let maxLanguage = 60

    init(database: CairnDatabase, audit: AuditLog, cases: CaseSurvivorView, hasher: PasswordHasher, lockoutThreshold: Int, lockoutMinutes: Int) {
        self.database = database
        self.audit = audit
        self.cases = cases
        self.hasher = hasher
        lockout = AccountLockout(database: database, threshold: lockoutThreshold, minutes: lockoutMinutes, table: SurvivorAccount.schema)
    }

    static let london = TimeZone.london
    static func today(_ now: Date = Date()) -> CalendarDate { CalendarDate(now, in: london) }

    /// An audit entry against the case, by the survivor.
    func log(_ s: SurvivorIdentity, _ action: String, _ address: String, _ detail: String = "", on db: (any Database)? = nil) async throws {
        try await audit.append(AuditEvent(actor: s.auditActor, action: action, recordType: "case", recordID: s.caseID.uuidString,
                                          address: address, detail: detail + (s.kind == .api ? (detail.isEmpty ? "api" : "; api") : "")), on: db)
    }

    /// The account of a case's view (the demo signs Andrei in through it).
    func accountID(caseID: UUID) async throws -> UUID {
        guard let account = try await SurvivorAccount.query(on: db).filter(\.$caseID == caseID).first() else { throw AppError.notFound("survivor view") }
        return try account.requireID()
    }

    /// The account behind a signed-in survivor, while the view is active.
    func account(_ s: SurvivorIdentity, on db: (any Database)? = nil) async throws -> SurvivorAccount {
        guard let account = try await SurvivorAccount.find(s.accountID, on: db ?? self.db), account.viewStatus == .active else {
            throw AppError.unauthenticated
        }
        return account
    }
}

/// The survivor's pages' words, from the public form's catalogue (`PublicReportText`,
/// `survivor.*` keys), in the survivor's language.
struct SurvivorText: Sendable {
    let language: PublicLanguage

    func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        PublicReportText.format("survivor." + key, in: language, values: values)
    }

    /// A 4xx whose message is in the survivor's language.
    func invalid(_ field: String, _ key: String, _ values: [String: String] = [:]) -> AppError {
        AppError.invalid([.init(field, self(key, values))])
    }

    func error(_ status: HTTPResponse.Status, _ field: String?, _ key: String, _ values: [String: String] = [:]) -> AppError {
        let message = self(key, values)
        return AppError(status, message, fieldErrors: field.map { [.init($0, message)] } ?? [])
    }

    /// Every template key of the survivor's pages (`survivor_title_plan`…), for Mustache.
    var all: [String: String] {
        var texts: [String: String] = [:]
        for key in PublicReportText.keys where key.hasPrefix("survivor.") {
            texts[String(key.dropFirst("survivor.".count)).replacingOccurrences(of: ".", with: "_")] = PublicReportText.text(key, in: language)
        }
        return texts
    }

    /// The problems with a passphrase a survivor chose, in their language.
    func passphraseProblems(_ passphrase: String, confirm: String, field: String, other: String? = nil) -> [AppError.FieldError] {
        var problems: [AppError.FieldError] = []
        let count = passphrase.count
        if count < SurvivorService.minPassphrase {
            problems.append(.init(field, self("error.passphraseShort", ["min": String(SurvivorService.minPassphrase)])))
        } else if count > SurvivorService.maxPassphrase {
            problems.append(.init(field, self("error.passphraseLong", ["max": String(SurvivorService.maxPassphrase)])))
        } else if CommonPasswords.isCommon(passphrase) {
            problems.append(.init(field, self("error.passphraseCommon")))
        } else if passphrase.unicodeScalars.contains(where: Validator.isDisallowedControl) {
            problems.append(.init(field, self("error.passphraseCommon")))
        }
        if let other, !other.isEmpty, other == passphrase { problems.append(.init(field, self("error.passphraseSame"))) }
        if passphrase != confirm { problems.append(.init("confirm", self("error.passphraseMismatch"))) }
        return problems
    }
}
