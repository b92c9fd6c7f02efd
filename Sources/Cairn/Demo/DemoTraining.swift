import CairnCore
import Foundation

/// A year of fictional training in Westmere: five courses, sessions every month for hotels,
/// letting agents, GPs and A&E, Jobcentre staff, police and council staff (over 1,500 people),
/// a few registers of named attendees (fictional, `.invalid` emails; one person came twice),
/// confidence sheets on most sessions, sessions still to come, and two recent sessions the
/// demo trainer has not finished recording (one with no attendance, one with no feedback).
/// Dates are worked out from `now`; everything goes through `TrainingService`.
enum DemoTraining {
    struct Course {
        let title: String
        let topics: [TrainingTopic]
        let sectors: [Sector]
        let outcomes: String
        let minutes: Int
    }

    static let courses: [Course] = [
        Course(title: "Spot the signs: hotel and hospitality staff", topics: [.spottingSigns, .howToReport, .sexualExploitation, .labourExploitation],
               sectors: [.hospitality], outcomes: "Recognise signs of exploitation among guests and staff.\nKnow who to tell and how to report a concern.", minutes: 90),
        Course(title: "Modern slavery for letting agents and landlords", topics: [.spottingSigns, .howToReport, .labourExploitation],
               sectors: [.lettingHousing], outcomes: "Recognise overcrowded and controlled lets.\nReport a concern to the partnership.", minutes: 60),
        Course(title: "Modern slavery in health settings", topics: [.spottingSigns, .howToReport, .victimCare, .dutyToNotify],
               sectors: [.primaryCare, .hospitals], outcomes: "Recognise a patient who may be exploited.\nRespond in a trauma-informed way.\nRefer safely.", minutes: 120),
        Course(title: "Frontline awareness for Jobcentre and council staff", topics: [.spottingSigns, .howToReport, .employmentRights, .criminalExploitation],
               sectors: [.jobcentre, .council], outcomes: "Spot signs at appointments and visits.\nKnow the employment rights people have.", minutes: 90),
        Course(title: "First responder training for police officers", topics: [.spottingSigns, .countyLines, .criminalExploitation, .dutyToNotify, .victimCare],
               sectors: [.police], outcomes: "Identify potential victims, make NRM referrals and meet the Duty to Notify.", minutes: 180),
    ]

    static let areas = ["WM1", "WM2", "WM4", "HV1", "HV3"]
    /// The agency counted attendance names for a sector, where the demo has one: the partner
    /// agencies' names match the directory, so the afterwards page can compare their reports.
    static let attendingAgency: [Sector: String] = [
        .hospitality: "Riverside Hotels Group (Westmere)", .police: "Westmere Constabulary", .jobcentre: "Jobcentre Plus Westmere",
        .council: "Westmere County Council Adult Safeguarding",
    ]

