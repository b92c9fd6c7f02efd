import CairnCore
import FluentKit
import Foundation
import enum Linkage.Feedback
import struct Linkage.MatchExplanation
import SQLKit

/// Two reports that concern the same people, places, phones, vehicles or businesses, and why.
/// Stored with the earlier report first; one row per pair.
public final class ReportLink: Model, @unchecked Sendable {
    public static let schema = "report_links"
    @ID(key: .id) public var id: UUID?
    @Field(key: "earlier_report_id") public var earlierReportID: UUID
    @Field(key: "later_report_id") public var laterReportID: UUID
    /// The strongest reason's match probability.
    @Field(key: "probability") public var probability: Double
    /// "same phone, similar name at the same address".
    @Field(key: "summary") public var summary: String
    /// JSON array of `LinkReason`.
    @Field(key: "reasons") public var reasonsJSON: String
    @Field(key: "created_at") public var createdAt: Date
    /// Set when an analyst confirmed the link.
    @OptionalField(key: "confirmed_by_id") public var confirmedByID: UUID?

    public init() {}

    var reasons: [LinkReason] { (try? JSONDecoder().decode([LinkReason].self, from: Data(reasonsJSON.utf8))) ?? [] }

    func other(than report: UUID) -> UUID { earlierReportID == report ? laterReportID : earlierReportID }
}

/// One reason two reports are linked: a shared identifier (exact after normalising) or two
/// people the engine judged to be the same, with its term-by-term explanation.
public struct LinkReason: Codable, Sendable, Hashable {
    /// `MentionKind` raw value.
    var kind: String
    var earlierMentionID: UUID
    var laterMentionID: UUID
    /// As written on each report.
    var earlierValue: String
    var laterValue: String
    /// "same phone", "similar name at the same address".
    var phrase: String
    var probability: Double
    /// For people: how the engine compared the two mentions.
    var explanation: MatchExplanation?
}

/// The person each person mention is judged to be: mentions with the same `clusterID` are
/// one person (the id is the earliest mention's).
public final class PersonCluster: Model, @unchecked Sendable {
    public static let schema = "link_person_clusters"
    /// The mention's id.
    @ID(custom: "mention_id", generatedBy: .user) public var id: UUID?
    @Field(key: "report_id") public var reportID: UUID
    @Field(key: "cluster_id") public var clusterID: UUID

    public init() {}
    init(mention: UUID, report: UUID, cluster: UUID) {
        self.id = mention
        self.reportID = report
        self.clusterID = cluster
    }
}

/// Which network each linked report belongs to: the connected reports, named by the earliest.
public final class ReportNetwork: Model, @unchecked Sendable {
    public static let schema = "report_networks"
    /// The report's id.
    @ID(custom: "report_id", generatedBy: .user) public var id: UUID?
    @Field(key: "network_id") public var networkID: UUID

    public init() {}
    init(report: UUID, network: UUID) {
        self.id = report
        self.networkID = network
    }
}

/// An analyst's decision about two person mentions; later runs respect it.
public final class LinkFeedbackRow: Model, @unchecked Sendable {
    public static let schema = "link_feedback"
    @ID(key: .id) public var id: UUID?
    /// `same`, `not_same`, or `split` (the left mention taken out of its group; right = left).
    @Field(key: "decision") public var decision: String
    @Field(key: "left_mention_id") public var leftMentionID: UUID
    @Field(key: "right_mention_id") public var rightMentionID: UUID
    @Field(key: "actor_id") public var actorID: UUID
    @Field(key: "note") public var note: String
    @Field(key: "at") public var at: Date

    public init() {}

    var feedback: Feedback { Self.feedback(decision: decision, left: leftMentionID, right: rightMentionID) }

    static func feedback(decision: String, left: UUID, right: UUID) -> Feedback {
        switch decision {
        case "same": .sameEntity(left.uuidString, right.uuidString)
        case "split": .splitOut(left.uuidString)
        default: .notSame(left.uuidString, right.uuidString)
        }
    }
}

