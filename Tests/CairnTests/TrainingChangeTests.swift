import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// Changing a training session from its pages: editing it (the same checks as a new one, so
/// never dated before its course existed), deleting it with its counts, register and sheets
/// (behind a confirmation page, all in one go), and taking a person off a register, with
/// "people trained" following; each audited without names; refused for readers.
@Suite struct TrainingChangeTests {
    static func fixture(_ services: AppServices) async throws -> (coordinator: Identity, course: UUID, first: UUID, second: UUID) {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let training = services.training
        let course = try await training.createCourse(.init(title: "Change test", topics: ["how_to_report"], sectors: ["retail"], duration: "60"),
                                                     identity: coordinator, address: "test", now: Date().addingTimeInterval(-30 * 86_400)).requireID()
        func session(_ daysAgo: Int) async throws -> UUID {
            try await training.createSession(.init(courseID: course.uuidString, heldOn: TrainingService.today().adding(days: -daysAgo).description,
                                                   trainerAgencyID: coordinator.agencyID.uuidString, delivery: "online", area: "ZZ8", language: "English"),
                                             identity: coordinator, address: "test").requireID()
        }
        return (coordinator, course, try await session(10), try await session(5))
    }

    static func fields(course: UUID, agency: UUID, day: CalendarDate, area: String = "zz7", language: String = "Polish") -> [(String, String)] {
        [("courseId", course.uuidString), ("heldOn-day", String(day.day)), ("heldOn-month", String(day.month)), ("heldOn-year", String(day.year)),
         ("trainerAgencyId", agency.uuidString), ("delivery", "in_person"), ("area", area), ("language", language)]
    }

