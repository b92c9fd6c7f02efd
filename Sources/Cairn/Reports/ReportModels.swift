import CairnCore
import FluentKit
import Foundation

/// A report of concern, from the public form, a practitioner or the API.
public final class Report: Model, @unchecked Sendable {
    public static let schema = "reports"
    @ID(key: .id) public var id: UUID?
    /// `CRN-XXXX-XX`, unique.
    @Field(key: "reference") public var reference: String
    /// SHA-256 of the reference and the normalised passphrase; public reports only.
    @OptionalField(key: "passphrase_hash") public var passphraseHash: String?
    /// `ReportSource` raw value.
    @Field(key: "source") public var source: String
    /// `PublicLanguage` raw value the reporter used.
    @Field(key: "language") public var language: String
    @Field(key: "status") public var status: String
    @Field(key: "urgency") public var urgency: String
    /// JSON array of `FiredRule`, so the screen can say why.
    @Field(key: "triage_rules") public var triageRules: String
    @Field(key: "routing_explanation") public var routingExplanation: String
    @Field(key: "danger_now") public var dangerNow: Bool
    @Field(key: "age_group") public var ageGroup: String
    /// Comma-separated `ExploitationType` raw values.
    @Field(key: "exploitation_types") public var exploitationTypes: String
    @Field(key: "county_lines") public var countyLines: Bool
    @OptionalField(key: "labour_sector") public var labourSector: String?
    /// True once a person (or a practitioner's own form) has classified the report.
    @Field(key: "classified") public var classified: Bool
    @Field(key: "description") public var narrative: String
    /// The place as the reporter described it.
    @Field(key: "location") public var location: String
    /// Normalised `AB1 2CD`, when one was given and is valid.
    @OptionalField(key: "postcode") public var postcode: String?
    /// The outward code (`AB1`), for hotspots and the area filter.
    @OptionalField(key: "postcode_district") public var postcodeDistrict: String?
    @Field(key: "occurred") public var occurred: String
    @Field(key: "people_text") public var peopleText: String
    @Field(key: "vehicles_text") public var vehiclesText: String
    @Field(key: "phones_text") public var phonesText: String
    @Field(key: "businesses_text") public var businessesText: String
    @Field(key: "websites_text") public var websitesText: String
    /// `ReporterType` raw value.
    @Field(key: "reporter_type") public var reporterType: String
    @Field(key: "anonymous") public var anonymous: Bool
    @OptionalField(key: "contact_name") public var contactName: String?
    @OptionalField(key: "contact_phone") public var contactPhone: String?
    @OptionalField(key: "contact_email") public var contactEmail: String?
    @OptionalField(key: "contact_best_time") public var contactBestTime: String?
    @OptionalField(key: "created_by_id") public var createdByID: UUID?
    /// The agency that made the report (practitioner reports); its inbox follows the outcome.
    @OptionalField(key: "reporting_agency_id") public var reportingAgencyID: UUID?
    @OptionalField(key: "assigned_agency_id") public var assignedAgencyID: UUID?
    @Field(key: "received_at") public var receivedAt: Date
    @Field(key: "due_at") public var dueAt: Date
    /// When the assigned agency first accepted, or the report was closed.
    @OptionalField(key: "responded_at") public var respondedAt: Date?
    @OptionalField(key: "closed_at") public var closedAt: Date?
    @OptionalField(key: "outcome") public var outcome: String?
    /// `yyyy-MM-dd`.
    @OptionalField(key: "outcome_date") public var outcomeDate: String?
    @OptionalField(key: "outcome_note") public var outcomeNote: String?
    /// A client's `Idempotency-Key` (or the web form's submission id) and a digest of the body.
    @OptionalField(key: "idempotency_key") public var idempotencyKey: String?
    @OptionalField(key: "request_fingerprint") public var requestFingerprint: String?
    @Field(key: "updated_at") public var updatedAt: Date
    /// The awareness campaign's code the report arrived with (`/report?c=CODE`), when it names
    /// a campaign that exists: only the code, nothing about the reporter.
    @OptionalField(key: "campaign_code") public var campaignCode: String?

    public init() {}