/// Small named values the linkage keeps between runs (the trained model).
public final class LinkState: Model, @unchecked Sendable {
    public static let schema = "link_state"
    @ID(custom: "name", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
    init(name: String, value: String) {
        self.id = name
        self.value = value
        self.updatedAt = Date()
    }
}

/// Why analysts are told about a network.
public enum IntelligenceAlertKind: String, Codable, CaseIterable, Sendable {
    /// A new report joined a network that already holds reports from another agency (or the public).
    case crossAgency = "cross_agency"
    /// The network reached the configured size.
    case size

    var label: String {
        switch self {
        case .crossAgency: "Reports from more than one agency"
        case .size: "Network has grown"
        }
    }
}

/// An in-app notice for the analysts. Shared by the team: one analyst marking it read marks
/// it read for all.
public final class IntelligenceAlert: Model, @unchecked Sendable {
    public static let schema = "intelligence_alerts"
    @ID(key: .id) public var id: UUID?
    @Field(key: "network_id") public var networkID: UUID
    @Field(key: "report_id") public var reportID: UUID
    @Field(key: "kind") public var kind: String
    /// No personal data: references and counts only.
    @Field(key: "message") public var message: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "dismissed_at") public var dismissedAt: Date?
    @OptionalField(key: "dismissed_by_id") public var dismissedByID: UUID?

    public init() {}
}

/// Intelligence recorded by an analyst, graded 3x5x2, with a sanitised version for partners.
public final class IntelligenceItem: Model, @unchecked Sendable {
    public static let schema = "intelligence_items"
    @ID(key: .id) public var id: UUID?
    /// `INT-XXXX-XX`, for quoting in conversation.
    @Field(key: "reference") public var reference: String
    @OptionalField(key: "report_id") public var reportID: UUID?
    @Field(key: "title") public var title: String
    /// The full intelligence: the originating agency only.
    @Field(key: "content") public var content: String
    /// Source and data subjects removed; what partners may see.
    @Field(key: "sanitised") public var sanitised: String
    /// The title partners see, sanitised like `sanitised`; empty: they see the reference.
    @Field(key: "partner_title") public var partnerTitle: String
    /// 3x5x2; nil on imported items graded only 5x5x5.
    @OptionalField(key: "source_evaluation") public var sourceEvaluation: String?
    @OptionalField(key: "assessment") public var assessment: String?
    @OptionalField(key: "handling") public var handling: String?
    @OptionalField(key: "conditions") public var conditions: String?
    /// Legacy 5x5x5 as imported (e.g. `B24`).
    @OptionalField(key: "legacy_grading") public var legacyGrading: String?
    /// Comma-separated agency ids the originator confirmed meet handling code C's conditions.
    @Field(key: "approved_agencies") public var approvedAgencies: String
    @Field(key: "originator_agency_id") public var originatorAgencyID: UUID
    @Field(key: "author_id") public var authorID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    var grading: IntelligenceGrading? {
        guard let sourceEvaluation, let assessment, let handling else { return nil }
        return try? IntelligenceGrading(parsing: sourceEvaluation + assessment + handling, conditions: conditions)
    }

    var legacy: LegacyGrading? { legacyGrading.flatMap(IntelligenceService.parseLegacy) }

    var approved: Set<UUID> { Set(approvedAgencies.split(separator: ",").compactMap { UUID(uuidString: String($0)) }) }
}

/// For each identifier value reports share (`ReportLinker.MentionFacts.key`): the first and
/// the latest report mentioning it, and how many do. Linking a new report reads this row
/// instead of every earlier mention, so a value shared by thousands of reports costs the
/// same as a new one.
public final class LinkKeyRow: Model, @unchecked Sendable {
    public static let schema = "link_keys"
    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "first_mention_id") public var firstMentionID: UUID
    @Field(key: "last_mention_id") public var lastMentionID: UUID
    @Field(key: "reports") public var reports: Int

    public init() {}
}

/// Each network's size and the sources of its reports (agency ids, or `public`), kept as
/// reports join, so alerts never need to read a whole network.
public final class LinkNetworkRow: Model, @unchecked Sendable {
    public static let schema = "link_networks"
    @ID(custom: "network_id", generatedBy: .user) public var id: UUID?
    @Field(key: "reports") public var reports: Int
    /// Comma-separated, sorted.
    @Field(key: "sources") public var sourcesText: String

    public init() {}

    var sources: Set<String> { Set(sourcesText.split(separator: ",").map(String.init)) }
}
