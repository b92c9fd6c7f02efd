import CairnCore
import FluentKit
import Foundation

/// Survivor-support cases on a need-to-know basis: only the named case team sees a case;
/// anyone else gets 404. Every view of a case, and each view of the identity, is audited.
public struct CaseService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    /// Cases are opened from reports the caseworker may see, and nothing else.
    let reports: ReportDirectory
    /// What other capabilities keep about a case and forget with it (`CaseErasures`).
    let erasures = CaseErasures()
    var db: any Database { database.db }

    static let noSuchReport = "There is no report with that reference."

    /// What "Open a case" on a report brings into the form: the age group the report records,
    /// if the caseworker may see the report; nothing otherwise (nor for an unknown reference).
    func reportForNewCase(reference: String, identity: Identity) async throws -> (reference: String, ageGroup: String)? {
        guard identity.can(.workCases), let report = try await reports.caseSource(reference: reference, identity: identity) else { return nil }
        return (report.reference, report.ageGroup)
    }

    /// The reference of the report a case came from, if the viewer may see that report.
    func sourceReference(of c: AuthorisedCase) async -> String? {
        guard let reportID = c.record.reportID else { return nil }
        return await reports.caseSource(reportID, identity: c.identity)?.reference
    }

    struct Input: Sendable {
        var chosenName = ""
        var account = ""
        var language = ""
        var interpreterNeeded = false
        var legalName = ""
        var dateOfBirth = ""
        var nationality = ""
        var languages = ""
        var contact = ""
        var reportReference = ""
        var ageGroup = AgeGroup.unknown.rawValue
    }

    static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return "SC-" + ReportReference.generate(using: &generator).value.dropFirst("CRN-".count)
    }

    /// Opens a case; the person opening it is its first team member.
    func open(_ input: Input, identity: Identity, address: String, now: Date = Date()) async throws -> SupportCase {
        guard identity.can(.workCases) else { throw AppError.forbidden }
        var v = Validator()
        let chosen = v.text(input.chosenName, field: "chosenName", label: "The name they chose", max: 100)
        let account = v.text(input.account, field: "account", label: "Their account", required: false, max: 20_000)
        let language = v.text(input.language, field: "language", label: "Language", required: false, max: 100)
        let legal = v.text(input.legalName, field: "legalName", label: "Legal name", required: false, max: 200)
        let dob = v.text(input.dateOfBirth, field: "dateOfBirth", label: "Date of birth", required: false, max: 40)
        let nationality = v.text(input.nationality, field: "nationality", label: "Nationality", required: false, max: 100)
        let languages = v.text(input.languages, field: "languages", label: "Languages", required: false, max: 200)
        let contact = v.text(input.contact, field: "contact", label: "Contact details", required: false, max: 500)
        let age = AgeGroup(rawValue: input.ageGroup)
        if age == nil { v.add("ageGroup", "Choose adult, child, possible child or not known.") }
        if input.interpreterNeeded, language.isEmpty { v.add("language", "Say which language the interpreter is for.") }
        if !dob.isEmpty, (try? CalendarDate(parsing: dob)) == nil {
            v.add("dateOfBirth", "Write the date of birth as YYYY-MM-DD, or leave it empty if it is not known.")
        }
        var reportID: UUID?
        let reference = input.reportReference.trimmingCharacters(in: .whitespaces)
        if !reference.isEmpty {
            // Only a report the caseworker may see; one answer for unknown and not visible.
            if let report = try await reports.caseSource(reference: reference, identity: identity) {
                reportID = report.id
            } else {
                v.add("reportReference", Self.noSuchReport)
            }
        }
        try v.check()
        let fromReport = reportID
        return try await db.transaction { tx in
            let record = SupportCase()
            record.id = UUID()
            var code = Self.newCode()
            while try await SupportCase.query(on: tx).filter(\.$code == code).first() != nil { code = Self.newCode() }
            record.code = code
            record.chosenName = chosen
            record.status = CaseStatus.open.rawValue
            record.riskLevel = RiskLevel.low.rawValue
            record.interpreterNeeded = input.interpreterNeeded
            record.language = language
            record.account = account
            record.leadAgencyID = identity.agencyID
            record.reportID = fromReport
            record.ageGroup = (age ?? .unknown).rawValue
            record.openedAt = now
            record.openedByID = identity.userID
            record.updatedAt = now
            try await record.create(on: tx)
            let person = CaseIdentityRecord()
            person.caseID = try record.requireID()
            person.legalName = legal
            person.dateOfBirth = dob
            person.nationality = nationality
            person.languages = languages
            person.contact = contact
            try await person.create(on: tx)
            try await CaseTeamMember(caseID: try record.requireID(), userID: identity.userID, addedBy: identity.userID, at: now).create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.opened", recordType: "case", recordID: try record.requireID().uuidString,
                                              address: address, detail: fromReport.map { "from report \($0.uuidString)" } ?? ""), on: tx)
            return record
        }
    }

    /// The cases the person is on the team of, newest first.
    func list(identity: Identity, address: String, via: String) async throws -> [SupportCase] {
        guard identity.can(.workCases) else { throw AppError.forbidden }
        let ids = try await CaseTeamMember.query(on: db).filter(\.$userID == identity.userID).all().map(\.caseID)
        let cases = try await SupportCase.query(on: db).filter(\.$id ~~ Set(ids)).sort(\.$openedAt, .descending).all()
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.listed", recordType: "case", address: address,
                                          detail: "\(via); \(cases.count) shown"))
        return cases
    }

    /// The case for its team (`authorise`), audited as a view of the case: the case page, each
    /// of its sub-pages, and the API's reads of a case.
    func view(_ id: UUID, identity: Identity, address: String, via: String) async throws -> AuthorisedCase {
        let c = try await authorise(id, identity: identity)
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.viewed", recordType: "case", recordID: id.uuidString,
                                          address: address, detail: via))
        return c
    }

    func identityDetails(of c: AuthorisedCase, address: String, via: String) async throws -> CaseIdentityRecord {
        guard let person = try await CaseIdentityRecord.query(on: db).filter(\.$caseID == c.id).first() else { throw AppError.notFound("case") }
        try await audit.append(AuditEvent(actor: c.identity.auditActor, action: "case.identity.viewed", recordType: "case", recordID: c.id.uuidString,
                                          address: address, detail: via))
        return person
    }

    struct Member: Sendable {
        let name: String
        let email: String
        let agency: String
    }

    /// A person as a case team member sees them: name, e-mail address and agency.
    func member(_ userID: UUID, on db: (any Database)? = nil) async throws -> Member? {
        guard let user = try await User.query(on: db ?? self.db).filter(\.$id == userID).with(\.$agency).first() else { return nil }
        return Member(name: user.displayName, email: user.email, agency: user.agency.name)
    }

    func team(of c: AuthorisedCase) async throws -> [Member] {
        let members = try await CaseTeamMember.query(on: db).filter(\.$caseID == c.id).sort(\.$addedAt).all()
        var result: [Member] = []
        for member in members {
            if let user = try await User.query(on: db).filter(\.$id == member.userID).with(\.$agency).first() {
                result.append(Member(name: user.displayName, email: user.email, agency: user.agency.name))
            }
        }
        return result
    }

    /// Adds a named caseworker to the team.
    func addMember(to c: AuthorisedCase, email: String, address: String) async throws {
        let id = c.id, identity = c.identity
        try await db.transaction { tx in
            let cleaned = email.trimmingCharacters(in: .whitespaces).lowercased()
            guard let user = try await User.query(on: tx).filter(\.$email == cleaned).first(), !user.disabled else {
                throw AppError.invalid([.init("email", "There is no active account with that email address.")])
            }
            guard AccessPolicy.allows(user.roles, .workCases) else {
                throw AppError.invalid([.init("email", "\(user.displayName) is not a caseworker; only caseworkers can join a case team.")])
            }
            if try await CaseTeamMember.query(on: tx).filter(\.$caseID == id).filter(\.$userID == (try user.requireID())).first() != nil {
                throw AppError.invalid([.init("email", "\(user.displayName) is already on the team.")])
            }
            try await CaseTeamMember(caseID: id, userID: try user.requireID(), addedBy: identity.userID).create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.team.added", recordType: "case", recordID: id.uuidString,
                                              address: address, detail: "user \(try user.requireID().uuidString)"), on: tx)
        }
    }

    /// Closes (with a reason and follow-up plan) or re-opens (with a reason) a case.
    func move(_ c: AuthorisedCase, to status: CaseStatus, reason: String, plan: String, address: String, now: Date = Date()) async throws -> SupportCase {
        let id = c.id, identity = c.identity
        return try await db.transaction { tx in
            let record = try await c.current(on: tx)
            let from = record.caseStatus
            var closure: CaseClosure?
            do {
                if status == .closed {
                    guard let closureReason = ClosureReason(rawValue: reason) else {
                        throw AppError.invalid([.init("reason", "Choose why the case is closing.")])
                    }
                    closure = try CaseClosure(reason: closureReason, followUpPlan: plan, closedOn: CalendarDate(now, in: TimeZone.london))
                }
                _ = try CaseWorkflow.move(from: from, to: status, closure: closure, reopenReason: reason)
            } catch let failure as ValidationFailure {
                throw AppError.invalid(failure.issues.map { .init($0.field, $0.message) })
            }
            record.status = status.rawValue
            if status == .closed {
                record.closedAt = now
                record.closureReason = closure?.reason.rawValue
                record.followUpPlan = closure?.followUpPlan
            } else if from == .closed {
                record.closedAt = nil
            }
            record.updatedAt = now
            try await record.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: status == .closed ? "case.closed" : "case.reopened", recordType: "case",
                                              recordID: id.uuidString, address: address, detail: "\(from.rawValue) → \(status.rawValue)"), on: tx)
            return record
        }
    }
}
