import CairnCore
import FluentKit
import Foundation

/// The NRM referral summary: what the first responder copies into the government's form.
extension CaseSupportService {
    /// The NRM referral drafted from the case, for copying into the government's online form
    /// (which times out after an hour). It holds identity details, so each draft is audited.
    func nrmDraft(_ c: AuthorisedCase, address: String, now: Date = Date()) async throws -> String {
        let record = c.record, identity = c.identity
        let person = try await CaseIdentityRecord.query(on: db).filter(\.$caseID == c.id).first()
        let consents = try await CaseConsent.query(on: db).filter(\.$caseID == c.id).all()
        let today = Self.today(now)
        let route = route(record, consents: consents, today: today)
        guard route == .nrmReferralWithConsent || route == .nrmReferralWithoutConsent else {
            throw AppError(.unprocessableContent, title: "No NRM referral on this route", route.explanation)
        }
        // The report the case came from, as far as the drafter may see it (a referral may
        // share only some of it; someone who may not see it gets none of it).
        var report: NRMReportSummary?
        if let reportID = record.reportID { report = try await reports.nrmSummary(ofReport: reportID, identity: identity) }
        let indicators = report?.indicators.map { "- \($0.text) (\($0.knowledge))" } ?? []
        let nrm = try await CaseNRM.query(on: db).filter(\.$caseID == c.id).first()
        let agency = try await Agency.find(identity.agencyID, on: db)
        var lines: [String] = []
        func section(_ title: String) { lines.append(""); lines.append(title.uppercased()); lines.append(String(repeating: "-", count: title.count)) }
        lines.append("NRM referral draft from Cairn case \(record.code), prepared \(today) by \(identity.displayName)")
        lines.append("Copy each part into the online NRM form. Check every answer with the person first.")
        section("Route")
        lines.append(route.explanation)
        lines.append("Age: \(record.age.label)")
        section("First responder")
        lines.append("Organisation: \(agency?.name ?? "")")
        lines.append("Name: \(identity.displayName)")
        if let nrm { lines.append("Referral date: \(nrm.referralDate)"); if let r = nrm.reference { lines.append("Reference: \(r)") } }
        section("Potential victim")
        lines.append("Name they use: \(record.chosenName)")
        if let person {
            if !person.legalName.isEmpty { lines.append("Legal name: \(person.legalName)") }
            if !person.dateOfBirth.isEmpty { lines.append("Date of birth: \(person.dateOfBirth)") }
            if !person.nationality.isEmpty { lines.append("Nationality: \(person.nationality)") }
            if !person.languages.isEmpty { lines.append("Languages: \(person.languages)") }
            if !person.contact.isEmpty { lines.append("Contact: \(person.contact)") }
        }
        lines.append("Interpreter needed: \(record.interpreterNeeded ? "yes, \(record.language)" : "no")")
        section("Consent")
        if route == .nrmReferralWithoutConsent {
            lines.append("Not needed: they are, or may be, a child.")
        } else if let consent = consents.first(where: { $0.nrmConsent && $0.record.isActive(on: today) }) {
            lines.append("Given \(consent.validFrom), \(ConsentMethod(rawValue: consent.method)?.label.lowercased() ?? consent.method)"
                         + (consent.interpreterLanguage.map { " (\($0))" } ?? "") + ".")
        }
        if let report {
            section("Exploitation")
            lines.append("Types: \(report.types.map(\.label).sorted().joined(separator: ", "))\(report.countyLines ? " (county lines)" : "")")
            lines.append("Where: \(report.location) \(report.postcode ?? "")")
            lines.append("When: \(report.occurred)")
            if !indicators.isEmpty { lines.append("Indicators:"); lines += indicators }
        }
        section("Their account")
        lines.append(record.account.isEmpty ? "(not recorded)" : record.account)
        try await log(c, "case.nrm.drafted", address)
        return lines.joined(separator: "\n") + "\n"
    }
}
