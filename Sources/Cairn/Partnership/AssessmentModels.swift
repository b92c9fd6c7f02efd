import CairnCore
import FluentKit
import Foundation

/// A self-assessment round (`assessment_rounds`): open from its creation until a coordinator
/// closes it; agencies rate while it is open.
public final class AssessmentRound: Model, @unchecked Sendable {
    public static let schema = "assessment_rounds"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// The name lower-cased, for the unique index.
    @Field(key: "name_key") public var nameKey: String
    /// `yyyy-MM-dd`.
    @Field(key: "opens_on") public var opensOn: String
    /// `yyyy-MM-dd`: when agencies are asked to have rated by.
    @Field(key: "closes_by") public var closesBy: String
    @Field(key: "opened_by_id") public var openedByID: UUID
    @OptionalField(key: "closed_at") public var closedAt: Date?
    @OptionalField(key: "closed_by_id") public var closedByID: UUID?
    /// 1 while open, nil once closed (a unique index keeps one round open at a time).
    @OptionalField(key: "open_slot") public var openSlot: Int?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var isClosed: Bool { closedAt != nil }

    /// Open, and its opening date has come.
    func takesRatings(now: Date) -> Bool {
        guard !isClosed, let opens = try? CalendarDate(parsing: opensOn) else { return false }
        return CalendarDate(now, in: .london) >= opens
    }

    /// Where the round sits among the others (`Assessment.previousClosed`).
    var place: Assessment.RoundPlace? {
        guard let id, let opens = try? CalendarDate(parsing: opensOn) else { return nil }
        return Assessment.RoundPlace(id: id, opensOn: opens, createdAt: createdAt, closed: isClosed)
    }

    static func nameKey(_ name: String) -> String { name.lowercased() }
}

/// One agency's rating of one principle or factor in a round (`assessment_ratings`), with its
/// evidence: changed in place until the round closes.
public final class AssessmentRating: Model, @unchecked Sendable {
    public static let schema = "assessment_ratings"
    @ID(key: .id) public var id: UUID?
    @Field(key: "round_id") public var roundID: UUID
    @Field(key: "agency_id") public var agencyID: UUID
    /// A `FrameworkFactor` key of an assessed group.
    @Field(key: "factor") public var factor: String
    /// 1–4 (`MaturityLevel`).
    @Field(key: "level") public var level: Int
    @Field(key: "evidence") public var evidence: String
    /// An http(s) address of a document, or empty.
    @Field(key: "evidence_link") public var evidenceLink: String
    @Field(key: "comment") public var comment: String
    @Field(key: "rated_by_id") public var ratedByID: UUID
    @Field(key: "rated_at") public var ratedAt: Date

    public init() {}

    public var maturity: MaturityLevel? { MaturityLevel(rawValue: level) }

    var rated: RatedLevel? { maturity.map { RatedLevel(agency: agencyID, factor: factor, level: $0) } }
}
