import CairnCore
import FluentKit
import Foundation

/// Re-exploitation warning signs, the risk they add up to, and the alerts that tell the case
/// team. A sign is recorded by a member of the team, or by Cairn itself when it detects one
/// (two missed contacts in a row, a new report linked to the one the case came from).
extension CaseSupportService {
    /// Newest first.
    func warnings(of c: AuthorisedCase) async throws -> [CaseWarning] {
        try await CaseWarning.query(on: db).filter(\.$caseID == c.id).sort(\.$observedOn, .descending).all()
    }

    /// Records a warning sign the team saw, re-assesses the case's risk and alerts the rest of the team.
    func recordWarning(_ c: AuthorisedCase, sign: String, observedOn: String, note: String, address: String,
                       now: Date = Date()) async throws -> (CaseWarning, ReexploitationRisk) {
        try await recordWarning(c.id, by: c.identity, sign: sign, observedOn: observedOn, note: note, address: address, now: now)
    }

    /// Records a warning sign Cairn detected, re-assesses the case's risk and alerts the whole team.
    func recordDetectedWarning(_ c: CairnCase, sign: String, observedOn: String, note: String, address: String,
                               now: Date = Date()) async throws -> (CaseWarning, ReexploitationRisk) {
        try await recordWarning(c.id, by: nil, sign: sign, observedOn: observedOn, note: note, address: address, now: now)
    }

    /// `identity` nil: Cairn itself. Reached only through the two above, which hold the case's check.
    private func recordWarning(_ caseID: UUID, by identity: Identity?, sign: String, observedOn: String, note: String, address: String,
                               now: Date) async throws -> (CaseWarning, ReexploitationRisk) {
        var v = Validator()
        let warning = WarningSign(rawValue: sign)
        if warning == nil { v.add("sign", "Choose the warning sign.") }
        if let warning, warning.isDetectedOnly, identity != nil { v.add("sign", "“\(warning.label)” is recorded by Cairn itself, not by hand.") }
        let today = Self.today(now)
        let day = Self.date(observedOn.isEmpty ? today.description : observedOn, field: "observedOn", label: "Date seen", required: true, into: &v)
        if let day, day > today { v.add("observedOn", "The date (\(day)) is in the future.") }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        let checked = v
        return try await db.transaction { tx in
            var v = checked
            guard let record = try await SupportCase.find(caseID, on: tx) else { throw AppError.notFound("case") }
            if let day, day < CalendarDate(record.openedAt, in: Self.london).adding(days: -365) {
                v.add("observedOn", "That is more than a year before the case was opened.")
            }
            try v.check()
            let row = CaseWarning()
            row.id = UUID()
            row.caseID = caseID
            row.sign = try warning.checked().rawValue
            row.observedOn = try day.checked().description
            row.note = cleaned
            row.recordedByID = identity?.userID
            row.recordedAt = now
            try await row.create(on: tx)
            let signs = try await CaseWarning.query(on: tx).filter(\.$caseID == caseID).all().compactMap(\.recorded)
            let risk = ReexploitationRisk.assess(signs, on: today)
            let before = record.risk
            record.riskLevel = risk.level.rawValue
            record.updatedAt = now
            try await record.save(on: tx)
            let riskText = risk.level == before ? "Risk stays \(risk.level.rawValue)." : "Risk now \(risk.level.rawValue) (was \(before.rawValue))."
            try await notifyTeam(caseID, except: identity?.userID, on: tx, now: now,
                                 message: "Warning sign on case \(record.code): \((try warning.checked()).label). \(riskText)")
            try await audit.append(AuditEvent(actor: identity?.auditActor ?? .system, action: "case.warning.recorded", recordType: "case",
                                              recordID: caseID.uuidString, address: address,
                                              detail: "\((try warning.checked()).rawValue); risk \(before.rawValue) → \(risk.level.rawValue)"), on: tx)
            return (row, risk)
        }
    }

    /// An in-app notice to each member of the case team but `except`: it shows on the case
    /// page and in each member's work queue until they mark it read.
    func notifyTeam(_ caseID: UUID, except: UUID?, on db: any Database, now: Date, message: String) async throws {
        for member in try await CaseTeamMember.query(on: db).filter(\.$caseID == caseID).all() where member.userID != except {
            let alert = CaseAlert()
            alert.id = UUID()
            alert.caseID = caseID
            alert.userID = member.userID
            alert.message = message
            alert.createdAt = now
            try await alert.create(on: db)
        }
    }

    /// The person's unread alerts, newest first.
    func alerts(identity: Identity) async throws -> [CaseAlert] {
        guard identity.can(.workCases) else { return [] }
        return try await CaseAlert.query(on: db).filter(\.$userID == identity.userID).filter(\.$readAt == nil).sort(\.$createdAt, .descending).all()
    }

    func dismissAlert(_ alertID: UUID, identity: Identity, address: String, now: Date = Date()) async throws {
        guard let alert = try await CaseAlert.query(on: db).filter(\.$id == alertID).filter(\.$userID == identity.userID).first() else {
            throw AppError.notFound("alert")
        }
        alert.readAt = now
        try await alert.save(on: db)
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.alert.read", recordType: "case", recordID: alert.caseID.uuidString,
                                          address: address, detail: ""))
    }
}
