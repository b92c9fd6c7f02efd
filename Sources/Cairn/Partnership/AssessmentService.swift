import CairnCore
import FluentKit
import Foundation
import SQLKit

/// The self-assessment against the public-health framework: rounds a coordinator opens and
/// closes, each member agency's ratings of the assessed principles and factors, and the
/// picture they make. The only way to its tables: every permission is checked here and every
/// change is written to the audit log. Nothing in it is personal data: agencies rate
/// themselves. The parts: rounds (this file), ratings (`+Ratings`) and results (`+Results`).
public struct AssessmentService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog

    var db: any Database { database.db }

    static func today(_ now: Date) -> CalendarDate { CalendarDate(now, in: .london) }

    /// A required date as `yyyy-MM-dd`; a problem goes to `v` under `field`.
    static func date(_ text: String, field: String, label: String, into v: inout Validator) -> CalendarDate? {
        let cleaned = text.trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty {
            v.add(field, "Enter the \(label.lowercased()).")
            return nil
        }
        guard let date = try? CalendarDate(parsing: cleaned) else {
            v.add(field, "The \(label.lowercased()) must be a real date, written YYYY-MM-DD (for example 2026-04-01).")
            return nil
        }
        return date
    }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// A round by id, for anyone who may read the partnership's self-assessments.
    func round(_ id: UUID, identity: Identity) async throws -> AssessmentRound {
        try require(identity, .viewPartnership)
        return try await find(id)
    }

    func find(_ id: UUID, on db: (any Database)? = nil) async throws -> AssessmentRound {
        guard let round = try await AssessmentRound.find(id, on: db ?? self.db) else { throw AppError.notFound("self-assessment round") }
        return round
    }

    /// A round with how far the agencies have got with it.
    struct RoundSummary: Sendable {
        let round: AssessmentRound
        /// Agencies that have rated at least one principle or factor.
        let agenciesRated: Int
    }

    /// Every round, the newest (by opening date) first.
    func rounds(identity: Identity) async throws -> [RoundSummary] {
        try require(identity, .viewPartnership)
        let rounds = try await AssessmentRound.query(on: db).sort(\.$opensOn, .descending).sort(\.$createdAt, .descending).all()
        struct Row: Decodable { let round_id: UUID; let agencies: Int }
        let counts = try await db.sqlDatabase().raw("""
            SELECT round_id, COUNT(DISTINCT agency_id) AS agencies FROM assessment_ratings GROUP BY round_id
            """).all(decoding: Row.self)
        let byRound = Dictionary(counts.map { ($0.round_id, $0.agencies) }, uniquingKeysWith: { first, _ in first })
        return rounds.map { RoundSummary(round: $0, agenciesRated: $0.id.flatMap { byRound[$0] } ?? 0) }
    }

    struct RoundInput: Sendable {
        var name = ""
        /// `yyyy-MM-dd`.
        var opensOn = ""
        /// `yyyy-MM-dd`.
        var closesBy = ""
    }

    /// Opens a round. One round is open at a time, and no two share a name.
    func openRound(_ input: RoundInput, identity: Identity, address: String, now: Date = Date()) async throws -> AssessmentRound {
        try require(identity, .editPartnership)
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "Name", max: 100)
        let opens = Self.date(input.opensOn, field: "opensOn", label: "Opening date", into: &v)
        let closes = Self.date(input.closesBy, field: "closesBy", label: "Closing date", into: &v)
        if let opens, let closes, let problem = Assessment.windowProblem(opensOn: opens, closesBy: closes) {
            v.add("closesBy", problem)
        } else if let closes, closes < Self.today(now) {
            v.add("closesBy", "The closing date has passed: choose today or a later date.")
        }
        try v.check()
        let round = AssessmentRound()
        round.id = UUID()
        round.name = name
        round.nameKey = AssessmentRound.nameKey(name)
        round.opensOn = try opens.checked("opening date").description
        round.closesBy = try closes.checked("closing date").description
        round.openedByID = identity.userID
        round.openSlot = 1
        round.createdAt = now
        round.updatedAt = now
        do {
            try await db.transaction { tx in
                try await conflicts(name: round.nameKey, on: tx)
                try await round.create(on: tx)
                try await audit.append(AuditEvent(actor: identity.auditActor, action: "assessment.round.opened", recordType: "assessment_round",
                                                  recordID: try round.requireID().uuidString, address: address,
                                                  detail: "\(name); opens \(Format.day(round.opensOn)), closes by \(Format.day(round.closesBy))"), on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another instance opened one at the same moment: say which rule it broke.
            try await conflicts(name: round.nameKey, on: db)
            throw AppError.conflict("Another round was opened at the same moment. Look at the list of rounds and try again.")
        }
        return round
    }

    /// Throws the conflict a new round named `nameKey` would make, if any.
    private func conflicts(name nameKey: String, on db: any Database) async throws {
        if let open = try await AssessmentRound.query(on: db).filter(\.$closedAt == nil).first() {
            throw AppError.conflict("The round “\(open.name)” is still open: close it before opening another.")
        }
        if let same = try await AssessmentRound.query(on: db).filter(\.$nameKey == nameKey).first() {
            throw AppError.conflict("There is already a round called “\(same.name)”: give this one another name.", field: "name")
        }
    }

    /// Closes a round: it takes no more ratings, and its results become the ones the next
    /// round's change is measured from. One statement decides, so two coordinators (on any
    /// instances) cannot both close it.
    func closeRound(_ id: UUID, identity: Identity, address: String, now: Date = Date()) async throws -> AssessmentRound {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            let rows = try await tx.sqlDatabase().raw("""
                UPDATE assessment_rounds SET closed_at = \(bind: now), closed_by_id = \(bind: identity.userID), open_slot = NULL, \
                updated_at = \(bind: now) WHERE id = \(bind: id) AND closed_at IS NULL RETURNING id
                """).all()
            let round = try await find(id, on: tx)
            guard rows.count == 1 else { throw Self.closed(round, closing: true) }
            struct Count: Decodable { let agencies: Int; let ratings: Int }
            let count = try await tx.sqlDatabase().raw("""
                SELECT COUNT(DISTINCT agency_id) AS agencies, COUNT(*) AS ratings FROM assessment_ratings WHERE round_id = \(bind: id)
                """).first(decoding: Count.self)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "assessment.round.closed", recordType: "assessment_round",
                                              recordID: id.uuidString, address: address,
                                              detail: "\(round.name); \(count?.agencies ?? 0) agencies, \(count?.ratings ?? 0) ratings"), on: tx)
            return round
        }
    }

    /// The answer to closing or rating a round that has closed.
    static func closed(_ round: AssessmentRound, closing: Bool) -> AppError {
        let when = round.closedAt.map { " on \(Format.date($0))" } ?? ""
        return AppError.conflict(closing ? "The round “\(round.name)” is already closed\(when)."
                                         : "The round “\(round.name)” closed\(when): it takes no more ratings.")
    }
}
