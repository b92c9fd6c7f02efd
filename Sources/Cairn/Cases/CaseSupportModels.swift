import CairnCore
import FluentKit
import Foundation

/// A consent the survivor gave: what may be shared, with which agencies, for what purpose,
/// how it was given, and until when. Withdrawal is a date on the record, so the history stays.
public final class CaseConsent: Model, @unchecked Sendable {
    public static let schema = "case_consents"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    /// Comma-separated `ConsentDataCategory` raw values.
    @Field(key: "categories") public var categories: String
    /// Comma-separated `ConsentPurpose` raw values.
    @Field(key: "purposes") public var purposes: String
    /// Comma-separated agency ids.
    @Field(key: "agencies") public var agencies: String
    @Field(key: "method") public var method: String
    @OptionalField(key: "interpreter_language") public var interpreterLanguage: String?
    /// `yyyy-MM-dd`.
    @Field(key: "valid_from") public var validFrom: String
    @OptionalField(key: "valid_until") public var validUntil: String?
    @OptionalField(key: "withdrawn_on") public var withdrawnOn: String?
    @OptionalField(key: "withdrawn_note") public var withdrawnNote: String?
    /// Whether the adult agreed to an NRM referral (asked with this consent).
    @Field(key: "nrm_consent") public var nrmConsent: Bool
    /// Whether the survivor agreed that their case may be shared anonymised, in pseudonymous
    /// statistics such as the HTCDS export (asked with this consent; off unless ticked).
    @Field(key: "anonymised_sharing") public var anonymisedSharing: Bool
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}

    var record: ConsentRecord {
        ConsentRecord(
            categories: Set(categories.split(separator: ",").compactMap { ConsentDataCategory(rawValue: String($0)) }),
            purposes: Set(purposes.split(separator: ",").compactMap { ConsentPurpose(rawValue: String($0)) }),
            agencies: Set(agencies.split(separator: ",").map(String.init)),
            method: ConsentMethod(rawValue: method) ?? .written,
            interpreterLanguage: interpreterLanguage,
            validFrom: (try? CalendarDate(parsing: validFrom)) ?? CalendarDate(dayNumber: 0),
            validUntil: validUntil.flatMap { try? CalendarDate(parsing: $0) },
            withdrawnOn: withdrawnOn.flatMap { try? CalendarDate(parsing: $0) })
    }
}

/// One domain of the needs assessment; re-assessing a domain replaces its row (the audit log
/// keeps who changed it and when).
public final class CaseNeed: Model, @unchecked Sendable {
    public static let schema = "case_needs"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "domain") public var domain: String
    @Field(key: "urgency") public var urgency: String
    @Field(key: "survivor_priority") public var survivorPriority: String
    @Field(key: "note") public var note: String
    @Field(key: "assessed_on") public var assessedOn: String
    @Field(key: "updated_by_id") public var updatedByID: UUID

    public init() {}

    var needDomain: NeedDomain { NeedDomain(rawValue: domain) ?? .safety }
    var needUrgency: NeedUrgency { NeedUrgency(rawValue: urgency) ?? .none }
    var priority: SurvivorPriority { SurvivorPriority(rawValue: survivorPriority) ?? .medium }
}

/// A care-plan task owned by one agency. That agency's staff see it in their inbox while the
/// survivor's consent to share their care plan with the agency stands.
public final class CareTask: Model, @unchecked Sendable {
    public static let schema = "care_tasks"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "need") public var need: String
    @Field(key: "title") public var title: String
    @Field(key: "detail") public var detail: String
    @Field(key: "agency_id") public var agencyID: UUID
    @OptionalField(key: "due_on") public var dueOn: String?
    @Field(key: "status") public var status: String
    @Field(key: "created_by_id") public var createdByID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @OptionalField(key: "completed_by_id") public var completedByID: UUID?
    @Field(key: "update_note") public var updateNote: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    var taskStatus: CarePlanTaskStatus { CarePlanTaskStatus(rawValue: status) ?? .notStarted }
    var needDomain: NeedDomain { NeedDomain(rawValue: need) ?? .safety }
    var core: CarePlanTask {
        CarePlanTask(need: needDomain, ownerAgency: agencyID.uuidString, dueDate: dueOn.flatMap { try? CalendarDate(parsing: $0) }, status: taskStatus)
    }
}