    var reportStatus: ReportStatus { ReportStatus(rawValue: status) ?? .new }
    var reportUrgency: Urgency { Urgency(rawValue: urgency) ?? .low }
    var reportSource: ReportSource { ReportSource(rawValue: source) ?? .public }
    var types: Set<ExploitationType> { Set(exploitationTypes.split(separator: ",").compactMap { ExploitationType(rawValue: String($0)) }) }
    var age: AgeGroup { AgeGroup(rawValue: ageGroup) ?? .unknown }
    var sector: LabourSector? { labourSector.flatMap(LabourSector.init(rawValue:)) }
    var reportOutcome: ReportOutcome? { outcome.flatMap(ReportOutcome.init(rawValue:)) }
    var firedRules: [FiredRule] { (try? JSONDecoder().decode([FiredRule].self, from: Data(triageRules.utf8))) ?? [] }
}

public enum ReportSource: String, Codable, CaseIterable, Sendable {
    /// The public `/report` form or the public API, no sign-in.
    case `public`
    /// A signed-in practitioner, on the web or through the API.
    case practitioner

    var label: String {
        switch self {
        case .public: "Public report"
        case .practitioner: "Practitioner report"
        }
    }
}

/// An indicator ticked on a report, against the exact wording (version) shown at the time.
public final class ReportIndicator: Model, @unchecked Sendable {
    public static let schema = "report_indicators"
    @ID(key: .id) public var id: UUID?
    @Field(key: "report_id") public var reportID: UUID
    @Field(key: "indicator_id") public var indicatorID: String
    @Field(key: "indicator_version") public var indicatorVersion: Int
    /// `IndicatorKnowledge` raw value: observed or disclosed.
    @Field(key: "knowledge") public var knowledge: String

    public init() {}
    init(reportID: UUID, indicatorID: String, version: Int, knowledge: IndicatorKnowledge) {
        self.reportID = reportID
        self.indicatorID = indicatorID
        self.indicatorVersion = version
        self.knowledge = knowledge.rawValue
    }
}

/// The kinds of thing a report can mention; the intelligence engine links on them.
public enum MentionKind: String, Codable, CaseIterable, Sendable {
    case person, address, phone, vehicle, business, email, username, url

    var label: String {
        switch self {
        case .person: "Person"
        case .address: "Address"
        case .phone: "Phone"
        case .vehicle: "Vehicle"
        case .business: "Business"
        case .email: "Email"
        case .username: "Username"
        case .url: "Web address"
        }
    }
}

/// One structured mention: a person, address, phone, vehicle, business, email, username or URL,
/// stored as given and normalised, one row each, so linkage can block and compare on them.
public final class ReportMention: Model, @unchecked Sendable {
    public static let schema = "report_mentions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "report_id") public var reportID: UUID
    @Field(key: "kind") public var kind: String
    /// As given (a person's name, the address line, the number as written).
    @Field(key: "value") public var value: String
    /// The linkage form (E.164 phone, `AB1 2CD` postcode, upper-case registration, …); nil when
    /// the value could not be read as its kind.
    @OptionalField(key: "normalised") public var normalised: String?
    /// Person: other names; address: the postcode.
    @Field(key: "aliases") public var aliases: String
    @Field(key: "date_of_birth") public var dateOfBirth: String
    @Field(key: "age") public var age: String
    @Field(key: "nationality") public var nationality: String
    @OptionalField(key: "postcode") public var postcode: String?

    public init() {}
    init(reportID: UUID, kind: MentionKind, value: String, normalised: String?, aliases: String = "", dateOfBirth: String = "",
         age: String = "", nationality: String = "", postcode: String? = nil) {
        self.reportID = reportID
        self.kind = kind.rawValue
        self.value = value
        self.normalised = normalised
        self.aliases = aliases
        self.dateOfBirth = dateOfBirth
        self.age = age
        self.nationality = nationality
        self.postcode = postcode
    }
}

