import CairnCore
import FluentKit
import Foundation

/// Who came (counts by sector and agency, or a register of named attendees) and what they
/// answered before and after (anonymous confidence sheets). A refused entry changes nothing;
/// a count below zero or an answer outside 1–5 is a 400 naming the field.
extension TrainingService {
    /// One row of the attendance form: a sector, an agency (optional) and how many came.
    struct CountInput: Sendable {
        var sector = ""
        var agency = ""
        var people = ""
    }

    struct AttendeeInput: Sendable {
        var name = ""
        var agency = ""
        var email = ""
        var sector = ""
    }

    struct SheetInput: Sendable {
        var phase = ""
        var pair = ""
        /// By `ConfidenceQuestion` raw value.
        var answers: [String: String] = [:]
    }

    /// A refusal of input that is malformed rather than merely incomplete: 400 with the fields.
    static func refused(_ errors: [AppError.FieldError]) -> AppError {
        var error = AppError.invalid(errors)
        error.status = .badRequest
        return error
    }

    /// Replaces the session's attendance counts with `rows` (blank rows ignored; all of them
    /// empty clears the counts). Refused for a session that keeps a register.
    func recordAttendance(_ sessionID: UUID, rows: [CountInput], identity: Identity, address: String) async throws {
        try require(identity, .manageTraining)
        var v = Validator()
        var checked: [(Sector, String, Int)] = []
        for (index, row) in rows.enumerated() {
            let sectorText = row.sector.trimmingCharacters(in: .whitespaces), count = row.people.trimmingCharacters(in: .whitespaces)
            let agency = v.text(row.agency, field: "agency-\(index + 1)", label: "Agency in row \(index + 1)", required: false, max: 200)
            if sectorText.isEmpty && count.isEmpty && agency.isEmpty { continue }
            let sector = Sector(rawValue: sectorText)
            if sector == nil { v.add("sector-\(index + 1)", "Choose the sector in row \(index + 1)") }
            var people: Int?
            if count.isEmpty { v.add("people-\(index + 1)", "Enter how many people came in row \(index + 1)") }
            else if count.count <= 7, let n = Int(count) {
                if n < 0 { v.add("people-\(index + 1)", "The number of people in row \(index + 1) cannot be negative") }
                else if n > 100_000 { v.add("people-\(index + 1)", "The number of people in row \(index + 1) must be 100000 or fewer") }
                else { people = n }
            } else { v.add("people-\(index + 1)", "The number of people in row \(index + 1) must be a whole number") }
            if let sector, let people { checked.append((sector, agency, people)) }
        }
        if rows.count > 200 { v.add("sector-1", "Record at most 200 rows at a time") }
        guard v.errors.isEmpty else { throw Self.refused(v.errors) }
        let valid = checked
        try await db.transaction { tx in
            guard try await TrainingSession.find(sessionID, on: tx) != nil else { throw AppError.notFound("session") }
            if try await TrainingAttendee.query(on: tx).filter(\.$sessionID == sessionID).count() > 0 {
                throw AppError.conflict("This session keeps a register of named attendees: its people are counted from the register.", field: "sector-1")
            }
            try await TrainingAttendance.query(on: tx).filter(\.$sessionID == sessionID).delete()
            for (sector, agency, people) in valid {
                let row = TrainingAttendance()
                row.id = UUID()
                row.sessionID = sessionID
                row.sector = sector.rawValue
                row.agency = agency
                row.people = people
                try await row.create(on: tx)
            }
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.attendance.recorded", recordType: "training_session",
                                              recordID: sessionID.uuidString, address: address,
                                              detail: "\(valid.count) rows, \(valid.reduce(0) { $0 + $1.2 }) people"), on: tx)
        }
    }

    /// The session's register (personal data): trainers and coordinators only; the read is audited.
    func register(_ sessionID: UUID, identity: Identity, address: String) async throws -> [TrainingAttendee] {
        try require(identity, .manageTraining)
        guard try await TrainingSession.find(sessionID, on: db) != nil else { throw AppError.notFound("session") }
        let rows = try await TrainingAttendee.query(on: db).filter(\.$sessionID == sessionID).sort(\.$name).all()
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.register.viewed", recordType: "training_session",
                                          recordID: sessionID.uuidString, address: address, detail: "\(rows.count) attendees"))
        return rows
    }

    /// Adds a named attendee. Refused (409) for a session that keeps counts, or when the same
    /// person (same email, or same name and agency) is already on it.
    @discardableResult
    func addAttendee(_ sessionID: UUID, _ input: AttendeeInput, identity: Identity, address: String, now: Date = Date()) async throws -> TrainingAttendee {
        try require(identity, .manageTraining)
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "Name", max: 200)
        let agency = v.text(input.agency, field: "agency", label: "Agency", max: 200)
        let email = v.text(input.email, field: "email", label: "Email", required: false, max: 254)
        if !email.isEmpty, v.message(for: "email") == nil, !(email.contains("@") && !email.contains(" ")) {
            v.add("email", "Enter an email address like name@example.org, or leave it empty")
        }
        let sector = Sector(rawValue: input.sector.trimmingCharacters(in: .whitespaces))
        if sector == nil { v.add("sector", "Choose the attendee’s sector") }
        try v.check()
        guard let sector else { throw AppError.invalid(v.errors) }
        return try await db.transaction { tx in
            guard try await TrainingSession.find(sessionID, on: tx) != nil else { throw AppError.notFound("session") }
            if try await TrainingAttendance.query(on: tx).filter(\.$sessionID == sessionID).count() > 0 {
                throw AppError.conflict("This session records attendance as counts: clear the counts before keeping a register.", field: "name")
            }
            let key = AttendeeIdentity.key(name: name, agency: agency, email: email)
            if try await TrainingAttendee.query(on: tx).filter(\.$sessionID == sessionID).filter(\.$personKey == key).count() > 0 {
                throw AppError.conflict("This person is already on the session’s register.", field: "name")
            }
            let row = TrainingAttendee()
            row.id = UUID()
            row.sessionID = sessionID
            row.name = name
            row.agency = agency
            row.email = email
            row.sector = sector.rawValue
            row.personKey = key
            row.createdAt = now
            try await row.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.attendee.added", recordType: "training_attendee",
                                              recordID: try row.requireID().uuidString, address: address,
                                              detail: "session \(sessionID.uuidString); \(sector.rawValue)"), on: tx)
            return row
        }
    }

    /// Records one anonymous answer sheet. Refused: an answer outside 1–5 or a bad pairing
    /// number (400), or a sheet for the same attendee and phase already entered (409).
    @discardableResult
    func recordSheet(_ sessionID: UUID, _ input: SheetInput, identity: Identity, address: String, now: Date = Date()) async throws -> TrainingResponse {
        try require(identity, .manageTraining)
        var v = Validator()
        let phase = ConfidencePhase(rawValue: input.phase.trimmingCharacters(in: .whitespaces))
        if phase == nil { v.add("phase", "Choose whether the sheet was filled in before or after the session") }
        let pairText = input.pair.trimmingCharacters(in: .whitespaces)
        var pair: Int?
        if pairText.count <= 4, let n = Int(pairText), (1...9999).contains(n) { pair = n }
        else { v.add("pair", "The attendee number must be a whole number from 1 to 9999") }
        var answers: [ConfidenceQuestion: Int] = [:]
        for q in ConfidenceQuestion.allCases {
            let text = (input.answers[q.rawValue] ?? "").trimmingCharacters(in: .whitespaces)
            if text.count <= 2, let n = Int(text), ConfidenceQuestion.scale.contains(n) { answers[q] = n }
            else { v.add(q.rawValue, "Answer “\(q.wording)” from 1 to 5") }
        }
        guard v.errors.isEmpty, let phase, let pair,
              let a = answers[.recogniseSigns], let b = answers[.howToReport], let c = answers[.afterReporting] else { throw Self.refused(v.errors) }
        return try await db.transaction { tx in
            guard try await TrainingSession.find(sessionID, on: tx) != nil else { throw AppError.notFound("session") }
            if try await TrainingResponse.query(on: tx).filter(\.$sessionID == sessionID).filter(\.$phase == phase.rawValue).filter(\.$pair == pair).count() > 0 {
                throw AppError.conflict("Attendee \(pair) already has a sheet from \(phase == .before ? "before" : "after") the session.", field: "pair")
            }
            let row = TrainingResponse()
            row.id = UUID()
            row.sessionID = sessionID
            row.phase = phase.rawValue
            row.pair = pair
            row.recogniseSigns = a
            row.howToReport = b
            row.afterReporting = c
            row.createdAt = now
            try await row.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.feedback.recorded", recordType: "training_session",
                                              recordID: sessionID.uuidString, address: address, detail: "\(phase.rawValue) sheet, attendee \(pair)"), on: tx)
            return row
        }
    }
}

