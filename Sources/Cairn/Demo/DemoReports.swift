import CairnCore
import FluentKit
import Foundation

/// Fictional reports at different stages, so the demo has something to triage, work and close.
/// Names, places and numbers are invented; phone numbers are in Ofcom's drama range.
enum DemoReports {
    static func identity(_ email: String, _ services: AppServices) async throws -> Identity {
        guard let user = try await services.accounts.user(email: email) else { throw AppError.notFound("demo user") }
        let agency = try await services.accounts.agency(user.$agency.id)
        return Identity(userID: try user.requireID(), email: user.email, displayName: user.displayName, agencyID: try agency.requireID(), agencyName: agency.name,
                        roles: user.roles, hasTwoFactor: false, via: .apiToken(id: UUID()))
    }

    static func load(into services: AppServices) async throws {
        let reports = services.reports
        let practitioner = try await identity("practitioner@demo.invalid", services)
        let analyst = try await identity("analyst@demo.invalid", services)

        // A public report in Romanian, waiting for triage.
        var waiting = ReportInput()
        waiting.language = "ro"
        waiting.dangerNow = false
        waiting.description = "Young women are collected from the nail bar on Station Road after midnight by a grey van. They never seem to go home."
        waiting.location = "Nail bar, Station Road, Westmere"
        waiting.postcode = "WM1 2AB"
        waiting.vehicles = "Grey van WM12 XYZ"
        waiting.reporterType = ReporterType.memberOfPublic.rawValue
        _ = try await reports.submit(waiting, source: .public, identity: nil, address: "demo", idempotencyKey: nil, requireFormAnswers: false)

        // A hotel's report of a possible child: an emergency, with the police.
        var hotel = ReportInput()
        hotel.dangerNow = true
        hotel.description = "A girl who looks about 14 was brought to room 12 by two older men who paid cash and would not give names."
        hotel.location = "Riverside Hotel, Quay Street"
        hotel.postcode = "WM2 3CD"
        hotel.phones = "07700 900412"
        hotel.reporterType = ReporterType.hotel.rawValue
        let emergency = try await reports.submit(hotel, source: .public, identity: nil, address: "demo", idempotencyKey: nil, requireFormAnswers: false)
        try await reports.perform(.accept, on: try emergency.report.requireID(), identity: analyst, address: "demo")
        try await reports.perform(.start, on: try emergency.report.requireID(), identity: analyst, address: "demo")

        // A Jobcentre practitioner's labour report, routed to the labour inspectorate.
        var carWash = ReportInput()
        carWash.description = "Claimant says he works 12-hour days at a hand car wash for £20 a day; the boss keeps his passport and he sleeps in the back room with five others."
        carWash.exploitationTypes = [ExploitationType.labour.rawValue]
        carWash.ageGroup = AgeGroup.adult.rawValue
        carWash.labourSector = LabourSector.carWash.rawValue
        carWash.postcode = "WM4 6EF"
        carWash.indicators = [.init(id: "ilo.retention-of-identity-documents", knowledge: "disclosed"),
                              .init(id: "ilo.excessive-overtime", knowledge: "disclosed"),
                              .init(id: "uk.many-at-one-address", knowledge: "disclosed")]
        carWash.persons = [.init(name: "Andrei Ionescu", dateOfBirth: "1994", nationality: "Romanian"), .init(aliases: "Mr Bash")]
        carWash.addresses = [.init(line: "Sparkle Hand Car Wash, 3 Mill Lane", postcode: "WM4 6EF")]
        carWash.phones = "07700 900218"
        carWash.businesses = "Sparkle Hand Car Wash Ltd"
        _ = try await reports.submit(carWash, source: .practitioner, identity: practitioner, address: "demo", idempotencyKey: nil, requireFormAnswers: false)

        // Two later reports the intelligence engine links to the car wash: a letting agent
        // with the same phone (public, so analysts are alerted: another source), and a police
        // report naming the same man, spelt differently, at the same address.
        var lettings = ReportInput()
        lettings.description = "We let a two-bedroom house to a man who pays cash; eight men live there and are driven away in a minibus at 6am."
        lettings.location = "22 Foundry Street, Westmere"
        lettings.postcode = "WM4 7JK"
        lettings.phones = "+44 7700 900218"
        lettings.reporterType = ReporterType.lettingAgent.rawValue
        _ = try await reports.submit(lettings, source: .public, identity: nil, address: "demo", idempotencyKey: nil, requireFormAnswers: false)
        var patrol = ReportInput()
        patrol.description = "Officers spoke to a worker at the hand car wash who seemed frightened and said the manager holds everyone's documents."
        patrol.exploitationTypes = [ExploitationType.labour.rawValue]
        patrol.ageGroup = AgeGroup.adult.rawValue
        patrol.labourSector = LabourSector.carWash.rawValue
        patrol.postcode = "WM4 6EF"
        patrol.persons = [.init(name: "Andrei Ionesku", dateOfBirth: "03/1994", nationality: "Romanian")]
        patrol.addresses = [.init(line: "3 Mill Lane", postcode: "WM4 6EF")]
        _ = try await reports.submit(patrol, source: .practitioner, identity: analyst, address: "demo", idempotencyKey: nil, requireFormAnswers: false)

        // A closed police report with its outcome.
        var closed = ReportInput()
        closed.dangerNow = true
        closed.description = "Neighbour reports a vulnerable man's flat used by strangers day and night; he was seen with a black eye."
        closed.exploitationTypes = [ExploitationType.criminal.rawValue]
        closed.ageGroup = AgeGroup.adult.rawValue
        closed.indicators = [.init(id: "cuckooing.home-taken-over", knowledge: "observed"), .init(id: "cuckooing.many-visitors", knowledge: "observed")]
        closed.addresses = [.init(line: "Flat 4, Canal House, Wharf Road", postcode: "WM3 9GH")]
        let cuckooed = try await reports.submit(closed, source: .practitioner, identity: analyst, address: "demo", idempotencyKey: nil, requireFormAnswers: false)
        try await reports.perform(.accept, on: try cuckooed.report.requireID(), identity: analyst, address: "demo")
        let lastWeek = CalendarDate(Date().addingTimeInterval(-7 * 86400), in: TimeZone.london).description
        try await reports.perform(.close(outcome: ReportOutcome.premisesVisited.rawValue, date: lastWeek,
                                         note: "Joint visit with housing; the resident was moved to safe accommodation."),
                                  on: try cuckooed.report.requireID(), identity: analyst, address: "demo")
        // Linking runs after each report is stored; let it finish before the cases are loaded.
        await reports.settle()
    }
}