/// The case's National Referral Mechanism referral, its decisions and reconsiderations.
public final class CaseNRM: Model, @unchecked Sendable {
    public static let schema = "case_nrm"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "referral_date") public var referralDate: String
    @Field(key: "first_responder") public var firstResponder: String
    @OptionalField(key: "reference") public var reference: String?
    @OptionalField(key: "competent_authority") public var competentAuthority: String?
    @OptionalField(key: "rg_decision") public var rgDecision: String?
    @OptionalField(key: "rg_date") public var rgDate: String?
    @OptionalField(key: "cg_decision") public var cgDecision: String?
    @OptionalField(key: "cg_date") public var cgDate: String?
    /// JSON array of `ReconsiderationRequest`.
    @Field(key: "reconsiderations") public var reconsiderations: String
    @Field(key: "updated_by_id") public var updatedByID: UUID
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    var referral: NRMReferral {
        func decision(_ kind: String?, _ date: String?) -> NRMDecisionRecord? {
            guard let kind, let value = NRMDecision(rawValue: kind), let date, let day = try? CalendarDate(parsing: date) else { return nil }
            return NRMDecisionRecord(value, on: day)
        }
        return NRMReferral(
            referralDate: (try? CalendarDate(parsing: referralDate)) ?? CalendarDate(dayNumber: 0),
            firstResponderOrganisation: firstResponder, reference: reference,
            competentAuthority: competentAuthority.flatMap(CompetentAuthority.init(rawValue:)),
            reasonableGrounds: decision(rgDecision, rgDate), conclusiveGrounds: decision(cgDecision, cgDate),
            reconsiderations: (try? JSONDecoder().decode([ReconsiderationRequest].self, from: Data(reconsiderations.utf8))) ?? [])
    }
}

/// An anonymous Duty to Notify record. It holds only the fields of `DutyToNotifyRecord`,
/// none of which identify the person (Modern Slavery Act 2015 s.52(3)).
public final class CaseDutyToNotify: Model, @unchecked Sendable {
    public static let schema = "case_duty_to_notify"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    /// JSON of `DutyToNotifyRecord`.
    @Field(key: "record") public var record: String
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}
}

/// Core outcomes rated with the survivor at a review point.
public final class CaseOutcomeReview: Model, @unchecked Sendable {
    public static let schema = "case_outcome_reviews"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "point") public var point: String
    @Field(key: "review_date") public var reviewDate: String
    /// JSON object: `CoreOutcome` raw value → `OutcomeRating` raw value.
    @Field(key: "ratings") public var ratings: String
    @Field(key: "note") public var note: String
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}

    var review: OutcomeReview? {
        guard let point = ReviewPoint(rawValue: point), let date = try? CalendarDate(parsing: reviewDate),
              let raw = try? JSONDecoder().decode([String: String].self, from: Data(ratings.utf8)) else { return nil }
        var values: [CoreOutcome: OutcomeRating] = [:]
        for (key, value) in raw { if let o = CoreOutcome(rawValue: key), let r = OutcomeRating(rawValue: value) { values[o] = r } }
        return OutcomeReview(point: point, date: date, ratings: values)
    }
}

/// A re-exploitation warning sign, recorded by the team or detected by Cairn.
public final class CaseWarning: Model, @unchecked Sendable {
    public static let schema = "case_warnings"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "sign") public var sign: String
    @Field(key: "observed_on") public var observedOn: String
    @Field(key: "note") public var note: String
    @OptionalField(key: "recorded_by_id") public var recordedByID: UUID?
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}
    var recorded: RecordedWarningSign? {
        guard let sign = WarningSign(rawValue: sign), let day = try? CalendarDate(parsing: observedOn) else { return nil }
        return RecordedWarningSign(sign, on: day)
    }
}

/// An alert to one member of a case team (a warning sign, a risk rise), until they read it.
public final class CaseAlert: Model, @unchecked Sendable {
    public static let schema = "case_alerts"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "message") public var message: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "read_at") public var readAt: Date?

    public init() {}
}

/// How a planned contact with the survivor is made.
public enum ContactMethod: String, Codable, CaseIterable, Sendable {
    case inPerson = "in_person"
    case phone
    case video
    case other

    var label: String {
        switch self {
        case .inPerson: "In person"
        case .phone: "Phone"
        case .video: "Video call"
        case .other: "Other"
        }
    }
}

/// What became of a planned contact.
public enum ContactStatus: String, Codable, CaseIterable, Sendable {
    case planned, attended, missed, cancelled

    var label: String {
        switch self {
        case .planned: "Planned"
        case .attended: "Took place"
        case .missed: "Missed"
        case .cancelled: "Cancelled"
        }
    }
}

/// A planned contact with the survivor and what became of it: the contact log. Two missed
/// in a row are a re-exploitation warning sign Cairn records itself.
public final class CaseContact: Model, @unchecked Sendable {
    public static let schema = "case_contacts"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    /// `yyyy-MM-dd`.
    @Field(key: "planned_on") public var plannedOn: String
    @Field(key: "method") public var method: String
    @Field(key: "status") public var status: String
    @Field(key: "note") public var note: String
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    var contactStatus: ContactStatus { ContactStatus(rawValue: status) ?? .planned }
    var contactMethod: ContactMethod { ContactMethod(rawValue: method) ?? .other }
}
