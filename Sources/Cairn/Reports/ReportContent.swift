import CairnCore
import Foundation

/// What a report holds of what its reporter said, under the names `Report` uses: intake fills
/// a `Report` with it, and the data set generator its plain `ReportRecord`, in one place, so
/// a generated report is stored exactly as intake stores one.
protocol ReportContent: AnyObject {
    var source: String { get set }
    var language: String { get set }
    var dangerNow: Bool { get set }
    var ageGroup: String { get set }
    var exploitationTypes: String { get set }
    var countyLines: Bool { get set }
    var labourSector: String? { get set }
    var classified: Bool { get set }
    var narrative: String { get set }
    var location: String { get set }
    var postcode: String? { get set }
    var postcodeDistrict: String? { get set }
    var occurred: String { get set }
    var peopleText: String { get set }
    var vehiclesText: String { get set }
    var phonesText: String { get set }
    var businessesText: String { get set }
    var websitesText: String { get set }
    var reporterType: String { get set }
    var anonymous: Bool { get set }
    var contactName: String? { get set }
    var contactPhone: String? { get set }
    var contactEmail: String? { get set }
    var contactBestTime: String? { get set }
    var createdByID: UUID? { get set }
    var reportingAgencyID: UUID? { get set }
    var assignedAgencyID: UUID? { get set }
    var receivedAt: Date { get set }
    var updatedAt: Date { get set }
}

extension ReportContent {
    /// Takes a checked report as received at `now`, made by `person` of `agency` (nil for the
    /// public), not yet with any agency.
    func take(_ valid: ValidReport, by person: UUID?, of agency: UUID?, at now: Date) {
        source = valid.source.rawValue
        language = valid.language.rawValue
        dangerNow = valid.dangerNow
        ageGroup = valid.ageGroup.rawValue
        exploitationTypes = ReportService.storage(valid.exploitation.types)
        countyLines = valid.exploitation.countyLines
        labourSector = valid.labourSector?.rawValue
        classified = valid.classified
        narrative = valid.description
        location = valid.location
        postcode = valid.postcode?.full
        postcodeDistrict = valid.postcode?.district
        occurred = valid.occurred
        peopleText = valid.people
        vehiclesText = valid.vehicles
        phonesText = valid.phones
        businessesText = valid.businesses
        websitesText = valid.websites
        reporterType = valid.reporterType.rawValue
        anonymous = valid.anonymous
        contactName = valid.contactName
        contactPhone = valid.contactPhone
        contactEmail = valid.contactEmail
        contactBestTime = valid.contactBestTime
        createdByID = person
        reportingAgencyID = agency
        assignedAgencyID = nil
        receivedAt = now
        updatedAt = now
    }
}

extension Report: ReportContent {}
