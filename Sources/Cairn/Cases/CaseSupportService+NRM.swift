import CairnCore
import FluentKit
import Foundation

/// The case's NRM route (from age and consent) and its National Referral Mechanism record.
extension CaseSupportService {
    /// Which route the case must take today, from the survivor's age and the consents stored:
    /// what the NRM page and the API show, and what a referral or a Duty to Notify must follow.
    func route(of c: AuthorisedCase, today: CalendarDate, on db: (any Database)? = nil) async throws -> NRMRoute {
        route(c.record, consents: try await CaseConsent.query(on: db ?? self.db).filter(\.$caseID == c.id).all(), today: today)
    }

    /// The route from the survivor's age and whether an adult's consent to a referral is in force.
    func route(_ record: SupportCase, consents: [CaseConsent], today: CalendarDate) -> NRMRoute {
        let agreed = consents.contains { $0.nrmConsent && $0.record.isActive(on: today) }
        return NRMRoute.route(for: record.age, adultConsents: agreed)
    }

    func nrm(of c: AuthorisedCase) async throws -> CaseNRM? {
        try await CaseNRM.query(on: db).filter(\.$caseID == c.id).first()
    }

    struct NRMInput: Sendable {
        var referralDate = ""
        var firstResponder = ""
        var reference = ""
        var competentAuthority = ""
        var rgDecision = ""
        var rgDate = ""
        var cgDecision = ""
        var cgDate = ""
        var reconsiderationOf = ""
        var reconsiderationRequested = ""
    }

    func saveNRM(_ c: AuthorisedCase, _ input: NRMInput, address: String, now: Date = Date()) async throws -> CaseNRM {
        var v = Validator()
        let today = Self.today(now)
        let referralDate = Self.date(input.referralDate, field: "referralDate", label: "Referral date", required: true, into: &v)
        let responder = v.text(input.firstResponder, field: "firstResponder", label: "First responder organisation", max: 200)
        let reference = v.text(input.reference, field: "reference", label: "NRM reference", required: false, max: 60)
        var authority: CompetentAuthority?
        if !input.competentAuthority.isEmpty {
            authority = CompetentAuthority(rawValue: input.competentAuthority)
            if authority == nil { v.add("competentAuthority", "Choose the competent authority from the list.") }
        }
        func decision(_ kind: String, _ date: String, field: String, label: String) -> NRMDecisionRecord? {
            let day = Self.date(date, field: field + "Date", label: label + " date", required: !kind.isEmpty, into: &v)
            if kind.isEmpty {
                if day != nil { v.add(field + "Decision", "Choose the \(label.lowercased()) decision, or clear its date.") }
                return nil
            }
            guard let value = NRMDecision(rawValue: kind) else { v.add(field + "Decision", "Choose positive or negative."); return nil }
            return day.map { NRMDecisionRecord(value, on: $0) }
        }
        let authorityChoice = authority
        let rg = decision(input.rgDecision, input.rgDate, field: "rg", label: "Reasonable-grounds")
        let cg = decision(input.cgDecision, input.cgDate, field: "cg", label: "Conclusive-grounds")
        let checked = v
        return try await db.transaction { tx in
            var v = checked
            let route = try await route(of: c, today: today, on: tx)
            if route == .dutyToNotify || route == .establishAgeFirst {
                v.add("referralDate", route.explanation)
            }
            let existing = try await CaseNRM.query(on: tx).filter(\.$caseID == c.id).first()
            var reconsiderations = existing?.referral.reconsiderations ?? []
            if !input.reconsiderationOf.isEmpty {
                if let kind = NRMDecisionKind(rawValue: input.reconsiderationOf),
                   let day = Self.date(input.reconsiderationRequested, field: "reconsiderationRequested", label: "Date reconsideration was requested",
                                       required: true, into: &v) {
                    reconsiderations.append(ReconsiderationRequest(of: kind, requestedOn: day))
                } else if NRMDecisionKind(rawValue: input.reconsiderationOf) == nil {
                    v.add("reconsiderationOf", "Choose which decision is to be reconsidered.")
                }
            }
            if let referralDate {
                let referral = NRMReferral(referralDate: referralDate, firstResponderOrganisation: responder, reference: reference.isEmpty ? nil : reference,
                                           competentAuthority: authorityChoice, reasonableGrounds: rg, conclusiveGrounds: cg, reconsiderations: reconsiderations)
                for issue in referral.validate(today: today) { v.add(issue.field, issue.message) }
            }
            try v.check()
            let row = existing ?? CaseNRM()
            if row.id == nil {
                row.id = UUID()
                row.caseID = c.id
            }
            row.referralDate = try referralDate.checked().description
            row.firstResponder = responder
            row.reference = reference.isEmpty ? nil : reference
            row.competentAuthority = authorityChoice?.rawValue
            row.rgDecision = rg?.decision.rawValue
            row.rgDate = rg?.date.description
            row.cgDecision = cg?.decision.rawValue
            row.cgDate = cg?.date.description
            row.reconsiderations = String(decoding: try JSONEncoder().encode(reconsiderations), as: UTF8.self)
            row.updatedByID = c.identity.userID
            row.updatedAt = now
            try await row.save(on: tx)
            try await log(c, existing == nil ? "case.nrm.recorded" : "case.nrm.updated", address,
                          "stage \(row.referral.stage.rawValue)", on: tx)
            return row
        }
    }
}
