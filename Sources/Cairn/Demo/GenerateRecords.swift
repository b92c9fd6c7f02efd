import CairnCore
import Foundation

// The rows of generated reports, held as plain values: the fields of `Report`, `ReportEvent`,
// `ReportIndicator`, `ReportMention` and `Referral` under the same names, without Fluent's
// property wrappers (reading and writing those, and freeing them, took more than half of the
// time spent making a million reports). Each row function writes its values in the order of
// the column list it is used with; `GenerateTests` fills each model with a distinct value per
// field, copies it into these types and checks that every value lands under its own column, as
// `IntakeColumnTests` does for intake.

/// A report (`Report`). A class, as the report is changed step by step through its history.
final class ReportRecord: ReportContent {
    let id: UUID
    var reference = ""
    var passphraseHash: String?
    var source = ""
    var language = ""
    var status = ""
    var urgency = ""
    var triageRules = ""
    var routingExplanation = ""
    var dangerNow = false
    var ageGroup = ""
    var exploitationTypes = ""
    var countyLines = false
    var labourSector: String?
    var classified = false
    var narrative = ""
    var location = ""
    var postcode: String?
    var postcodeDistrict: String?
    var occurred = ""
    var peopleText = ""
    var vehiclesText = ""
    var phonesText = ""
    var businessesText = ""
    var websitesText = ""
    var reporterType = ""
    var anonymous = true
    var contactName: String?
    var contactPhone: String?
    var contactEmail: String?
    var contactBestTime: String?
    var createdByID: UUID?
    var reportingAgencyID: UUID?
    var assignedAgencyID: UUID?
    var receivedAt: Date
    var dueAt: Date
    var respondedAt: Date?
    var closedAt: Date?
    var outcome: String?
    var outcomeDate: String?
    var outcomeNote: String?
    var idempotencyKey: String?
    var requestFingerprint: String?
    var updatedAt: Date
    /// Generated reports arrive with no campaign's code.
    var campaignCode: String?

    init(id: UUID, receivedAt: Date) {
        self.id = id
        self.receivedAt = receivedAt
        dueAt = receivedAt
        updatedAt = receivedAt
    }

    var reportStatus: ReportStatus { ReportStatus(rawValue: status) ?? .new }
    var reportUrgency: Urgency { Urgency(rawValue: urgency) ?? .low }
    var types: Set<ExploitationType> { Set(exploitationTypes.split(separator: ",").compactMap { ExploitationType(rawValue: String($0)) }) }
    var age: AgeGroup { AgeGroup(rawValue: ageGroup) ?? .unknown }
    var sector: LabourSector? { labourSector.flatMap(LabourSector.init(rawValue:)) }

    /// In the order of `ReportService.reportColumns`.
    var row: [SQLValue] {
        [
            SQLValue(id), SQLValue(reference), SQLValue(passphraseHash), SQLValue(source), SQLValue(language),
            SQLValue(status), SQLValue(urgency), SQLValue(triageRules), SQLValue(routingExplanation),
            SQLValue(dangerNow), SQLValue(ageGroup), SQLValue(exploitationTypes), SQLValue(countyLines),
            SQLValue(labourSector), SQLValue(classified), SQLValue(narrative), SQLValue(location),
            SQLValue(postcode), SQLValue(postcodeDistrict), SQLValue(occurred), SQLValue(peopleText),
            SQLValue(vehiclesText), SQLValue(phonesText), SQLValue(businessesText), SQLValue(websitesText),
            SQLValue(reporterType), SQLValue(anonymous), SQLValue(contactName), SQLValue(contactPhone),
            SQLValue(contactEmail), SQLValue(contactBestTime), SQLValue(createdByID),
            SQLValue(reportingAgencyID), SQLValue(assignedAgencyID), SQLValue(receivedAt), SQLValue(dueAt),
            SQLValue(respondedAt), SQLValue(closedAt), SQLValue(outcome), SQLValue(outcomeDate),
            SQLValue(outcomeNote), SQLValue(idempotencyKey), SQLValue(requestFingerprint), SQLValue(updatedAt),
            SQLValue(campaignCode),
        ]
    }
}

/// A step in a report's history (`ReportEvent`).
struct EventRecord {
    var id: UUID
    var reportID: UUID
    var at: Date
    var actorID: UUID?
    var actorName: String
    var agencyID: UUID?
    var action: String
    var fromStatus: String
    var toStatus: String
    var note: String

    /// In the order of `ReportService.eventColumns`.
    var row: [SQLValue] {
        [SQLValue(id), SQLValue(reportID), SQLValue(at), SQLValue(actorID), SQLValue(actorName), SQLValue(agencyID), SQLValue(action),
         SQLValue(fromStatus), SQLValue(toStatus), SQLValue(note)]
    }
}

/// A ticked indicator (`ReportIndicator`).
struct IndicatorRecord {
    var id: UUID
    var reportID: UUID
    var indicatorID: String
    var indicatorVersion: Int
    var knowledge: String

    /// In the order of `ReportService.indicatorColumns`.
    var row: [SQLValue] { [SQLValue(id), SQLValue(reportID), SQLValue(indicatorID), SQLValue(indicatorVersion), SQLValue(knowledge)] }
}

/// Something a report mentions (`ReportMention`).
struct MentionRecord {
    var id: UUID
    var reportID: UUID
    var kind: String
    var value: String
    var normalised: String?
    var aliases: String
    var dateOfBirth: String
    var age: String
    var nationality: String
    var postcode: String?

    /// In the order of `ReportService.mentionColumns`.
    var row: [SQLValue] {
        [SQLValue(id), SQLValue(reportID), SQLValue(kind), SQLValue(value), SQLValue(normalised), SQLValue(aliases), SQLValue(dateOfBirth),
         SQLValue(age), SQLValue(nationality), SQLValue(postcode)]
    }
}

/// A referral to another agency (`Referral`).
struct ReferralRecord {
    var id: UUID
    var reportID: UUID
    var fromAgencyID: UUID
    var toAgencyID: UUID
    var status: String
    var shared: String
    var request: String
    var response: String
    var createdByID: UUID
    var createdAt: Date
    var updatedAt: Date

    static let columns = ["id", "report_id", "from_agency_id", "to_agency_id", "status", "shared", "request", "response",
                          "created_by_id", "created_at", "updated_at"]

    /// In the order of `columns`.
    var row: [SQLValue] {
        [SQLValue(id), SQLValue(reportID), SQLValue(fromAgencyID), SQLValue(toAgencyID), SQLValue(status), SQLValue(shared),
         SQLValue(request), SQLValue(response), SQLValue(createdByID), SQLValue(createdAt), SQLValue(updatedAt)]
    }
}