    @Test func aCoordinatorEditsASessionWithTheSameChecksAsANewOne() async throws {
        try await withApp { client, built in
            let services = built.services, db = services.database.db
            let (coordinator, course, first, _) = try await Self.fixture(services)
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let page = try await browser.get("/training/sessions/\(first.uuidString)")
            #expect(page.text.contains("/training/sessions/\(first.uuidString)/edit") && page.text.contains("/training/sessions/\(first.uuidString)/delete"))
            let form = try await browser.get("/training/sessions/\(first.uuidString)/edit")
            #expect(form.status == .ok && form.text.contains("Edit the session") && form.text.contains("value=\"ZZ8\""))
            let before = try #require(try await TrainingSession.find(first, on: db))
            let audits = try await AuditEntry.query(on: db).count()
            // Before the course existed: refused, nothing changed.
            let early = try await browser.post("/training/sessions/\(first.uuidString)",
                                               Self.fields(course: course, agency: coordinator.agencyID, day: TrainingService.today().adding(days: -60)))
            #expect(early.status == .unprocessableContent && early.text.contains("The session is dated before its course existed"))
            let bad = try await browser.post("/training/sessions/\(first.uuidString)",
                                             Self.fields(course: course, agency: UUID(), day: TrainingService.today(), area: "W1 1AA", language: ""))
            #expect(bad.status == .unprocessableContent && bad.text.contains("postcode district") && bad.text.contains("Choose the agency"))
            let unchanged = try #require(try await TrainingSession.find(first, on: db))
            #expect(unchanged.heldOn == before.heldOn && unchanged.area == "ZZ8" && unchanged.language == "English")
            #expect(try await AuditEntry.query(on: db).count() == audits)
            // Saved.
            let day = TrainingService.today().adding(days: -3)
            let saved = try await browser.post("/training/sessions/\(first.uuidString)", Self.fields(course: course, agency: coordinator.agencyID, day: day))
            #expect(saved.status == .seeOther && saved.location == "/training/sessions/\(first.uuidString)")
            let after = try #require(try await TrainingSession.find(first, on: db))
            #expect(after.heldOn == day.description && after.area == "ZZ7" && after.language == "Polish" && after.delivery == "in_person")
            let entry = try #require(try await AuditEntry.query(on: db).filter(\.$action == "training.session.updated").filter(\.$recordID == first.uuidString).first())
            #expect(entry.detail == "changed: heldOn, delivery, area, language")
            // An unknown session is 404; readers may not edit.
            #expect(try await browser.get("/training/sessions/\(UUID().uuidString)/edit").status == .notFound)
            #expect(try await browser.post("/training/sessions/\(UUID().uuidString)", Self.fields(course: course, agency: coordinator.agencyID, day: day))
                .status == .notFound)
            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            #expect(try await viewer.get("/training/sessions/\(first.uuidString)/edit").status == .forbidden)
            #expect(try await viewer.post("/training/sessions/\(first.uuidString)", Self.fields(course: course, agency: coordinator.agencyID, day: day))
                .status == .forbidden)
            #expect(!(try await viewer.get("/training/sessions/\(first.uuidString)")).text.contains("/edit\""))
        }
    }

    @Test func deletingASessionTakesItsCountsRegisterAndSheetsAfterConfirming() async throws {
        try await withApp { client, built in
            let services = built.services, db = services.database.db, training = services.training
            let (coordinator, _, first, second) = try await Self.fixture(services)
            for name in ["Kim Fictional", "Lee Madeup"] {
                try await training.addAttendee(first, .init(name: name, agency: "Corner Shop", email: "", sector: "retail"), identity: coordinator, address: "test")
            }
            try await training.addAttendee(second, .init(name: "Kim Fictional", agency: "Corner Shop", email: "", sector: "retail"), identity: coordinator, address: "test")
            try await training.recordSheets(first, [ConfidenceSheet(pair: 1, phase: .before, answers: [.recogniseSigns: 2, .howToReport: 2, .afterReporting: 1]),
                                                    ConfidenceSheet(pair: 1, phase: .after, answers: [.recogniseSigns: 4, .howToReport: 5, .afterReporting: 4])],
                                            identity: coordinator, address: "test")
            #expect(try await training.totals(from: nil, to: nil, by: .area, identity: coordinator).rows.first { $0.key == "ZZ8" }?.people == 2)
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let confirm = try await browser.get("/training/sessions/\(first.uuidString)/delete")
            #expect(confirm.status == .ok && confirm.text.contains("Delete the session") && confirm.text.contains("register of 2 named attendees")
                    && confirm.text.contains("2 confidence sheets"))
            #expect(try await TrainingSession.find(first, on: db) != nil)
            let deleted = try await browser.post("/training/sessions/\(first.uuidString)/delete", [])
            #expect(deleted.status == .seeOther && deleted.location == "/training/sessions")
            #expect(try await TrainingSession.find(first, on: db) == nil)
            #expect(try await TrainingAttendee.query(on: db).filter(\.$sessionID == first).count() == 0)
            #expect(try await TrainingResponse.query(on: db).filter(\.$sessionID == first).count() == 0)
            #expect(try await TrainingAttendee.query(on: db).filter(\.$sessionID == second).count() == 1)
            // Lee attended nothing else: one person left in the area.
            #expect(try await training.totals(from: nil, to: nil, by: .area, identity: coordinator).rows.first { $0.key == "ZZ8" }?.people == 1)
            let entry = try #require(try await AuditEntry.query(on: db).filter(\.$action == "training.session.deleted").filter(\.$recordID == first.uuidString).first())
            #expect(entry.detail.contains("2 on the register, 2 sheets") && !entry.detail.contains("Kim"))
            #expect(try await browser.post("/training/sessions/\(first.uuidString)/delete", []).status == .notFound)
            #expect(try await browser.get("/training/sessions/\(first.uuidString)/delete").status == .notFound)
            // Counts go with their session too; readers may not delete.
            _ = try await Self.countSession(services, coordinator)
            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            #expect(try await viewer.get("/training/sessions/\(second.uuidString)/delete").status == .forbidden)
            #expect(try await viewer.post("/training/sessions/\(second.uuidString)/delete", []).status == .forbidden)
            #expect(try await TrainingSession.find(second, on: db) != nil)
        }
    }

    /// A session with attendance counts, deleted through the service: its counts go too.
    static func countSession(_ services: AppServices, _ coordinator: Identity) async throws -> UUID {
        let training = services.training, db = services.database.db
        let course = try await training.createCourse(.init(title: "Counts test", topics: ["how_to_report"], sectors: ["retail"], duration: "60"),
                                                     identity: coordinator, address: "test", now: Date().addingTimeInterval(-30 * 86_400)).requireID()
        let id = try await training.createSession(.init(courseID: course.uuidString, heldOn: TrainingService.today().description,
                                                        trainerAgencyID: coordinator.agencyID.uuidString, delivery: "online", area: "ZZ6", language: "English"),
                                                  identity: coordinator, address: "test").requireID()
        try await training.recordAttendance(id, rows: [.init(sector: "retail", agency: "", people: "9")], identity: coordinator, address: "test")
        #expect(try await TrainingAttendance.query(on: db).filter(\.$sessionID == id).count() == 1)
        try await training.deleteSession(id, identity: coordinator, address: "test")
        #expect(try await TrainingAttendance.query(on: db).filter(\.$sessionID == id).count() == 0)
        #expect(try await training.totals(from: nil, to: nil, by: .area, identity: coordinator).rows.first { $0.key == "ZZ6" } == nil)
        return try await training.createSession(.init(courseID: course.uuidString, heldOn: TrainingService.today().description,
                                                      trainerAgencyID: coordinator.agencyID.uuidString, delivery: "online", area: "ZZ6", language: "English"),
                                                identity: coordinator, address: "test").requireID()
    }

    @Test func removingAnAttendeeAsksFirstAndPeopleTrainedFollows() async throws {
        try await withApp { client, built in
            let services = built.services, db = services.database.db, training = services.training
            let (coordinator, _, first, second) = try await Self.fixture(services)
            let kim = try await training.addAttendee(first, .init(name: "Kim Fictional", agency: "Corner Shop", email: "kim@shop.invalid", sector: "retail"),
                                                     identity: coordinator, address: "test").requireID()
            let lee = try await training.addAttendee(first, .init(name: "Lee Madeup", agency: "Corner Shop", email: "", sector: "retail"),
                                                     identity: coordinator, address: "test").requireID()
            try await training.addAttendee(second, .init(name: "Kim F", agency: "Other", email: "KIM@shop.invalid", sector: "retail"), identity: coordinator, address: "test")
            func people() async throws -> Int? { try await training.totals(from: nil, to: nil, by: .area, identity: coordinator).rows.first { $0.key == "ZZ8" }?.people }
            #expect(try await people() == 2)
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            let register = try await browser.get("/training/sessions/\(first.uuidString)/register")
            #expect(register.text.contains("/training/sessions/\(first.uuidString)/register/\(kim.uuidString)/remove"))
            let confirm = try await browser.get("/training/sessions/\(first.uuidString)/register/\(kim.uuidString)/remove")
            #expect(confirm.status == .ok && confirm.text.contains("Remove Kim Fictional from the register?"))
            // Kim is also on the second register: still counted once.
            #expect(try await browser.post("/training/sessions/\(first.uuidString)/register/\(kim.uuidString)/remove", []).status == .seeOther)
            #expect(try await TrainingAttendee.find(kim, on: db) == nil)
            #expect(try await people() == 2)
            // Lee attended nothing else: the total drops.
            #expect(try await browser.post("/training/sessions/\(first.uuidString)/register/\(lee.uuidString)/remove", []).status == .seeOther)
            #expect(try await people() == 1)
            let entries = try await AuditEntry.query(on: db).filter(\.$action == "training.attendee.removed").all()
            #expect(entries.count == 2)
            #expect(entries.allSatisfy { !$0.detail.contains("Kim") && !$0.detail.contains("Lee") && !$0.detail.contains("@") })
            // Gone, wrong session, unknown: 404; nothing changes.
            let other = try #require(try await TrainingAttendee.query(on: db).filter(\.$sessionID == second).first()?.id)
            #expect(try await browser.post("/training/sessions/\(first.uuidString)/register/\(lee.uuidString)/remove", []).status == .notFound)
            #expect(try await browser.post("/training/sessions/\(first.uuidString)/register/\(other.uuidString)/remove", []).status == .notFound)
            #expect(try await browser.get("/training/sessions/\(first.uuidString)/register/\(other.uuidString)/remove").status == .notFound)
            #expect(try await TrainingAttendee.find(other, on: db) != nil)
            // Readers may not remove anyone.
            let viewer = Browser(client)
            try await viewer.signIn("practitioner@demo.invalid")
            #expect(try await viewer.get("/training/sessions/\(second.uuidString)/register/\(other.uuidString)/remove").status == .forbidden)
            #expect(try await viewer.post("/training/sessions/\(second.uuidString)/register/\(other.uuidString)/remove", []).status == .forbidden)
            #expect(try await TrainingAttendee.find(other, on: db) != nil)
        }
    }
}