    static func load(into services: AppServices, now: Date) async throws {
        let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
        let training = services.training
        let agencies = Dictionary(try await services.accounts.agencies().compactMap { a in a.id.map { (a.name, $0) } }, uniquingKeysWith: { first, _ in first })
        guard let project = agencies["Westmere Freedom Project"], let police = agencies["Westmere Constabulary"] else { return }
        let created = now.addingTimeInterval(-400 * 86_400)
        let actions = try await training.actionChoices(identity: trainer)
        var ids: [UUID] = []
        for (index, c) in courses.enumerated() {
            let hotelAction = actions.first(where: { $0.title.hasPrefix("Hotel") })?.id.uuidString ?? ""
            let action = index == 0 ? hotelAction : ""
            let course = try await training.createCourse(
                .init(title: c.title, topics: c.topics.map(\.rawValue), sectors: c.sectors.map(\.rawValue), outcomes: c.outcomes,
                      duration: String(c.minutes), planActionID: action), identity: trainer, address: "demo", now: created)
            ids.append(try course.requireID())
        }
        let today = TrainingService.today(now)
        func session(_ course: Int, daysAgo: Int, agency: UUID, area: String, delivery: TrainingDelivery = .inPerson, language: String = "English") async throws -> UUID {
            try await training.createSession(
                .init(courseID: ids[course].uuidString, heldOn: today.adding(days: -daysAgo).description, trainerAgencyID: agency.uuidString,
                      delivery: delivery.rawValue, area: area, language: language), identity: trainer, address: "demo", now: now).requireID()
        }
        // A session for each course every month over the last year, hotels and police twice.
        var registerSessions: [UUID] = []
        for month in 1...12 {
            let audiences: [(Int, [Sector])] = [(0, [.hospitality]), (1, [.lettingHousing]), (2, [.primaryCare, .hospitals]), (3, [.jobcentre, .council]),
                                                (4, [.police])]
            for (course, sectors) in audiences {
                let runs = course == 0 || course == 4 ? 2 : 1
                for run in 0..<runs {
                    let daysAgo = month * 30 - 5 - course * 3 - run * 12
                    let agency = course == 4 ? police : project
                    let id = try await session(course, daysAgo: daysAgo, agency: agency, area: areas[(month + course + run) % areas.count],
                                               delivery: (month + run) % 4 == 0 ? .online : .inPerson)
                    if course == 1 && month % 4 == 2 {
                        registerSessions.append(id)
                    } else {
                        let rows = sectors.enumerated().map { i, sector in
                            TrainingService.CountInput(sector: sector.rawValue, agency: Self.attendingAgency[sector] ?? "",
                                                       people: String(8 + (month * 7 + course * 5 + run * 3 + i * 4) % 17))
                        }
                        try await training.recordAttendance(id, rows: rows, identity: trainer, address: "demo")
                    }
                    if course != 4 || month % 3 == 0 {
                        try await training.recordSheets(id, sheets(count: 6, seed: month + course + run), identity: trainer, address: "demo", now: now)
                    }
                }
            }
        }
        // Registers kept by the letting agents (fictional people); Jo Example came twice.
        let people: [(String, String, String)] = [
            ("Jo Example", "Keyhouse Letting Agents", "jo.example@keyhouse.invalid"), ("Sam Placeholder", "Keyhouse Letting Agents", ""),
            ("Riya Sample", "Westmere Landlords Association", "riya.sample@landlords.invalid"), ("Tom Fictional", "Harbour Lets", ""),
            ("Ada Madeup", "Harbour Lets", "ada.madeup@harbourlets.invalid"),
        ]
        for (index, id) in registerSessions.enumerated() {
            for (name, agency, email) in people where index == 0 || name != "Sam Placeholder" {
                try await training.addAttendee(id, .init(name: name, agency: agency, email: email, sector: Sector.lettingHousing.rawValue),
                                               identity: trainer, address: "demo", now: now)
            }
        }
        // What the demo trainer still has to do: one session with nothing recorded, one with no feedback.
        _ = try await session(0, daysAgo: 4, agency: project, area: "WM1")
        let noFeedback = try await session(3, daysAgo: 9, agency: project, area: "HV1")
        try await training.recordAttendance(noFeedback, rows: [.init(sector: Sector.jobcentre.rawValue, agency: "Jobcentre Plus Westmere", people: "14")],
                                            identity: trainer, address: "demo")
        // Sessions to come: two in the next month, one later, and one the police run.
        _ = try await session(0, daysAgo: -6, agency: project, area: "WM2")
        _ = try await session(2, daysAgo: -20, agency: project, area: "WM4", delivery: .online)
        _ = try await session(1, daysAgo: -45, agency: project, area: "HV3")
        _ = try await session(4, daysAgo: -12, agency: police, area: "WM1")
    }

    /// `count` attendees' before and after sheets (confidence rising by one or two points), and
    /// one before sheet whose attendee left early.
    static func sheets(count: Int, seed: Int) -> [ConfidenceSheet] {
        var sheets: [ConfidenceSheet] = []
        for pair in 1...count {
            let base = 1 + (pair + seed) % 3
            let before: [ConfidenceQuestion: Int] = [.recogniseSigns: base, .howToReport: max(1, base - 1), .afterReporting: 1 + (pair + seed * 2) % 2]
            let after = before.mapValues { min(5, $0 + 1 + (pair + seed) % 2) }
            sheets.append(ConfidenceSheet(pair: pair, phase: .before, answers: before))
            sheets.append(ConfidenceSheet(pair: pair, phase: .after, answers: after))
        }
        sheets.append(ConfidenceSheet(pair: count + 1, phase: .before, answers: [.recogniseSigns: 2, .howToReport: 2, .afterReporting: 1]))
        return sheets
    }
}
