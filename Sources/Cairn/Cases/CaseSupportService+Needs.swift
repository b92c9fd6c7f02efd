import CairnCore
import FluentKit
import Foundation

/// The needs assessment: one row per area of need, re-assessed in place.
extension CaseSupportService {
    /// In the order of the assessment's areas.
    func needs(of c: AuthorisedCase) async throws -> [CaseNeed] {
        let rows = try await CaseNeed.query(on: db).filter(\.$caseID == c.id).all()
        let order = Dictionary(uniqueKeysWithValues: NeedDomain.allCases.enumerated().map { ($1.rawValue, $0) })
        return rows.sorted { (order[$0.domain] ?? 99) < (order[$1.domain] ?? 99) }
    }

    func assessNeed(_ c: AuthorisedCase, domain: String, urgency: String, priority: String, note: String, address: String,
                    now: Date = Date()) async throws -> CaseNeed {
        var v = Validator()
        let domainValue = NeedDomain(rawValue: domain)
        if domainValue == nil { v.add("domain", "Choose an area of need from the list.") }
        let urgencyValue = NeedUrgency(rawValue: urgency)
        if urgencyValue == nil { v.add("urgency", "Choose how urgent the need is.") }
        let priorityValue = SurvivorPriority(rawValue: priority)
        if priorityValue == nil { v.add("survivorPriority", "Choose how important it is to them.") }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        try v.check()
        return try await db.transaction { tx in
            let row = try await CaseNeed.query(on: tx).filter(\.$caseID == c.id).filter(\.$domain == (try domainValue.checked().rawValue)).first() ?? CaseNeed()
            if row.id == nil {
                row.id = UUID()
                row.caseID = c.id
                row.domain = try domainValue.checked().rawValue
            }
            row.urgency = try urgencyValue.checked().rawValue
            row.survivorPriority = try priorityValue.checked().rawValue
            row.note = cleaned
            row.assessedOn = Self.today(now).description
            row.updatedByID = c.identity.userID
            try await row.save(on: tx)
            try await log(c, "case.need.assessed", address, "\((try domainValue.checked()).rawValue): \((try urgencyValue.checked()).rawValue)", on: tx)
            return row
        }
    }
}
