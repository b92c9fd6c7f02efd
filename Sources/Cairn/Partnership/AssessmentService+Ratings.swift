import CairnCore
import FluentKit
import Foundation
import SQLKit

/// An agency's ratings in a round: read, and saved part-way as often as it likes until the
/// round closes. A person rates for their own agency only.
extension AssessmentService {
    /// One principle or factor as a form or the API gives it. A nil level with no text is a
    /// factor left for later; a level with no evidence, or text with no level, is refused.
    struct RatingInput: Sendable {
        var factor: String
        var level: Int?
        var evidence = ""
        var evidenceLink = ""
        var comment = ""
    }

    /// What an agency has rated in a round.
    struct AgencyRatings: Sendable {
        let round: AssessmentRound
        let agencyID: UUID
        let agencyName: String
        /// By factor key.
        let ratings: [String: AssessmentRating]
    }

    /// A form field for a factor: its key with dots as dashes (`design-training`), and a suffix
    /// for each part (`design-training-evidence`).
    static func field(_ key: String, _ part: String? = nil) -> String {
        key.replacingOccurrences(of: ".", with: "-") + (part.map { "-\($0)" } ?? "")
    }

    /// The caller's own agency's ratings in a round, for its form.
    func ownRatings(_ roundID: UUID, identity: Identity) async throws -> AgencyRatings {
        try require(identity, .rateSelfAssessment)
        return try await ratings(of: identity.agencyID, name: identity.agencyName, in: try await find(roundID))
    }

    /// Any agency's ratings in a round, with their evidence, for anyone who reads results.
    func agencyRatings(_ roundID: UUID, agencyID: UUID, identity: Identity) async throws -> AgencyRatings {
        try require(identity, .viewPartnership)
        let round = try await find(roundID)
        guard let agency = try await Agency.find(agencyID, on: db) else { throw AppError.notFound("agency") }
        return try await ratings(of: agencyID, name: agency.name, in: round)
    }

