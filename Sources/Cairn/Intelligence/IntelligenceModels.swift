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

/// Links, person clusters, networks, analysts' feedback, the linkage's stored model, alerts and
/// graded intelligence items. Tables are named as they were when this ran, not through the
/// models, so later changes to a model cannot change what this migration did.
struct CreateIntelligence: AsyncMigration {
    var name: String { "012_create_intelligence" }
    func prepare(on db: any Database) async throws {
        let sql = try db.sqlDatabase()
        try await db.schema("report_links")
            .id()
            .field("earlier_report_id", .uuid, .required, .references("reports", .id, onDelete: .cascade))
            .field("later_report_id", .uuid, .required, .references("reports", .id, onDelete: .cascade))
            .field("probability", .double, .required)
            .field("summary", .string, .required)
            .field("reasons", .string, .required)
            .field("created_at", .datetime, .required)
            .field("confirmed_by_id", .uuid, .references("users", .id))
            .unique(on: "earlier_report_id", "later_report_id")
            .create()
        try await sql.create(index: "report_links_later").on("report_links").column("later_report_id").run()
        try await db.schema("link_person_clusters")
            .field("mention_id", .uuid, .identifier(auto: false), .references("report_mentions", .id, onDelete: .cascade))
            .field("report_id", .uuid, .required, .references("reports", .id, onDelete: .cascade))
            .field("cluster_id", .uuid, .required)
            .create()
        try await sql.create(index: "link_person_clusters_cluster").on("link_person_clusters").column("cluster_id").run()
        try await db.schema("report_networks")
            .field("report_id", .uuid, .identifier(auto: false), .references("reports", .id, onDelete: .cascade))
            .field("network_id", .uuid, .required)
            .create()
        try await sql.create(index: "report_networks_network").on("report_networks").column("network_id").run()
        try await db.schema("link_feedback")
            .id()
            .field("decision", .string, .required)
            .field("left_mention_id", .uuid, .required)
            .field("right_mention_id", .uuid, .required)
            .field("actor_id", .uuid, .required, .references("users", .id))
            .field("note", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await db.schema("link_state")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("intelligence_alerts")
            .id()
            .field("network_id", .uuid, .required)
            .field("report_id", .uuid, .required, .references("reports", .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("message", .string, .required)
            .field("created_at", .datetime, .required)
            .field("dismissed_at", .datetime)
            .field("dismissed_by_id", .uuid, .references("users", .id))
            .create()
        try await db.schema("intelligence_items")
            .id()
            .field("reference", .string, .required)
            .field("report_id", .uuid, .references("reports", .id))
            .field("title", .string, .required)
            .field("content", .string, .required)
            .field("sanitised", .string, .required)
            .field("source_evaluation", .string)
            .field("assessment", .string)
            .field("handling", .string)
            .field("conditions", .string)
            .field("legacy_grading", .string)
            .field("approved_agencies", .string, .required)
            .field("originator_agency_id", .uuid, .required, .references("agencies", .id))
            .field("author_id", .uuid, .required, .references("users", .id))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "reference")
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in ["intelligence_items", "intelligence_alerts", "link_state", "link_feedback", "report_networks",
                       "link_person_clusters", "report_links"] {
            try await db.schema(schema).delete()
        }
    }
}

/// `link_keys`: each identifier value's first and latest mention and how many reports have it,
/// filled from the reports stored before it existed. What it reads of reports and their
/// mentions is written here as those tables were then, not through live models or reads; the
/// values are keyed and grouped by the linker's own (pure) rules.
struct CreateLinkKeys: AsyncMigration {
    var name: String { "014_create_link_keys" }
    func prepare(on db: any Database) async throws {
        try await db.schema("link_keys")
            .field("key", .string, .identifier(auto: false))
            .field("first_mention_id", .uuid, .required)
            .field("last_mention_id", .uuid, .required)
            .field("reports", .int, .required)
            .create()
        // Reports stored before this table existed.
        guard let sql = db as? any SQLDatabase else { return }
        let reports = Dictionary(try await sql.select().columns("id", "reference", "received_at", "reporting_agency_id", "postcode").from("reports").all()
            .map { row in
                ReportLinker.facts(LinkableReport(
                    id: try row.decode(column: "id", as: UUID.self), reference: try row.decode(column: "reference", as: String.self),
                    receivedAt: try row.decode(column: "received_at", as: Date.self),
                    reportingAgencyID: try row.decode(column: "reporting_agency_id", as: UUID?.self),
                    postcode: try row.decode(column: "postcode", as: String?.self)))
            }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let mentions = try await sql.select().columns("id", "report_id", "kind", "value", "normalised", "date_of_birth", "postcode").from("report_mentions")
            .where("kind", .notEqual, SQLBind(MentionKind.person.rawValue))
            .where("normalised", .isNot, SQLLiteral.null).all()
            .map { row in
                ReportLinker.MentionFacts(LinkableMention(
                    id: try row.decode(column: "id", as: UUID.self), reportID: try row.decode(column: "report_id", as: UUID.self),
                    kind: try row.decode(column: "kind", as: String.self), value: try row.decode(column: "value", as: String.self),
                    normalised: try row.decode(column: "normalised", as: String?.self),
                    dateOfBirth: try row.decode(column: "date_of_birth", as: String.self),
                    postcode: try row.decode(column: "postcode", as: String?.self)))
            }
        let rows: [[SQLValue]] = ReportLinker.keyGroups(mentions, reports: reports).compactMap { key, group in
            guard let first = group.first, let last = group.last else { return nil }
            return [SQLValue(key), SQLValue(first.0.id), SQLValue(last.0.id), SQLValue(group.count)]
        }
        try await SQLRows.insert(into: "link_keys", columns: ["key", "first_mention_id", "last_mention_id", "reports"], rows: rows, on: sql)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("link_keys").delete()
    }
}

/// `link_networks`: each network's size and the sources of its reports, filled from the
/// networks stored before it existed. What it reads of reports is written here as that table
/// was then, not through live models or reads.
struct CreateLinkNetworks: AsyncMigration {
    var name: String { "015_create_link_networks" }
    func prepare(on db: any Database) async throws {
        try await db.schema("link_networks")
            .field("network_id", .uuid, .identifier(auto: false))
            .field("reports", .int, .required)
            .field("sources", .string, .required)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        var members: [(report: UUID, network: UUID)] = []
        var sources: [UUID: String] = [:]
        for row in try await sql.select()
            .column(SQLColumn("report_id", table: "report_networks"), as: "report_id")
            .column(SQLColumn("network_id", table: "report_networks"), as: "network_id")
            .column(SQLColumn("reporting_agency_id", table: "reports"), as: "agency")
            .from("report_networks")
            .join("reports", on: SQLColumn("id", table: "reports"), .equal, SQLColumn("report_id", table: "report_networks"))
            .all() {
            let report = try row.decode(column: "report_id", as: UUID.self)
            members.append((report, try row.decode(column: "network_id", as: UUID.self)))
            sources[report] = try row.decode(column: "agency", as: UUID?.self)?.uuidString ?? "public"
        }
        try await SQLRows.insert(into: "link_networks", columns: ["network_id", "reports", "sources"],
                                 rows: ReportLinker.networkSummaries(members, sources: sources), on: sql)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("link_networks").delete()
    }
}