extension TrainingService {
    /// Records a session's sheets together (a trainer's pile entered at once, or the demo), in
    /// one transaction with one audit entry: all or none.
    func recordSheets(_ sessionID: UUID, _ sheets: [ConfidenceSheet], identity: Identity, address: String, now: Date = Date()) async throws {
        try require(identity, .manageTraining)
        var v = Validator()
        for sheet in sheets {
            if !(1...9999).contains(sheet.pair) { v.add("pair", "The attendee number must be a whole number from 1 to 9999") }
            for q in ConfidenceQuestion.allCases where !(sheet.answers[q].map(ConfidenceQuestion.scale.contains) ?? false) {
                v.add(q.rawValue, "Answer “\(q.wording)” from 1 to 5")
            }
        }
        if Set(sheets.map { "\($0.phase.rawValue)-\($0.pair)" }).count != sheets.count { v.add("pair", "Each attendee has one sheet before and one after") }
        guard v.errors.isEmpty else { throw Self.refused(v.errors) }
        try await db.transaction { tx in
            guard try await TrainingSession.find(sessionID, on: tx) != nil else { throw AppError.notFound("session") }
            // The session's sheets already kept, read once: a pile is checked against them whole.
            let kept = Set(try await TrainingResponse.query(on: tx).filter(\.$sessionID == sessionID).field(\.$phase).field(\.$pair).all()
                .map { "\($0.phase)-\($0.pair)" })
            var rows: [TrainingResponse] = []
            for sheet in sheets {
                if kept.contains("\(sheet.phase.rawValue)-\(sheet.pair)") {
                    throw AppError.conflict("Attendee \(sheet.pair) already has a sheet from \(sheet.phase.rawValue) the session.", field: "pair")
                }
                let row = TrainingResponse()
                row.id = UUID()
                row.sessionID = sessionID
                row.phase = sheet.phase.rawValue
                row.pair = sheet.pair
                row.recogniseSigns = sheet.answers[.recogniseSigns] ?? 0
                row.howToReport = sheet.answers[.howToReport] ?? 0
                row.afterReporting = sheet.answers[.afterReporting] ?? 0
                row.createdAt = now
                rows.append(row)
            }
            try await rows.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.feedback.recorded", recordType: "training_session",
                                              recordID: sessionID.uuidString, address: address, detail: "\(sheets.count) sheets"), on: tx)
        }
    }
}