    private func ratings(of agencyID: UUID, name: String, in round: AssessmentRound, on db: (any Database)? = nil) async throws -> AgencyRatings {
        let rows = try await AssessmentRating.query(on: db ?? self.db).filter(\.$roundID == round.requireID()).filter(\.$agencyID == agencyID).all()
        return AgencyRatings(round: round, agencyID: agencyID, agencyName: name,
                             ratings: Dictionary(rows.map { ($0.factor, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Saves the caller's agency's ratings of the factors in `inputs`; the others stay as they
    /// are. `agencyID`, when given, must be the caller's own agency. Everything is checked
    /// first: one problem and nothing is saved.
    func saveRatings(_ roundID: UUID, agencyID: UUID?, _ inputs: [RatingInput], identity: Identity, address: String,
                     now: Date = Date()) async throws -> AgencyRatings {
        try require(identity, .rateSelfAssessment)
        if let agencyID, agencyID != identity.agencyID {
            throw AppError(.forbidden, title: "Not your agency",
                           "You rate for your own agency only (\(identity.agencyName)). A rating for another agency is refused.")
        }
        let round = try await find(roundID)
        try Self.checkOpen(round, now: now)
        var v = Validator()
        var checked: [(FrameworkFactor, MaturityLevel, RatingInput)] = []
        var seen: Set<String> = []
        for var input in inputs {
            let key = input.factor.trimmingCharacters(in: .whitespaces)
            guard let level = input.level else {
                // Left for later, unless something was written about it.
                let written = [input.evidence, input.evidenceLink, input.comment].contains { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
                if written {
                    let name = Framework.factor(key).map { "“\($0.name)”" } ?? "this factor"
                    v.add(Self.field(key), "Choose a level for \(name) to save what you wrote about it.")
                }
                continue
            }
            switch Assessment.check(factor: key, level: level) {
            case .failure(let problem):
                if case .unknownFactor = problem { v.add("ratings", problem.message) } else { v.add(Self.field(key), problem.message) }
            case .success(let (factor, maturity)):
                guard seen.insert(factor.key).inserted else {
                    v.add(Self.field(key), "“\(factor.name)” is rated twice: rate each principle or factor once.")
                    continue
                }
                input.evidence = v.text(input.evidence, field: Self.field(key, "evidence"), label: "Evidence for “\(factor.name)”",
                                        required: false, max: 4000)
                if input.evidence.isEmpty {
                    v.add(Self.field(key, "evidence"), "Give the evidence for your rating of “\(factor.name)”.")
                    continue
                }
                input.evidenceLink = Self.link(input.evidenceLink, field: Self.field(key, "link"), factor: factor, into: &v)
                input.comment = v.text(input.comment, field: Self.field(key, "comment"), label: "Comment on “\(factor.name)”", required: false, max: 2000)
                checked.append((factor, maturity, input))
            }
        }
        if v.errors.isEmpty, checked.isEmpty {
            v.add("ratings", "Rate at least one principle or factor: choose its level and give your evidence.")
        }
        try v.check()
        let ready = checked
        return try await db.transaction { tx in
            // Taking the round's row first makes ratings wait for a close in progress (and a
            // close wait for them), on any instance; a closed round changes nothing.
            let open = try await tx.sqlDatabase().raw("""
                UPDATE assessment_rounds SET updated_at = \(bind: now) WHERE id = \(bind: roundID) AND closed_at IS NULL RETURNING id
                """).all()
            guard open.count == 1 else { throw Self.closed(try await find(roundID, on: tx), closing: false) }
            let existing = try await ratings(of: identity.agencyID, name: identity.agencyName, in: round, on: tx).ratings
            var changes: [String] = []
            for (factor, maturity, input) in ready {
                let row = existing[factor.key] ?? AssessmentRating()
                let before = existing[factor.key]?.level
                if row.id == nil {
                    row.id = UUID()
                    row.roundID = roundID
                    row.agencyID = identity.agencyID
                    row.factor = factor.key
                }
                row.level = maturity.rawValue
                row.evidence = input.evidence
                row.evidenceLink = input.evidenceLink
                row.comment = input.comment
                row.ratedByID = identity.userID
                row.ratedAt = now
                try await row.save(on: tx)
                changes.append(before.map { $0 == maturity.rawValue ? "\(factor.key) \($0)" : "\(factor.key) \($0)→\(maturity.rawValue)" }
                               ?? "\(factor.key) \(maturity.rawValue)")
            }
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "assessment.rated", recordType: "assessment_round",
                                              recordID: roundID.uuidString, address: address,
                                              detail: "\(round.name); \(identity.agencyName); \(changes.joined(separator: ", "))"), on: tx)
            return try await ratings(of: identity.agencyID, name: identity.agencyName, in: round, on: tx)
        }
    }

    /// Refuses a rating in a round that has closed or has not opened yet.
    static func checkOpen(_ round: AssessmentRound, now: Date) throws {
        if round.isClosed { throw closed(round, closing: false) }
        if let opens = try? CalendarDate(parsing: round.opensOn), today(now) < opens {
            throw AppError.conflict("The round “\(round.name)” opens on \(Format.day(opens)): ratings are taken from then.")
        }
    }

    /// An optional http(s) address of the evidence.
    static func link(_ text: String, field: String, factor: FrameworkFactor, into v: inout Validator) -> String {
        let cleaned = v.text(text, field: field, label: "Link to the evidence for “\(factor.name)”", required: false, max: 500)
        guard !cleaned.isEmpty else { return "" }
        let lower = cleaned.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), let url = URL(string: cleaned), url.host?.isEmpty == false,
              !cleaned.contains(where: \.isWhitespace) else {
            v.add(field, "The link to the evidence for “\(factor.name)” must be a web address starting https:// (or http://).")
            return ""
        }
        return cleaned
    }
}
