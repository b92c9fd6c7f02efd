import CairnCore
import FluentKit
import Foundation

/// Whether the survivor's view of their case can be used.
enum SurvivorViewStatus: String, Sendable, CaseIterable {
    /// A code was handed over; the survivor has not chosen a passphrase yet.
    case offered
    case active
    /// Stopped for now by the caseworker (a phone was taken); the passphrase is kept.
    case suspended
    /// Ended by the caseworker or the survivor: nothing opens it again but a new offer.
    case ended

    var label: String {
        switch self {
        case .offered: "Offered: waiting for the survivor to set it up"
        case .active: "Active"
        case .suspended: "Suspended"
        case .ended: "Ended"
        }
    }
}

/// The survivor's account for their own view of one case.
final class SurvivorAccount: Model, @unchecked Sendable {
    static let schema = "survivor_accounts"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "status") var status: String
    /// Given at activation: what the survivor signs in with, with their passphrase.
    @OptionalField(key: "reference") var reference: String?
    @OptionalField(key: "passphrase_hash") var passphraseHash: String?
    @OptionalField(key: "safe_passphrase_hash") var safePassphraseHash: String?
    /// SHA-256 of the one-time activation code; cleared when it is used.
    @OptionalField(key: "activation_code_hash") var activationCodeHash: String?
    @OptionalField(key: "activation_expires_at") var activationExpiresAt: Date?
    /// `PublicLanguage` raw value: the language the survivor's pages and errors are in.
    @Field(key: "language") var language: String
    @Field(key: "failed_sign_ins") var failedSignIns: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "offered_by_id") var offeredByID: UUID
    @Field(key: "offered_at") var offeredAt: Date
    @OptionalField(key: "activated_at") var activatedAt: Date?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var viewStatus: SurvivorViewStatus { SurvivorViewStatus(rawValue: status) ?? .ended }
    var publicLanguage: PublicLanguage { PublicLanguage(rawValue: language) ?? .en }
}

/// A signed-in survivor: a browser session (cookie) or a short-lived API token, by its hash.
final class SurvivorSession: Model, @unchecked Sendable {
    static let schema = "survivor_sessions"
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "account_id") var accountID: UUID
    /// `browser` or `api`.
    @Field(key: "kind") var kind: String
    /// Opened with the safe passphrase: only the harmless view.
    @Field(key: "safe") var safe: Bool
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}

/// A message between the survivor and their case team. Text only.
final class SurvivorMessage: Model, @unchecked Sendable {
    static let schema = "survivor_messages"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "from_survivor") var fromSurvivor: Bool
    /// The team member who wrote a reply.
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "body") var body: String
    @Field(key: "interpreter_needed") var interpreterNeeded: Bool
    /// The language the survivor named for an interpreter, as they wrote it.
    @Field(key: "language") var language: String
    @Field(key: "created_at") var createdAt: Date
    /// Read by the other side: the team for the survivor's messages, the survivor for replies.
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}

/// The survivor's own rating of the seven core outcomes at one review point.
final class SurvivorRating: Model, @unchecked Sendable {
    static let schema = "survivor_ratings"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "point") var point: String
    /// JSON object: `CoreOutcome` raw value → `OutcomeRating` raw value.
    @Field(key: "ratings") var ratings: String
    @Field(key: "rated_at") var ratedAt: Date

    init() {}

    /// Where its review point comes among the points (an unknown one last).
    var order: Int { ReviewPoint(rawValue: point).flatMap(ReviewPoint.allCases.firstIndex(of:)) ?? ReviewPoint.allCases.count }

    var values: [CoreOutcome: OutcomeRating] {
        guard let raw = try? JSONDecoder().decode([String: String].self, from: Data(ratings.utf8)) else { return [:] }
        var values: [CoreOutcome: OutcomeRating] = [:]
        for (key, value) in raw { if let o = CoreOutcome(rawValue: key), let r = OutcomeRating(rawValue: value) { values[o] = r } }
        return values
    }
}

/// What the survivor asked to be corrected or deleted: a task for the case team until done.
final class SurvivorRequest: Model, @unchecked Sendable {
    static let schema = "survivor_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    /// `correct` or `delete`.
    @Field(key: "kind") var kind: String
    @Field(key: "detail") var detail: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "done_at") var doneAt: Date?
    @OptionalField(key: "done_by_id") var doneByID: UUID?

    init() {}
}
