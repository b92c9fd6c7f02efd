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

    /// A moment `days` (and `hours`) before `now`.
    static func ago(_ now: Date, days: Double, hours: Double = 0) -> Date { now.addingTimeInterval(-(days * 86_400 + hours * 3_600)) }

    static func day(_ date: Date) -> String { CalendarDate(date, in: TimeZone.london).description }

    /// Every date is worked out from `now`, so the demo never goes stale: reports over the
    /// past 18 months (hotspots and trends), and work waiting on every working role's home page.
    /// Returns the Jobcentre's car-wash report (id and reference), which a demo case comes from.
    @discardableResult
    static func load(into services: AppServices, now: Date = Date()) async throws -> (id: UUID, reference: String) {
        let reports = services.reports
        let practitioner = try await identity("practitioner@demo.invalid", services)
        let analyst = try await identity("analyst@demo.invalid", services)
        let council = try await identity("caseworker2@demo.invalid", services)

        try await history(services, analyst: analyst, now: now)

        // A public report in Romanian, waiting for triage since yesterday.
        var waiting = ReportInput()
        waiting.language = "ro"
        waiting.dangerNow = false
        waiting.description = "Young women are collected from the nail bar on Station Road after midnight by a grey van. They never seem to go home."
        waiting.location = "Nail bar, Station Road, Westmere"
        waiting.postcode = "WM1 2AB"
        waiting.vehicles = "Grey van WM12 XYZ"
        waiting.reporterType = ReporterType.memberOfPublic.rawValue
        waiting.campaignCode = DemoCampaigns.rightsCode  // opened from the rights-at-work leaflet's QR code
        _ = try await reports.submit(waiting, source: .public, identity: nil, address: "demo", idempotencyKey: nil, requireFormAnswers: false,
                                     now: ago(now, days: 1, hours: 6))

        // A hotel's report of a possible child: an emergency, with the police since.
        var hotel = ReportInput()
        hotel.dangerNow = true
        hotel.description = "A girl who looks about 14 was brought to room 12 by two older men who paid cash and would not give names."
        hotel.location = "Riverside Hotel, Quay Street"
        hotel.postcode = "WM2 3CD"
        hotel.phones = "07700 900412"
        hotel.reporterType = ReporterType.hotel.rawValue
        hotel.campaignCode = DemoCampaigns.hotelCode  // opened from the staff-room poster's QR code
        let hotelAt = ago(now, days: 3)
        let emergency = try await reports.submit(hotel, source: .public, identity: nil, address: "demo", idempotencyKey: nil, requireFormAnswers: false,
                                                 now: hotelAt)
        try await reports.perform(.accept, on: try emergency.report.requireID(), identity: analyst, address: "demo", now: hotelAt.addingTimeInterval(20 * 60))
        try await reports.perform(.start, on: try emergency.report.requireID(), identity: analyst, address: "demo", now: hotelAt.addingTimeInterval(40 * 60))

        // A Jobcentre practitioner's labour report, routed to the labour inspectorate (which
        // has no one in Cairn: the triage team and the administrator are told).
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
        let carWashReport = try await reports.submit(carWash, source: .practitioner, identity: practitioner, address: "demo", idempotencyKey: nil,
                                                     requireFormAnswers: false, now: ago(now, days: 60)).report
        let carWashID = try carWashReport.requireID()

        // Two later reports the intelligence engine links to the car wash: a letting agent
        // with the same phone (public, so analysts are alerted: another source), and a police
        // report naming the same man, spelt differently, at the same address.
        var lettings = ReportInput()
        lettings.description = "We let a two-bedroom house to a man who pays cash; eight men live there and are driven away in a minibus at 6am."
        lettings.location = "22 Foundry Street, Westmere"
        lettings.postcode = "WM4 7JK"
        lettings.phones = "+44 7700 900218"
        lettings.reporterType = ReporterType.lettingAgent.rawValue
        _ = try await reports.submit(lettings, source: .public, identity: nil, address: "demo", idempotencyKey: nil, requireFormAnswers: false,
                                     now: ago(now, days: 20))
        var patrol = ReportInput()
        patrol.description = "Officers spoke to a worker at the hand car wash who seemed frightened and said the manager holds everyone's documents."
        patrol.exploitationTypes = [ExploitationType.labour.rawValue]
        patrol.ageGroup = AgeGroup.adult.rawValue
        patrol.labourSector = LabourSector.carWash.rawValue
        patrol.postcode = "WM4 6EF"
        patrol.persons = [.init(name: "Andrei Ionesku", dateOfBirth: "03/1994", nationality: "Romanian")]
        patrol.addresses = [.init(line: "3 Mill Lane", postcode: "WM4 6EF")]
        _ = try await reports.submit(patrol, source: .practitioner, identity: analyst, address: "demo", idempotencyKey: nil, requireFormAnswers: false,
                                     now: ago(now, days: 12))

        // A closed police report with its outcome; the police then ask the council to assess
        // the resident's needs (a referral waiting for the council's reply).
        var closed = ReportInput()
        closed.dangerNow = true
        closed.description = "Neighbour reports a vulnerable man's flat used by strangers day and night; he was seen with a black eye."
        closed.exploitationTypes = [ExploitationType.criminal.rawValue]
        closed.ageGroup = AgeGroup.adult.rawValue
        closed.indicators = [.init(id: "cuckooing.home-taken-over", knowledge: "observed"), .init(id: "cuckooing.many-visitors", knowledge: "observed")]
        closed.addresses = [.init(line: "Flat 4, Canal House, Wharf Road", postcode: "WM3 9GH")]
        let cuckooedAt = ago(now, days: 40)
        let cuckooed = try await reports.submit(closed, source: .practitioner, identity: analyst, address: "demo", idempotencyKey: nil, requireFormAnswers: false,
                                                now: cuckooedAt)
        try await reports.perform(.accept, on: try cuckooed.report.requireID(), identity: analyst, address: "demo", now: cuckooedAt.addingTimeInterval(3_600))
        try await reports.perform(.close(outcome: ReportOutcome.premisesVisited.rawValue, date: day(ago(now, days: 7)),
                                         note: "Joint visit with housing; the resident was moved to safe accommodation."),
                                  on: try cuckooed.report.requireID(), identity: analyst, address: "demo", now: ago(now, days: 7))
        _ = try await reports.refer(try cuckooed.report.requireID(), to: council.agencyID, shared: [ShareCategory.location.rawValue],
                                    request: "Please assess the resident's care and support needs in his new home.", identity: analyst, address: "demo",
                                    now: ago(now, days: 6))

        // The Jobcentre's report of a claimant's partner: the police closed it three days ago,
        // so the practitioner sees the outcome on their home page.
        var partner = ReportInput()
        partner.description = "Claimant says her partner's 'friends' take her to flats in other towns and keep the money; she is frightened of them."
        partner.exploitationTypes = [ExploitationType.sexual.rawValue]
        partner.ageGroup = AgeGroup.adult.rawValue
        partner.postcode = "WM5 1LP"
        let partnerAt = ago(now, days: 20)
        let partnerReport = try await reports.submit(partner, source: .practitioner, identity: practitioner, address: "demo", idempotencyKey: nil,
                                                     requireFormAnswers: false, now: partnerAt)
        try await reports.perform(.accept, on: try partnerReport.report.requireID(), identity: analyst, address: "demo", now: partnerAt.addingTimeInterval(86_400))
        try await reports.perform(.close(outcome: ReportOutcome.safeguardingReferralMade.rawValue, date: day(ago(now, days: 3)),
                                         note: "She accepted support; the council's adult safeguarding team is working with her."),
                                  on: try partnerReport.report.requireID(), identity: analyst, address: "demo", now: ago(now, days: 3))

        // The council's county-lines report, with the police for three days and not yet
        // accepted: overdue (high urgency, 24 hours).
        var county = ReportInput()
        county.description = "A 19-year-old the council supports says he is made to carry packages to the coast each weekend and owes money he cannot repay."
        county.exploitationTypes = [ExploitationType.criminal.rawValue]
        county.countyLines = true
        county.ageGroup = AgeGroup.adult.rawValue
        county.postcode = "WM6 2QS"
        _ = try await reports.submit(county, source: .practitioner, identity: council, address: "demo", idempotencyKey: nil, requireFormAnswers: false,
                                     now: ago(now, days: 3, hours: 2))

        // An emergency from the public 25 minutes ago: due for a response within the hour.
        var station = ReportInput()
        station.dangerNow = true
        station.description = "A man at the bus station says he and four others are locked in a house at night and driven to a farm each morning. He is scared to go back."
        station.location = "Westmere bus station"
        station.postcode = "WM1 1AA"
        station.reporterType = ReporterType.memberOfPublic.rawValue
        station.campaignCode = DemoCampaigns.rightsCode
        _ = try await reports.submit(station, source: .public, identity: nil, address: "demo", idempotencyKey: nil, requireFormAnswers: false,
                                     now: ago(now, days: 0, hours: 25.0 / 60))
        // Linking runs after each report is stored; let it finish before the cases are loaded,
        // and link anything a failed pass left waiting (as `cairn serve`'s sweep would, later).
        await reports.settle()
        _ = await services.intelligence.linker.sweep()
        return (carWashID, carWashReport.reference)
    }

    /// Closed police reports from 18 months to about 3 months ago, across the county's
    /// districts and kinds of exploitation, so hotspots and trends have something to show.
    /// They name no one, so they link to nothing.
    static func history(_ services: AppServices, analyst: Identity, now: Date) async throws {
        let kinds: [(ExploitationType, LabourSector?, Bool, String)] = [
            (.sexual, nil, false, "Officers found three women living above a massage parlour who were not free to leave."),
            (.criminal, nil, true, "A 17-year-old found with drugs and a train ticket far from home said he was sent by older men."),
            (.labour, .agriculture, false, "Pickers on a farm say their wages go straight to the man who drives them there."),
            (.domesticServitude, nil, false, "A neighbour says a woman next door cleans all day, never goes out and has no phone."),
            (.criminal, nil, false, "A man was found cultivating cannabis in a locked house and said he could not leave."),
            (.labour, .hospitality, false, "Kitchen staff at a takeaway sleep on the premises and say they owe the owner for travel."),
        ]
        let outcomes: [ReportOutcome] = [.policeInvestigationOpened, .safeguardingReferralMade, .nrmReferralMade, .premisesVisited,
                                         .intelligenceRecorded, .supportOfferedAndAccepted, .noIndicatorsFound, .supportOfferedAndDeclined]
        let districts = ["WM1", "WM2", "WM3", "WM4", "WM5", "WM6", "WM2", "WM4"]
        for index in 0..<24 {
            let (type, sector, countyLines, text) = kinds[index % kinds.count]
            var input = ReportInput()
            input.description = text
            input.exploitationTypes = [type.rawValue]
            input.countyLines = countyLines
            input.ageGroup = countyLines ? AgeGroup.child.rawValue : AgeGroup.adult.rawValue
            input.labourSector = sector?.rawValue ?? ""
            input.postcode = "\(districts[index % districts.count]) \(1 + index % 9)\(["AB", "CD", "EF", "GH"][index % 4])"
            // From 540 days ago to about 100, some months busier than others.
            let received = ago(now, days: 540 - Double(index) * 18 - Double(index % 3) * 5, hours: Double(index % 7))
            let report = try await services.reports.submit(input, source: .practitioner, identity: analyst, address: "demo", idempotencyKey: nil,
                                                           requireFormAnswers: false, now: received)
            let id = try report.report.requireID()
            try await services.reports.perform(.accept, on: id, identity: analyst, address: "demo", now: received.addingTimeInterval(3 * 3_600))
            let closedAt = received.addingTimeInterval(Double(5 + index % 4 * 6) * 86_400)
            try await services.reports.perform(.close(outcome: outcomes[index % outcomes.count].rawValue, date: day(closedAt),
                                                      note: "Closed after enquiries (fictional demo history)."),
                                               on: id, identity: analyst, address: "demo", now: closedAt)
        }
    }
}