/// One step in a report's history: who did what, from which status to which, and why.
public final class ReportEvent: Model, @unchecked Sendable {
    public static let schema = "report_events"
    @ID(key: .id) public var id: UUID?
    @Field(key: "report_id") public var reportID: UUID
    @Field(key: "at") public var at: Date
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "actor_name") public var actorName: String
    @OptionalField(key: "agency_id") public var agencyID: UUID?
    @Field(key: "action") public var action: String
    @Field(key: "from_status") public var fromStatus: String
    @Field(key: "to_status") public var toStatus: String
    @Field(key: "note") public var note: String

    public init() {}
    init(reportID: UUID, at: Date, actorID: UUID?, actorName: String, agencyID: UUID?, action: String,
         from: String, to: String, note: String) {
        self.reportID = reportID
        self.at = at
        self.actorID = actorID
        self.actorName = actorName
        self.agencyID = agencyID
        self.action = action
        self.fromStatus = from
        self.toStatus = to
        self.note = note
    }

    /// Events in the order they happened. Steps written in one transaction share an instant
    /// (assigning an untriaged report triages it first), and the database may return ties in
    /// any order, so within a tie each step follows the one whose status it started from.
    static func inOrder(_ events: [ReportEvent]) -> [ReportEvent] {
        let sorted = events.sorted { $0.at < $1.at }
        var ordered: [ReportEvent] = []
        ordered.reserveCapacity(sorted.count)
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count, sorted[end].at == sorted[start].at { end += 1 }
            var tie = Array(sorted[start..<end])
            while !tie.isEmpty {
                let previous = ordered.last?.toStatus
                let first = tie.firstIndex { $0.fromStatus == previous }
                    ?? tie.firstIndex { step in !tie.contains { $0 !== step && $0.toStatus == step.fromStatus } }
                    ?? tie.startIndex
                ordered.append(tie.remove(at: first))
            }
            start = end
        }
        return ordered
    }
}

/// What a referring agency lets the receiving agency see of a report.
public enum ShareCategory: String, Codable, CaseIterable, Sendable {
    /// What happened, the classification and urgency.
    case summary
    /// Where: place, postcode and addresses.
    case location
    /// People, phones, vehicles, businesses and online details mentioned.
    case mentions
    /// The indicators ticked.
    case indicators
    /// The reporter's contact details, when they gave them.
    case reporterContact = "reporter_contact"

    var label: String {
        switch self {
        case .summary: "What happened, type and urgency"
        case .location: "Where it happened"
        case .mentions: "People, phones, vehicles, businesses and online details"
        case .indicators: "Indicators ticked"
        case .reporterContact: "The reporter’s contact details"
        }
    }
}

/// A request from one agency to another to act on a report.
public final class Referral: Model, @unchecked Sendable {
    public static let schema = "referrals"
    @ID(key: .id) public var id: UUID?
    @Field(key: "report_id") public var reportID: UUID
    @Field(key: "from_agency_id") public var fromAgencyID: UUID
    @Field(key: "to_agency_id") public var toAgencyID: UUID
    /// `ReferralStatus` raw value.
    @Field(key: "status") public var status: String
    /// Comma-separated `ShareCategory` raw values.
    @Field(key: "shared") public var shared: String
    /// What the referrer asks the other agency to do.
    @Field(key: "request") public var request: String
    /// The receiving agency's reason for rejecting, or its note on completing.
    @Field(key: "response") public var response: String
    @Field(key: "created_by_id") public var createdByID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    var referralStatus: ReferralStatus { ReferralStatus(rawValue: status) ?? .pending }
    var sharedCategories: Set<ShareCategory> { Set(shared.split(separator: ",").compactMap { ShareCategory(rawValue: String($0)) }) }
}

/// One version of a checklist item. Rewording adds a version; retiring marks the item so it is
/// no longer offered. Reports keep pointing at the version they were recorded with.
public final class IndicatorItem: Model, @unchecked Sendable {
    public static let schema = "indicator_items"
    @ID(key: .id) public var id: UUID?
    @Field(key: "indicator_id") public var indicatorID: String
    @Field(key: "version") public var version: Int
    @Field(key: "list") public var list: String
    @Field(key: "dimension") public var dimension: String
    @Field(key: "text") public var text: String
    @Field(key: "retired") public var retired: Bool
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
    init(_ indicator: Indicator, at: Date = Date()) {
        indicatorID = indicator.id
        version = indicator.version
        list = indicator.list.rawValue
        dimension = indicator.dimension.rawValue
        text = indicator.text
        retired = indicator.retired
        createdAt = at
    }

    var indicator: Indicator? {
        guard let list = IndicatorList(rawValue: list), let dimension = IndicatorDimension(rawValue: dimension) else { return nil }
        return Indicator(id: indicatorID, list: list, dimension: dimension, text: text, version: version, retired: retired)
    }
}
