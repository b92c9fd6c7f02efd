import CairnCore
import FluentKit
import Foundation

/// Consent, needs, the multi-agency care plan, NRM and Duty to Notify, outcomes, contacts and
/// re-exploitation warnings for a case, each in its own file (`CaseSupportService+Consent`,
/// `+Needs`, `+CarePlan`, `+AgencyTasks`, `+NRM`, `+NRMDraft`, `+DutyToNotify`, `+Outcomes`,
/// `+Warnings`, `+Contacts`, `+Figures`). The case team does all of it, and every operation on
/// a case takes the `AuthorisedCase` that `CaseService`'s access check made; an agency that
/// owns a care-plan task sees that task, and what the survivor agreed to share with it, only
/// while the consent stands. Every read and change is audited.
public struct CaseSupportService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let cases: CaseService
    /// What the NRM referral draft shows of the report a case came from.
    let reports: ReportDirectory
    /// The partnership's information-sharing agreements, which shares by consent are checked against.
    var agreements: SharingAgreements = .none
    var db: any Database { database.db }

    static let london = TimeZone.london
    static func today(_ now: Date = Date()) -> CalendarDate { CalendarDate(now, in: london) }

    static func invalid(_ issues: [ValidationIssue]) -> AppError {
        AppError.invalid(issues.map { .init($0.field, $0.message) })
    }

    /// A date field: empty is nil, anything else must be `yyyy-MM-dd`.
    static func date(_ text: String, field: String, label: String, required: Bool, into v: inout Validator) -> CalendarDate? {
        let cleaned = text.trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty {
            if required { v.add(field, "Enter \(label.lowercased()) as YYYY-MM-DD.") }
            return nil
        }
        guard let date = try? CalendarDate(parsing: cleaned) else {
            v.add(field, "Write \(label.lowercased()) as YYYY-MM-DD, for example 2026-03-14.")
            return nil
        }
        return date
    }

    /// An audit entry for a case: what the team member did to it.
    func log(_ c: AuthorisedCase, _ action: String, _ address: String, _ detail: String = "", on db: (any Database)? = nil) async throws {
        try await audit.append(AuditEvent(actor: c.identity.auditActor, action: action, recordType: "case", recordID: c.id.uuidString,
                                          address: address, detail: detail), on: db)
    }
}
