import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// Training through its pages on the demo partnership: courses, sessions (never dated before
/// their course existed), attendance counts, the register (personal data: trainers and
/// coordinators only, every look audited) and confidence sheets, with bad input refused and
/// nothing saved, and who may do what.
@Suite struct TrainingTests {
    static func count<M: Model>(_ type: M.Type, _ services: AppServices) async throws -> Int {
        try await M.query(on: services.database.db).count()
    }

    static func sessionID(_ location: String?) throws -> UUID {
        try #require(location.flatMap { UUID(uuidString: String($0.split(separator: "/").last ?? "")) })
    }

    @Test func aTrainerRecordsACourseASessionItsAttendanceAndFeedback() async throws {
        try await withApp { client, built in
            let services = built.services
            let trainer = Browser(client)
            try await trainer.signIn("trainer@demo.invalid")
            #expect(try await trainer.get("/training/courses/new").status == .ok)
            // A course with no topics or sectors is refused, naming each field; nothing is stored.
            let courses = try await Self.count(TrainingCourse.self, services)
            let refused = try await trainer.post("/training/courses", [("title", "Car wash outreach"), ("duration", "ninety")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Choose at least one topic") && refused.text.contains("Choose at least one audience sector")
                    && refused.text.contains("whole number of minutes"))
            #expect(try await Self.count(TrainingCourse.self, services) == courses)
            let made = try await trainer.post("/training/courses", [
                ("title", "Car wash outreach"), ("topics", "spotting_signs"), ("topics", "employment_rights"), ("sectors", "car_washes"),
                ("outcomes", "Know the signs."), ("duration", "90"), ("planActionId", ""),
            ])
            #expect(made.status == .seeOther)
            let coursePath = try #require(made.location)
            let coursePage = try await trainer.get(coursePath).text
            #expect(coursePage.contains("Car wash outreach") && coursePage.contains("Employment rights") && coursePage.contains("1 hour 30 minutes"))
            let courseID = try #require(UUID(uuidString: String(coursePath.split(separator: "/").last ?? "")))

            // A session dated before the course existed is refused with a clear message.
            let today = TrainingService.today()
            let yesterday = today.adding(days: -1)
            let sessions = try await Self.count(TrainingSession.self, services)
            let agency = try #require(try await services.accounts.agencies().first { $0.name == "Westmere Freedom Project" }?.id)
            func fields(_ day: CalendarDate, area: String = "wm1") -> [(String, String)] {
                [("courseId", courseID.uuidString), ("heldOn-day", String(day.day)), ("heldOn-month", String(day.month)), ("heldOn-year", String(day.year)),
                 ("trainerAgencyId", agency.uuidString), ("delivery", "in_person"), ("area", area), ("language", "Romanian")]
            }
            let early = try await trainer.post("/training/sessions", fields(yesterday))
            #expect(early.status == .unprocessableContent)
            #expect(early.text.contains("The session is dated before its course existed"))
            let badArea = try await trainer.post("/training/sessions", fields(today, area: "W1 1AA"))
            #expect(badArea.status == .unprocessableContent && badArea.text.contains("postcode district"))
            let badDate = try await trainer.post("/training/sessions", fields(today).map { $0.0 == "heldOn-day" ? ($0.0, "32") : $0 })
            #expect(badDate.status == .unprocessableContent)
            #expect(try await Self.count(TrainingSession.self, services) == sessions)
            let recorded = try await trainer.post("/training/sessions", fields(today))
            #expect(recorded.status == .seeOther)
            let id = try Self.sessionID(recorded.location)
            let stored = try #require(try await TrainingSession.find(id, on: services.database.db))
            #expect(stored.area == "WM1" && stored.heldOn == today.description && stored.language == "Romanian")

            // Attendance as counts; a negative count is a 400 and the counts stay as they were.
            let path = "/training/sessions/\(id.uuidString)"
            let attended = try await trainer.post(path + "/attendance", [
                ("sector", "car_washes"), ("agency", "Sparkle Hand Car Wash"), ("people", "12"),
                ("sector", "general_public"), ("agency", ""), ("people", "5"),
                ("sector", ""), ("agency", ""), ("people", ""),
            ])
            #expect(attended.status == .seeOther)
            #expect(try await trainer.get(path).text.contains("17 people trained"))
            let negative = try await trainer.post(path + "/attendance", [("sector", "car_washes"), ("agency", ""), ("people", "-3")])
            #expect(negative.status == .badRequest)
            #expect(negative.text.contains("cannot be negative"))
            let rows = try await TrainingAttendance.query(on: services.database.db).filter(\.$sessionID == id).all()
            #expect(rows.map(\.people).sorted() == [5, 12])
            let unknown = try await trainer.post(path + "/attendance", [("sector", "pirates"), ("agency", ""), ("people", "3")])
            #expect(unknown.status == .badRequest)

            // Confidence sheets; the results are the hand-computed ones (see TrainingRulesTests).
            for (phase, pair, a, b, c) in [("before", "1", "2", "2", "1"), ("after", "1", "4", "5", "3"), ("before", "2", "3", "3", "2"),
                                           ("after", "2", "4", "4", "4"), ("before", "3", "1", "1", "1")] {
                let sent = try await trainer.post(path + "/feedback", [("phase", phase), ("pair", pair), ("recognise_signs", a), ("how_to_report", b),
                                                                       ("after_reporting", c)])
                #expect(sent.status == .seeOther, "\(phase) \(pair)")
            }
            let responses = try await Self.count(TrainingResponse.self, services)
            let outside = try await trainer.post(path + "/feedback", [("phase", "after"), ("pair", "3"), ("recognise_signs", "6"), ("how_to_report", "0"),
                                                                      ("after_reporting", "3")])
            #expect(outside.status == .badRequest && outside.text.contains("from 1 to 5"))
            let twice = try await trainer.post(path + "/feedback", [("phase", "after"), ("pair", "1"), ("recognise_signs", "3"), ("how_to_report", "3"),
                                                                    ("after_reporting", "3")])
            #expect(twice.status == .conflict)
            #expect(try await Self.count(TrainingResponse.self, services) == responses)
            let page = try await trainer.get(path).text
            #expect(page.contains("<td class=\"numeric\">2.00</td><td class=\"numeric\">4.00</td><td class=\"numeric\">+1.50</td><td class=\"numeric\">3</td><td class=\"numeric\">2</td><td class=\"numeric\">2</td>"))
            #expect(page.contains("<td class=\"numeric\">1.33</td><td class=\"numeric\">3.50</td><td class=\"numeric\">+2.00</td>"))

            // Every change is audited, with ids and counts only.
            let db = services.database.db
            for action in ["training.course.created", "training.session.created", "training.attendance.recorded", "training.feedback.recorded"] {
                #expect(try await AuditEntry.query(on: db).filter(\.$action == action).filter(\.$actor == "trainer@demo.invalid").count() >= 1, "\(action)")
            }
            let attendance = try #require(try await AuditEntry.query(on: db).filter(\.$action == "training.attendance.recorded").filter(\.$recordID == id.uuidString).first())
            #expect(attendance.detail == "2 rows, 17 people")
        }
    }

    @Test func theRegisterIsForTrainersOnlyAndCountsEachPersonOnce() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let training = services.training
            let created = Date().addingTimeInterval(-30 * 86_400)
            let course = try await training.createCourse(.init(title: "Register test", topics: ["how_to_report"], sectors: ["retail"], duration: "60"),
                                                         identity: coordinator, address: "test", now: created).requireID()
            let agency = coordinator.agencyID.uuidString
            func session(_ daysAgo: Int) async throws -> UUID {
                try await training.createSession(.init(courseID: course.uuidString, heldOn: TrainingService.today().adding(days: -daysAgo).description,
                                                       trainerAgencyID: agency, delivery: "online", area: "ZZ9", language: "English"),
                                                 identity: coordinator, address: "test").requireID()
            }
            let first = try await session(10), second = try await session(5)
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            for (id, name, agencyName, email) in [(first, "Kim Fictional", "Corner Shop", "kim@shop.invalid"), (first, "Lee Madeup", "Corner Shop", ""),
                                                  (second, "Kimberly Fictional", "Other Shop", "KIM@shop.invalid"), (second, "lee  madeup", "CORNER shop", ""),
                                                  (second, "Max Sample", "Corner Shop", "")] {
                let added = try await browser.post("/training/sessions/\(id.uuidString)/register", [("name", name), ("agency", agencyName), ("email", email),
                                                                                                     ("sector", "retail")])
                #expect(added.status == .seeOther, "\(name)")
            }
            // The same person twice on one register is refused.
            let again = try await browser.post("/training/sessions/\(first.uuidString)/register", [("name", "Kim"), ("agency", "X"), ("email", "kim@shop.invalid"),
                                                                                                   ("sector", "retail")])
            #expect(again.status == .conflict)
            let badEmail = try await browser.post("/training/sessions/\(first.uuidString)/register", [("name", "Ann"), ("agency", "X"), ("email", "not an email"),
                                                                                                      ("sector", "retail")])
            #expect(badEmail.status == .unprocessableContent)
            #expect(try await TrainingAttendee.query(on: db).filter(\.$sessionID == first).count() == 2)
            // A register session takes no counts.
            let counts = try await browser.post("/training/sessions/\(first.uuidString)/attendance", [("sector", "retail"), ("agency", ""), ("people", "4")])
            #expect(counts.status == .conflict)
            let register = try await browser.get("/training/sessions/\(second.uuidString)/register")
            #expect(register.status == .ok && register.text.contains("Kimberly Fictional"))
            // Five lines on two registers, three people.
            let totals = try await training.totals(from: nil, to: nil, by: .area, identity: coordinator)
            #expect(totals.rows.first { $0.key == "ZZ9" }?.people == 3)
            let perCourse = try await training.totals(from: TrainingService.today().adding(days: -7), to: nil, by: .course, identity: coordinator)
            #expect(perCourse.rows.first { $0.key == course.uuidString }?.people == 3)

            // Reads of the register are audited; no name or email is written to the log.
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "training.register.viewed").filter(\.$recordID == second.uuidString).count() >= 1)
            let entries = try await AuditEntry.query(on: db).filter(\.$action ~~ ["training.attendee.added", "training.register.viewed"]).all()
            #expect(entries.count >= 6)
            #expect(entries.allSatisfy { !$0.detail.contains("Kim") && !$0.detail.contains("shop.invalid") && !$0.detail.contains("Madeup") })

            // Practitioners and viewers see the session (its count) but never the register.
            for email in ["practitioner@demo.invalid", "viewer@demo.invalid"] {
                let reader = Browser(client)
                try await reader.signIn(email)
                let page = try await reader.get("/training/sessions/\(second.uuidString)")
                #expect(page.status == .ok && page.text.contains("register of 3 named attendees") && !page.text.contains("Kimberly"), "\(email)")
                #expect(try await reader.get("/training/sessions/\(second.uuidString)/register").status == .forbidden, "\(email)")
                let sneak = try await reader.post("/training/sessions/\(second.uuidString)/register", [("name", "Eve"), ("agency", "X"), ("email", ""), ("sector", "retail")])
                #expect(sneak.status == .forbidden, "\(email)")
            }
            await #expect(throws: AppError.self) {
                try await training.register(second, identity: try await DemoReports.identity("practitioner@demo.invalid", services), address: "test")
            }
        }
    }

    @Test func everyRoleReadsTrainingAndOnlyTrainersAndCoordinatorsChangeIt() async throws {
        try await withApp { client, built in
            let course = try #require(try await TrainingCourse.query(on: built.services.database.db).first()?.requireID())
            let session = try #require(try await TrainingSession.query(on: built.services.database.db).first()?.requireID())
            for account in DemoPartnership.accounts {
                let browser = Browser(client)
                try await browser.signIn(account.email)
                for path in ["/training", "/training/courses", "/training/sessions", "/training/sessions?when=past&page=2", "/training/courses/\(course.uuidString)",
                             "/training/sessions/\(session.uuidString)"] {
                    #expect(try await browser.get(path).status == .ok, "\(account.email) \(path)")
                }
                let manages = account.roles.contains(.trainer) || account.roles.contains(.coordinator)
                #expect(try await browser.get("/training/courses/new").status == (manages ? .ok : .forbidden), "\(account.email)")
                #expect(try await browser.get("/training/sessions/new").status == (manages ? .ok : .forbidden), "\(account.email)")
                if !manages {
                    let before = try await TrainingCourse.query(on: built.services.database.db).count()
                    let post = try await browser.post("/training/courses", [("title", "Nope"), ("topics", "how_to_report"), ("sectors", "retail"), ("duration", "30")])
                    #expect(post.status == .forbidden)
                    #expect(try await TrainingCourse.query(on: built.services.database.db).count() == before)
                }
            }
            // Bad filters are named, not guessed.
            let browser = Browser(client)
            try await browser.signIn("viewer@demo.invalid")
            #expect(try await browser.get("/training?by=shoe").status == .badRequest)
            #expect(try await browser.get("/training/sessions?when=tomorrow").status == .badRequest)
            #expect(try await browser.get("/training?from-day=31&from-month=2&from-year=2026").status == .badRequest)
            #expect(try await browser.get("/training/sessions/\(UUID().uuidString)").status == .notFound)
            let upcoming = try await browser.get("/training/sessions?when=upcoming").text
            #expect(upcoming.contains("(upcoming)"))
        }
    }
}
