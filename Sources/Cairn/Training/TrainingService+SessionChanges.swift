import CairnCore
import FluentKit
import Foundation

/// Changing a session after it was recorded: editing its details (the same checks as a new
/// one), deleting it with everything recorded for it, and taking a person off its register.
extension TrainingService {
    /// The input that fills the edit form with a session as stored.
    func sessionInput(for id: UUID, identity: Identity) async throws -> SessionInput {
        try require(identity, .manageTraining)
        guard let s = try await TrainingSession.find(id, on: db) else { throw AppError.notFound("session") }
        return SessionInput(courseID: s.courseID.uuidString, heldOn: s.heldOn, trainerAgencyID: s.trainerAgencyID.uuidString, delivery: s.delivery,
                            area: s.area, language: s.language)
    }

    /// Saves an edited session: its course, date, trainer agency, delivery, area and language.
    @discardableResult
    func updateSession(_ id: UUID, _ input: SessionInput, identity: Identity, address: String, now: Date = Date()) async throws -> TrainingSession {
        try require(identity, .manageTraining)
        return try await db.transaction { tx in
            guard let session = try await TrainingSession.find(id, on: tx) else { throw AppError.notFound("session") }
            let (course, heldOn, agency, delivery, area, language) = try await Self.checkSession(input, on: tx)
            let courseID = try course.requireID(), agencyID = try agency.requireID()
            let pairs: [(String, Bool)] = [
                ("course", session.courseID != courseID), ("heldOn", session.heldOn != heldOn.description), ("trainerAgency", session.trainerAgencyID != agencyID),
                ("delivery", session.delivery != delivery.rawValue), ("area", session.area != area), ("language", session.language != language),
            ]
            let changed = pairs.filter(\.1).map(\.0)
            session.courseID = courseID
            session.heldOn = heldOn.description
            session.trainerAgencyID = agencyID
            session.delivery = delivery.rawValue
            session.area = area
            session.language = language
            session.updatedAt = now
            try await session.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.session.updated", recordType: "training_session",
                                              recordID: id.uuidString, address: address,
                                              detail: changed.isEmpty ? "no change" : "changed: " + changed.joined(separator: ", ")), on: tx)
            return session
        }
    }

    /// What deleting a session takes with it, for the page that asks to confirm.
    struct SessionContents: Sendable {
        let countRows: Int
        let people: Int
        let registered: Int
        let sheets: Int
    }

    func sessionContents(_ id: UUID, identity: Identity) async throws -> SessionContents {
        try require(identity, .manageTraining)
        guard try await TrainingSession.find(id, on: db) != nil else { throw AppError.notFound("session") }
        let counts = try await TrainingAttendance.query(on: db).filter(\.$sessionID == id).all()
        return SessionContents(countRows: counts.count, people: counts.reduce(0) { $0 + $1.people },
                               registered: try await TrainingAttendee.query(on: db).filter(\.$sessionID == id).count(),
                               sheets: try await TrainingResponse.query(on: db).filter(\.$sessionID == id).count())
    }

    /// Deletes a session with its attendance counts, register and confidence sheets, in one
    /// transaction: all or nothing. Audited with the counts removed, never a name.
    func deleteSession(_ id: UUID, identity: Identity, address: String) async throws {
        try require(identity, .manageTraining)
        try await db.transaction { tx in
            guard let session = try await TrainingSession.find(id, on: tx) else { throw AppError.notFound("session") }
            let counts = try await TrainingAttendance.query(on: tx).filter(\.$sessionID == id).all()
            let registered = try await TrainingAttendee.query(on: tx).filter(\.$sessionID == id).count()
            let sheets = try await TrainingResponse.query(on: tx).filter(\.$sessionID == id).count()
            try await TrainingAttendance.query(on: tx).filter(\.$sessionID == id).delete()
            try await TrainingAttendee.query(on: tx).filter(\.$sessionID == id).delete()
            try await TrainingResponse.query(on: tx).filter(\.$sessionID == id).delete()
            try await session.delete(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.session.deleted", recordType: "training_session",
                                              recordID: id.uuidString, address: address,
                                              detail: "course \(session.courseID.uuidString); held \(Format.day(session.heldOn)); "
                                                  + "\(counts.count) count rows (\(counts.reduce(0) { $0 + $1.people }) people), \(registered) on the register, \(sheets) sheets"),
                                   on: tx)
        }
    }

    /// One person on a session's register, for the page that asks to confirm their removal.
    func attendee(_ attendeeID: UUID, session sessionID: UUID, identity: Identity) async throws -> TrainingAttendee {
        try require(identity, .manageTraining)
        guard let row = try await TrainingAttendee.find(attendeeID, on: db), row.sessionID == sessionID else { throw AppError.notFound("attendee") }
        return row
    }

    /// Takes a person off a session's register. They leave "people trained" unless they are on
    /// another session's register (the totals count distinct people). Audited without the name.
    func removeAttendee(_ attendeeID: UUID, session sessionID: UUID, identity: Identity, address: String) async throws {
        try require(identity, .manageTraining)
        try await db.transaction { tx in
            guard let row = try await TrainingAttendee.find(attendeeID, on: tx), row.sessionID == sessionID else { throw AppError.notFound("attendee") }
            try await row.delete(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.attendee.removed", recordType: "training_attendee",
                                              recordID: attendeeID.uuidString, address: address,
                                              detail: "session \(sessionID.uuidString); \(row.sector)"), on: tx)
        }
    }
}
