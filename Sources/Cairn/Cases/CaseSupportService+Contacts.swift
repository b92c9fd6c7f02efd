import CairnCore
import FluentKit
import Foundation

/// The contact log: contacts planned with the survivor and what became of them. When a
/// contact is recorded as missed and the one before it (that took place or was missed) was
/// missed too, Cairn records a "missed contacts" warning sign itself, which re-assesses the
/// risk and alerts the case team.
extension CaseSupportService {
    /// Newest first.
    func contacts(of c: AuthorisedCase) async throws -> [CaseContact] {
        try await CaseContact.query(on: db).filter(\.$caseID == c.id).all()
            .sorted { ($0.plannedOn, $0.updatedAt) > ($1.plannedOn, $1.updatedAt) }
    }

    /// Plans a contact (any date from the case's opening to a year ahead); a past date may be
    /// recorded with what happened at once.
    func planContact(_ c: AuthorisedCase, date: String, method: String, status: String = "planned", note: String,
                     address: String, now: Date = Date()) async throws -> CaseContact {
        var v = Validator()
        let today = Self.today(now)
        let day = Self.date(date, field: "plannedOn", label: "Date", required: true, into: &v)
        if let day, day > today.adding(days: 366) { v.add("plannedOn", "Plan contacts up to a year ahead.") }
        let contactMethod = ContactMethod(rawValue: method)
        if contactMethod == nil { v.add("method", "Choose how the contact will be made.") }
        let contactStatus = ContactStatus(rawValue: status.isEmpty ? "planned" : status)
        if contactStatus == nil { v.add("status", "Choose what happened: planned, took place, missed or cancelled.") }
        if let day, let contactStatus, contactStatus == .attended || contactStatus == .missed, day > today {
            v.add("status", "A contact on \(day) has not happened yet; record it as planned.")
        }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        let checked = v
        let row = try await db.transaction { tx -> CaseContact in
            var v = checked
            let record = c.record  // opened-on and chosen name are fixed when a case is opened
            if let day, day < CalendarDate(record.openedAt, in: Self.london) {
                v.add("plannedOn", "That is before the case was opened (\(CalendarDate(record.openedAt, in: Self.london))).")
            }
            try v.check()
            let row = CaseContact()
            row.id = UUID()
            row.caseID = c.id
            row.plannedOn = try day.checked().description
            row.method = try contactMethod.checked().rawValue
            row.status = try contactStatus.checked().rawValue
            row.note = cleaned
            row.recordedByID = c.identity.userID
            row.updatedAt = now
            try await row.create(on: tx)
            try await log(c, "case.contact.recorded", address, "\(row.method) \(row.status)", on: tx)
            return row
        }
        if row.contactStatus == .missed { try await detectMissedContacts(c, now: now) }
        return row
    }

    /// Records what became of a contact.
    func updateContact(_ c: AuthorisedCase, contactID: UUID, status: String, note: String, address: String,
                       now: Date = Date()) async throws -> CaseContact {
        var v = Validator()
        let contactStatus = ContactStatus(rawValue: status)
        if contactStatus == nil { v.add("status", "Choose what happened: planned, took place, missed or cancelled.") }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        let checked = v
        let row = try await db.transaction { tx -> CaseContact in
            var v = checked
            guard let row = try await CaseContact.query(on: tx).filter(\.$id == contactID).filter(\.$caseID == c.id).first() else {
                throw AppError.notFound("contact")
            }
            if let contactStatus, contactStatus == .attended || contactStatus == .missed,
               let day = try? CalendarDate(parsing: row.plannedOn), day > Self.today(now) {
                v.add("status", "The contact on \(day) has not happened yet.")
            }
            try v.check()
            row.status = try contactStatus.checked().rawValue
            if !cleaned.isEmpty { row.note = cleaned }
            row.recordedByID = c.identity.userID
            row.updatedAt = now
            try await row.save(on: tx)
            try await log(c, "case.contact.recorded", address, row.status, on: tx)
            return row
        }
        if row.contactStatus == .missed { try await detectMissedContacts(c, now: now) }
        return row
    }

    /// Two missed in a row (counting only contacts that took place or were missed, by date):
    /// a warning sign recorded by Cairn.
    private func detectMissedContacts(_ c: AuthorisedCase, now: Date) async throws {
        let held = try await contacts(of: c).filter { $0.contactStatus == .attended || $0.contactStatus == .missed }
        guard held.count >= 2, held[0].contactStatus == .missed, held[1].contactStatus == .missed else { return }
        var streak = 0
        for contact in held { if contact.contactStatus == .missed { streak += 1 } else { break } }
        _ = try await recordDetectedWarning(c.forCairn, sign: WarningSign.missedContacts.rawValue, observedOn: held[0].plannedOn,
                                            note: "\(streak) planned contacts in a row were missed (the latest on \(Format.day(held[0].plannedOn))).",
                                            address: "system", now: now)
    }
}
