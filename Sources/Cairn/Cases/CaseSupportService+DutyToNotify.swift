import CairnCore
import FluentKit
import Foundation

/// The anonymous Duty to Notify, for an adult who does not consent to an NRM referral.
extension CaseSupportService {
    struct DutyToNotifyInput: Sendable {
        var notifiedOn = ""
        var exploitationTypes: [String] = []
        var countyLines = false
        var location = ""
        var gender = ""
        var ageBand = ""
        var nationality = ""
        var account = ""
    }

    /// The notices made for the case, oldest first.
    func dutyToNotify(of c: AuthorisedCase) async throws -> [DutyToNotifyRecord] {
        try await CaseDutyToNotify.query(on: db).filter(\.$caseID == c.id).sort(\.$recordedAt).all()
            .compactMap { try? JSONDecoder().decode(DutyToNotifyRecord.self, from: Data($0.record.utf8)) }
    }

    /// Records an anonymous Duty to Notify for an adult who did not consent to an NRM
    /// referral. The record holds no identifying field, and its account is screened for the
    /// person's names and other identifiers.
    func recordDutyToNotify(_ c: AuthorisedCase, _ input: DutyToNotifyInput, address: String, now: Date = Date()) async throws -> DutyToNotifyRecord {
        let identity = c.identity
        var v = Validator()
        let today = Self.today(now)
        let notifiedOn = Self.date(input.notifiedOn.isEmpty ? today.description : input.notifiedOn, field: "notifiedOn", label: "Date notified",
                                   required: true, into: &v)
        if let notifiedOn, notifiedOn > today { v.add("notifiedOn", "The notification date (\(notifiedOn)) is in the future.") }
        var types = Set<ExploitationType>()
        for raw in input.exploitationTypes {
            if let t = ExploitationType(rawValue: raw) { types.insert(t) } else { v.add("exploitationTypes", "Choose types of exploitation from the list.") }
        }
        let location = ExploitationLocation(rawValue: input.location)
        if location == nil { v.add("location", "Choose where the exploitation happened.") }
        let gender = NotifiedGender(rawValue: input.gender)
        if gender == nil { v.add("gender", "Choose a gender, or “unknown”.") }
        let band = AgeBand(rawValue: input.ageBand)
        if band == nil { v.add("ageBand", "Choose an age band, or “unknown”.") }
        let account = v.text(input.account, field: "account", label: "What happened", required: false, max: 4000)
        let nationality = input.nationality.trimmingCharacters(in: .whitespaces)
        let checked = v
        return try await db.transaction { [types] tx in
            var v = checked
            let record = c.record  // opened-on and chosen name are fixed when a case is opened
            let route = try await route(of: c, today: today, on: tx)
            if route != .dutyToNotify { v.add("notifiedOn", "A Duty to Notify is for an adult who does not consent to an NRM referral. " + route.explanation) }
            guard let agency = try await Agency.find(identity.agencyID, on: tx) else { throw AppError.forbidden }
            try v.check()
            let person = try await CaseIdentityRecord.query(on: tx).filter(\.$caseID == c.id).first()
            let names = [record.chosenName, person?.legalName ?? ""].filter { !$0.isEmpty }
            let notice: DutyToNotifyRecord
            do {
                notice = try DutyToNotifyRecord(notifyingAgencyType: agency.agencyType, notifiedOn: try notifiedOn.checked(), exploitationTypes: types,
                                                countyLines: input.countyLines, location: try location.checked(), gender: try gender.checked(), ageBand: try band.checked(),
                                                nationality: nationality.isEmpty ? nil : nationality, account: account, namesToExclude: names)
            } catch let failure as ValidationFailure {
                throw Self.invalid(failure.issues)
            }
            let row = CaseDutyToNotify()
            row.id = UUID()
            row.caseID = c.id
            row.record = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
            row.recordedByID = identity.userID
            row.recordedAt = now
            try await row.create(on: tx)
            try await log(c, "case.dtn.recorded", address, "", on: tx)
            return notice
        }
    }
}
