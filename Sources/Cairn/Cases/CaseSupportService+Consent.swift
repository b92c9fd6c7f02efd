import CairnCore
import FluentKit
import Foundation

/// The survivor's consents: what may be shared, with which agencies, for what, and until when.
/// Withdrawal takes effect at once and keeps the record.
extension CaseSupportService {
    struct ConsentInput: Sendable {
        var categories: [String] = []
        var purposes: [String] = []
        var agencies: [String] = []
        var method = ""
        var interpreterLanguage = ""
        var validFrom = ""
        var validUntil = ""
        var nrmConsent = false
        var anonymisedSharing = false
    }

    /// The case's consents, newest first (audited: they name the agencies the survivor trusts).
    func consents(of c: AuthorisedCase, address: String, via: String) async throws -> [CaseConsent] {
        let rows = try await CaseConsent.query(on: db).filter(\.$caseID == c.id).sort(\.$recordedAt, .descending).all()
        try await log(c, "case.consents.viewed", address, via)
        return rows
    }

    /// One consent of a case, or nil (also when it belongs to another case).
    func consent(_ consentID: UUID, of c: AuthorisedCase) async throws -> CaseConsent? {
        try await CaseConsent.query(on: db).filter(\.$id == consentID).filter(\.$caseID == c.id).first()
    }

    /// The consents in force on `today`.
    func activeConsents(of c: AuthorisedCase, today: CalendarDate, on db: (any Database)? = nil) async throws -> [ConsentRecord] {
        try await CaseConsent.query(on: db ?? self.db).filter(\.$caseID == c.id).all().map(\.record).filter { $0.isActive(on: today) }
    }

    func recordConsent(_ c: AuthorisedCase, _ input: ConsentInput, address: String, now: Date = Date()) async throws -> CaseConsent {
        var v = Validator()
        var categories = Set<ConsentDataCategory>()
        for raw in input.categories {
            if let c = ConsentDataCategory(rawValue: raw) { categories.insert(c) } else { v.add("categories", "“\(raw.prefix(40))” is not a kind of information Cairn knows.") }
        }
        var purposes = Set<ConsentPurpose>()
        for raw in input.purposes {
            if let p = ConsentPurpose(rawValue: raw) { purposes.insert(p) } else { v.add("purposes", "“\(raw.prefix(40))” is not a purpose Cairn knows.") }
        }
        let method = ConsentMethod(rawValue: input.method)
        if method == nil { v.add("method", "Choose how the consent was given.") }
        let language = v.text(input.interpreterLanguage, field: "interpreterLanguage", label: "Interpreter's language", required: false, max: 100)
        let from = Self.date(input.validFrom.isEmpty ? Self.today(now).description : input.validFrom, field: "validFrom", label: "The date it starts", required: true, into: &v)
        let until = Self.date(input.validUntil, field: "validUntil", label: "The date it ends", required: false, into: &v)
        let agencyIDs = Set(input.agencies.compactMap(UUID.init(uuidString:)))
        if agencyIDs.count != Set(input.agencies).count { v.add("agencies", "Choose agencies from the list.") }
        let checked = v
        return try await db.transaction { [categories, purposes] tx in
            var v = checked
            let known = try await Agency.query(on: tx).filter(\.$id ~~ agencyIDs).all()
            if known.count != agencyIDs.count { v.add("agencies", "Choose agencies from the list.") }
            if let method, let from {
                let consent = ConsentRecord(categories: categories, purposes: purposes, agencies: Set(agencyIDs.map(\.uuidString)), method: method,
                                            interpreterLanguage: language.isEmpty ? nil : language, validFrom: from, validUntil: until)
                for issue in consent.validate() { v.add(issue.field, issue.message) }
            }
            try v.check()
            let row = CaseConsent()
            row.id = UUID()
            row.caseID = c.id
            row.categories = ConsentDataCategory.allCases.filter(categories.contains).map(\.rawValue).joined(separator: ",")
            row.purposes = ConsentPurpose.allCases.filter(purposes.contains).map(\.rawValue).joined(separator: ",")
            row.agencies = agencyIDs.map(\.uuidString).sorted().joined(separator: ",")
            row.method = try method.checked().rawValue
            row.interpreterLanguage = language.isEmpty ? nil : language
            row.validFrom = try from.checked().description
            row.validUntil = until?.description
            row.nrmConsent = input.nrmConsent
            row.anonymisedSharing = input.anonymisedSharing
            row.recordedByID = c.identity.userID
            row.recordedAt = now
            try await row.create(on: tx)
            _ = try await agreements.record(Self.shares(of: row, from: c.identity.agencyID, on: now), tx)
            try await log(c, "case.consent.recorded", address,
                          "consent \(try row.requireID().uuidString); \(agencyIDs.count) agencies; \(purposes.count) purposes", on: tx)
            return row
        }
    }

    /// Withdrawal takes effect at once: from today the consent permits nothing, so shares
    /// that depend on it stop. The record stays, with its withdrawal date.
    func withdrawConsent(_ c: AuthorisedCase, consentID: UUID, note: String, address: String, now: Date = Date()) async throws -> CaseConsent {
        var v = Validator()
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 500)
        try v.check()
        return try await db.transaction { tx in
            guard let row = try await CaseConsent.query(on: tx).filter(\.$id == consentID).filter(\.$caseID == c.id).first() else {
                throw AppError.notFound("consent")
            }
            if let withdrawn = row.withdrawnOn { throw AppError.conflict("This consent was already withdrawn on \(withdrawn).") }
            var record = row.record
            do { try record.withdraw(on: Self.today(now)) } catch let failure as ValidationFailure { throw Self.invalid(failure.issues) }
            row.withdrawnOn = record.withdrawnOn?.description
            row.withdrawnNote = cleaned
            try await row.save(on: tx)
            try await log(c, "case.consent.withdrawn", address, "consent \(consentID.uuidString)", on: tx)
            return row
        }
    }
}
