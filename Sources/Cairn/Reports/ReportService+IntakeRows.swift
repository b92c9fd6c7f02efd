import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The rows intake writes, column by column, for both write paths (SQLKit and `SQLiteDirect`).
/// Each column list must name every field of its Fluent model, in the order of its row function:
/// `IntakeColumnTests` fails when a model gains a field that is not written here, or a row puts a
/// value under the wrong column.
extension ReportService {
    /// Every column of a new report, in the order of `reportRow`.
    static let reportColumns = [
        "id", "reference", "passphrase_hash", "source", "language", "status", "urgency", "triage_rules", "routing_explanation",
        "danger_now", "age_group", "exploitation_types", "county_lines", "labour_sector", "classified", "description", "location",
        "postcode", "postcode_district", "occurred", "people_text", "vehicles_text", "phones_text", "businesses_text", "websites_text",
        "reporter_type", "anonymous", "contact_name", "contact_phone", "contact_email", "contact_best_time", "created_by_id",
        "reporting_agency_id", "assigned_agency_id", "received_at", "due_at", "responded_at", "closed_at", "outcome", "outcome_date",
        "outcome_note", "idempotency_key", "request_fingerprint", "updated_at", "campaign_code",
    ]

    static func reportRow(_ r: Report) -> [SQLValue] {
        [
            SQLValue(r.id), SQLValue(r.reference), SQLValue(r.passphraseHash), SQLValue(r.source), SQLValue(r.language),
            SQLValue(r.status), SQLValue(r.urgency), SQLValue(r.triageRules), SQLValue(r.routingExplanation),
            SQLValue(r.dangerNow), SQLValue(r.ageGroup), SQLValue(r.exploitationTypes), SQLValue(r.countyLines),
            SQLValue(r.labourSector), SQLValue(r.classified), SQLValue(r.narrative), SQLValue(r.location),
            SQLValue(r.postcode), SQLValue(r.postcodeDistrict), SQLValue(r.occurred), SQLValue(r.peopleText),
            SQLValue(r.vehiclesText), SQLValue(r.phonesText), SQLValue(r.businessesText), SQLValue(r.websitesText),
            SQLValue(r.reporterType), SQLValue(r.anonymous), SQLValue(r.contactName), SQLValue(r.contactPhone),
            SQLValue(r.contactEmail), SQLValue(r.contactBestTime), SQLValue(r.createdByID),
            SQLValue(r.reportingAgencyID), SQLValue(r.assignedAgencyID), SQLValue(r.receivedAt), SQLValue(r.dueAt),
            SQLValue(r.respondedAt), SQLValue(r.closedAt), SQLValue(r.outcome), SQLValue(r.outcomeDate),
            SQLValue(r.outcomeNote), SQLValue(r.idempotencyKey), SQLValue(r.requestFingerprint), SQLValue(r.updatedAt),
            SQLValue(r.campaignCode),
        ]
    }

    /// Every column of a report event, in the order of `eventRow`.
    static let eventColumns = ["id", "report_id", "at", "actor_id", "actor_name", "agency_id", "action", "from_status", "to_status", "note"]

    static func eventRow(_ event: ReportEvent) -> [SQLValue] {
        [SQLValue(event.id), SQLValue(event.reportID), SQLValue(event.at), SQLValue(event.actorID),
         SQLValue(event.actorName), SQLValue(event.agencyID), SQLValue(event.action),
         SQLValue(event.fromStatus), SQLValue(event.toStatus), SQLValue(event.note)]
    }

    /// Every column of a ticked indicator, in the order of `indicatorRow`.
    static let indicatorColumns = ["id", "report_id", "indicator_id", "indicator_version", "knowledge"]

    static func indicatorRow(_ tick: ReportIndicator) -> [SQLValue] {
        [SQLValue(tick.id), SQLValue(tick.reportID), SQLValue(tick.indicatorID), SQLValue(tick.indicatorVersion),
         SQLValue(tick.knowledge)]
    }

    /// Every column of a mention, in the order of `mentionRow`.
    static let mentionColumns = ["id", "report_id", "kind", "value", "normalised", "aliases", "date_of_birth", "age", "nationality", "postcode"]

    static func mentionRow(_ mention: ReportMention) -> [SQLValue] {
        [SQLValue(mention.id), SQLValue(mention.reportID), SQLValue(mention.kind), SQLValue(mention.value),
         SQLValue(mention.normalised), SQLValue(mention.aliases), SQLValue(mention.dateOfBirth),
         SQLValue(mention.age), SQLValue(mention.nationality), SQLValue(mention.postcode)]
    }
}
