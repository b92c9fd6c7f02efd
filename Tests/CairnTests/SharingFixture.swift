import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// A public report with every section filled in, triaged with an indicator, assigned with an
/// internal note, accepted and closed with an outcome note by the police, and referred twice:
/// to Safe Harbour (caseworker@) with the place and the people, and to the council's adult
/// safeguarding team (caseworker2@) with the summary only. The council replied to its referral.
struct SharingFixture {
    static let description = "Workers sleeping in a barn near the ring road"
    static let place = "Hollybush Farm, Lane End"
    static let postcode = "WM7 3QT"
    static let people = "Ion Popescu, about thirty"
    static let phone = "07700 900123"
    static let vehicle = "KX19 ABC"
    static let contactName = "Maria Ionescu"
    static let contactEmail = "maria.ionescu@example.com"
    static let assignNote = "Internal: DC Moss to visit after dark"
    static let outcomeNote = "Two arrests made; do not tell partners"
    static let safeHarbourRequest = "Please find beds for the workers"
    static let councilRequest = "Please check on the family at the farm"
    static let councilReply = "We will visit on Monday"
    static let indicatorID = "ilo.retention-of-identity-documents"
    static var indicatorText: String { IndicatorCatalogue.standard.items.first { $0.id == indicatorID }?.text ?? indicatorID }
    static let indicatorRule = "At least one sign of exploitation was ticked."

    /// Withheld from a summary-only referral: none may appear anywhere it can look.
    static var withheldFromSummary: [String] {
        ["Hollybush", "Lane End", "Popescu", "900123", "KX19", contactName, "maria.ionescu", "DC Moss", "Two arrests", safeHarbourRequest,
         indicatorText, indicatorRule, "Ana Analyst", "Romanian"]
    }

    /// Withheld from the place-and-people referral.
    static var withheldFromLocationAndPeople: [String] {
        [contactName, "maria.ionescu", "DC Moss", "Two arrests", councilRequest, councilReply, indicatorText, indicatorRule, "Ana Analyst", "Romanian"]
    }

    let reportID: UUID
    let reference: String
    let councilReferralID: UUID
    let safeHarbourReferralID: UUID

    static func make(_ services: AppServices) async throws -> SharingFixture {
        let reports = services.reports
        var input = ReportInput()
        input.description = description
        input.language = "ro"
        input.location = place
        input.postcode = postcode
        input.people = people
        input.phones = phone
        input.vehicles = vehicle
        input.reporterType = ReporterType.hotel.rawValue
        input.anonymous = false
        input.contactName = contactName
        input.contactEmail = contactEmail
        input.contactConsent = true
        let submitted = try await reports.submit(input, source: .public, identity: nil, address: "test", idempotencyKey: nil, requireFormAnswers: false)
        let id = try #require(submitted.report.id)
        let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
        try await reports.reclassify(id, types: ["labour"], countyLines: false, ageGroup: "adult", labourSector: "agriculture", dangerNow: false,
                                     indicators: [.init(id: indicatorID, knowledge: "disclosed")], identity: analyst, address: "test")
        _ = try await reports.perform(.assign(agencyID: analyst.agencyID, note: assignNote), on: id, identity: analyst, address: "test")
        _ = try await reports.perform(.accept, on: id, identity: analyst, address: "test")
        let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
        let council = try await DemoReports.identity("caseworker2@demo.invalid", services)
        let toSafeHarbour = try await reports.refer(id, to: caseworker.agencyID, shared: ["location", "mentions"], request: safeHarbourRequest,
                                                    identity: analyst, address: "test")
        let toCouncil = try await reports.refer(id, to: council.agencyID, shared: [], request: councilRequest, identity: analyst, address: "test")
        _ = try await reports.respond(toReferral: try #require(toCouncil.id), status: "accepted", response: councilReply, identity: council, address: "test")
        _ = try await reports.perform(.close(outcome: ReportOutcome.policeInvestigationOpened.rawValue, date: ReportController.today(), note: outcomeNote),
                                      on: id, identity: analyst, address: "test")
        return SharingFixture(reportID: id, reference: submitted.report.reference, councilReferralID: try #require(toCouncil.id),
                              safeHarbourReferralID: try #require(toSafeHarbour.id))
    }
}

extension String {
    /// The markers found in this text, ignoring case.
    func leaked(_ markers: [String]) -> [String] {
        let text = lowercased()
        return markers.filter { text.contains($0.lowercased()) }
    }
}
