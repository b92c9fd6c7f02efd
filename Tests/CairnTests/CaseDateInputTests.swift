import CairnCore
import FluentKit
import HummingbirdTesting
import Foundation
import Testing

@testable import Cairn

/// The case pages' dates by day, month and year (GOV.UK date input): consent, care-plan tasks,
/// NRM and Duty to Notify; a wrong date names its field, keeps what was typed and changes nothing.
@Suite struct CaseDateInputTests {
    static func boxes(_ name: String, _ day: String, _ month: String, _ year: String) -> [(String, String)] {
        [("\(name)-day", day), ("\(name)-month", month), ("\(name)-year", year)]
    }

    static func boxes(_ name: String, _ date: CalendarDate) -> [(String, String)] {
        boxes(name, String(date.day), String(date.month), String(date.year))
    }

    /// The value of the input with this id, as the page fills it.
    static func box(_ html: String, _ id: String) throws -> String? {
        let pattern = try Regex("id=\"\(id)\"[^>]*value=\"([^\"]*)\"")
        guard let match = html.firstMatch(of: pattern), let value = match.output[1].substring else { return nil }
        return String(value)
    }

    static let today = CaseSupportService.today()

    /// The demo caseworker, signed in, with a new case of their own opened for the test.
    static func caseworkerWithCase(_ client: some TestClientProtocol, _ name: String, _ ageGroup: String) async throws -> (Browser, String, UUID) {
        let caseworker = Browser(client)
        try await caseworker.signIn("caseworker@demo.invalid")
        let id = try await CaseSupportTests.openCase(caseworker, [("chosenName", name), ("ageGroup", ageGroup)])
        return (caseworker, id, try #require(UUID(uuidString: id)))
    }

    @Test func consentStartAndEndAreEnteredByDayMonthAndYear() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let council = try await CaseSupportTests.agencyID(of: "caseworker2@demo.invalid", built)
            let (caseworker, id, cid) = try await Self.caseworkerWithCase(client, "Tomas", "adult")
            let form = try await caseworker.get("/cases/\(id)/consent")
            #expect(!form.text.contains("YYYY-MM-DD"))
            #expect(try Self.box(form.text, "validFrom-day") == String(Self.today.day))
            let base = [("agencies", council), ("categories", "needs_and_care_plan"), ("purposes", "support_and_care_planning"), ("method", "verbal")]

            let notReal = try await caseworker.post("/cases/\(id)/consent", base + Self.boxes("validFrom", "31", "2", "2026") + Self.boxes("validUntil", "", "", ""))
            #expect(notReal.status == .unprocessableContent)
            #expect(notReal.text.contains("Date consent starts must be a real date"))
            #expect(try Self.box(notReal.text, "validFrom-day") == "31")
            #expect(try Self.box(notReal.text, "validFrom-month") == "2")
            let noMonth = try await caseworker.post("/cases/\(id)/consent", base + Self.boxes("validFrom", "1", "12", "2026") + Self.boxes("validUntil", "6", "", "2027"))
            #expect(noMonth.status == .unprocessableContent)
            #expect(noMonth.text.contains("Date consent ends must include a month"))
            #expect(try Self.box(noMonth.text, "validUntil-day") == "6")
            #expect(try Self.box(noMonth.text, "validUntil-year") == "2027")
            #expect(try await CaseConsent.query(on: db).filter(\.$caseID == cid).count() == 0)

            let given = try await caseworker.post("/cases/\(id)/consent", base + Self.boxes("validFrom", "1", "12", "2026") + Self.boxes("validUntil", "6", "Dec", "2027"))
            #expect(given.status == .seeOther)
            let row = try #require(try await CaseConsent.query(on: db).filter(\.$caseID == cid).first())
            #expect(row.validFrom == "2026-12-01")
            #expect(row.validUntil == "2027-12-06")
            #expect(try await caseworker.get("/cases/\(id)/consent").text.contains("From 1 December 2026 until 6 December 2027"))
        }
    }

    @Test func aTaskDueDateIsEnteredByDayMonthAndYear() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let council = try await CaseSupportTests.agencyID(of: "caseworker2@demo.invalid", built)
            let (caseworker, id, cid) = try await Self.caseworkerWithCase(client, "Tomas", "adult")
            try await caseworker.get("/cases/\(id)/consent")
            #expect(try await caseworker.post("/cases/\(id)/consent", [("agencies", council), ("categories", "needs_and_care_plan"),
                                                                       ("purposes", "support_and_care_planning"), ("method", "verbal"),
                                                                       ("validFrom", Self.today.description)]).status == .seeOther)
            let form = try await caseworker.get("/cases/\(id)/care-plan")
            #expect(!form.text.contains("YYYY-MM-DD"))
            let base = [("need", "accommodation"), ("title", "Find safe accommodation"), ("agencyID", council)]

            let notReal = try await caseworker.post("/cases/\(id)/tasks", base + Self.boxes("dueOn", "31", "2", "2027"))
            #expect(notReal.status == .unprocessableContent)
            #expect(notReal.text.contains("Due date must be a real date"))
            #expect(try Self.box(notReal.text, "dueOn-day") == "31")
            #expect(try Self.box(notReal.text, "dueOn-year") == "2027")
            #expect(notReal.text.contains("value=\"Find safe accommodation\""))
            let past = try await caseworker.post("/cases/\(id)/tasks", base + Self.boxes("dueOn", Self.today.adding(days: -1)))
            #expect(past.status == .unprocessableContent)
            #expect(past.text.contains("Due date must be today or in the future"))
            let noMonth = try await caseworker.post("/cases/\(id)/tasks", base + Self.boxes("dueOn", "3", "", "2027"))
            #expect(noMonth.text.contains("Due date must include a month"))
            #expect(try await CareTask.query(on: db).filter(\.$caseID == cid).count() == 0)

            let due = Self.today.adding(days: 14)
            #expect(try await caseworker.post("/cases/\(id)/tasks", base + Self.boxes("dueOn", due)).status == .seeOther)
            let task = try #require(try await CareTask.query(on: db).filter(\.$caseID == cid).first())
            #expect(task.dueOn == due.description)
            #expect(try await caseworker.get("/cases/\(id)/care-plan").text.contains(Format.day(due.description)))
            // No due date is allowed.
            #expect(try await caseworker.post("/cases/\(id)/tasks", base + Self.boxes("dueOn", "", "", "")).status == .seeOther)
            #expect(try await CareTask.query(on: db).filter(\.$caseID == cid).filter(\.$dueOn == nil).count() == 1)
        }
    }

    @Test func nrmDatesAreEnteredByDayMonthAndYear() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let (caseworker, child, _) = try await Self.caseworkerWithCase(client, "Sami", "possible_child")
            let childID = try #require(UUID(uuidString: child))
            let form = try await caseworker.get("/cases/\(child)/nrm")
            #expect(!form.text.contains("YYYY-MM-DD"))
            for name in ["referralDate", "rgDate", "cgDate", "reconsiderationRequested"] {
                #expect(form.text.contains("name=\"\(name)-day\""), "\(name)")
            }
            let base = [("firstResponder", "Westmere Council"), ("competentAuthority", "sca")]
            let referred = Self.today.adding(days: -10)

            let notReal = try await caseworker.post("/cases/\(child)/nrm", base + Self.boxes("referralDate", "31", "2", "2026"))
            #expect(notReal.status == .unprocessableContent)
            #expect(notReal.text.contains("Referral date must be a real date"))
            #expect(try Self.box(notReal.text, "referralDate-day") == "31")
            #expect(notReal.text.contains("value=\"Westmere Council\""))
            let future = try await caseworker.post("/cases/\(child)/nrm", base + Self.boxes("referralDate", Self.today.adding(days: 1)))
            #expect(future.text.contains("Referral date must be today or in the past"))
            let noDate = try await caseworker.post("/cases/\(child)/nrm", base + Self.boxes("referralDate", referred) + [("rgDecision", "positive")]
                                                       + Self.boxes("rgDate", "", "", ""))
            #expect(noDate.status == .unprocessableContent)
            #expect(noDate.text.contains("Enter reasonable-grounds decision date"))
            #expect(!noDate.text.contains("YYYY-MM-DD"))
            let noMonth = try await caseworker.post("/cases/\(child)/nrm", base + Self.boxes("referralDate", referred) + [("rgDecision", "positive")]
                                                        + Self.boxes("rgDate", "4", "", String(referred.year)))
            #expect(noMonth.text.contains("Reasonable-grounds decision date must include a month"))
            #expect(try Self.box(noMonth.text, "rgDate-day") == "4")
            let reconsideration = try await caseworker.post("/cases/\(child)/nrm", base + Self.boxes("referralDate", referred)
                                                                + [("reconsiderationOf", "reasonable_grounds")] + Self.boxes("reconsiderationRequested", "", "", ""))
            #expect(reconsideration.text.contains("Enter date reconsideration was requested"))
            let cg = try await caseworker.post("/cases/\(child)/nrm", base + Self.boxes("referralDate", referred) + [("cgDecision", "positive")]
                                                   + Self.boxes("cgDate", "30", "2", "2026"))
            #expect(cg.text.contains("Conclusive-grounds decision date must be a real date"))
            #expect(try await CaseNRM.query(on: db).filter(\.$caseID == childID).count() == 0)

            let decided = Self.today.adding(days: -3)
            let saved = try await caseworker.post("/cases/\(child)/nrm", base + Self.boxes("referralDate", referred) + [("rgDecision", "positive")]
                                                      + Self.boxes("rgDate", decided) + Self.boxes("cgDate", "", "", ""))
            #expect(saved.status == .seeOther)
            let row = try #require(try await CaseNRM.query(on: db).filter(\.$caseID == childID).first())
            #expect(row.referralDate == referred.description)
            #expect(row.rgDate == decided.description)
            let page = try await caseworker.get("/cases/\(child)/nrm")
            #expect(page.text.contains(Format.day(referred.description)))
            #expect(try Self.box(page.text, "rgDate-day") == String(decided.day))
        }
    }

    @Test func theDutyToNotifyDateIsEnteredByDayMonthAndYear() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let (caseworker, adult, _) = try await Self.caseworkerWithCase(client, "Ali", "adult")
            let adultID = try #require(UUID(uuidString: adult))
            let form = try await caseworker.get("/cases/\(adult)/nrm")
            #expect(try Self.box(form.text, "notifiedOn-day") == String(Self.today.day))
            let base = [("exploitationTypes", "labour"), ("location", "uk"), ("gender", "male"), ("ageBand", "25_34"),
                        ("account", "Worked on a farm for no pay.")]
            let notReal = try await caseworker.post("/cases/\(adult)/duty-to-notify", base + Self.boxes("notifiedOn", "31", "2", "2026"))
            #expect(notReal.status == .unprocessableContent)
            #expect(notReal.text.contains("Date notified must be a real date"))
            #expect(try Self.box(notReal.text, "notifiedOn-day") == "31")
            let future = try await caseworker.post("/cases/\(adult)/duty-to-notify", base + Self.boxes("notifiedOn", Self.today.adding(days: 2)))
            #expect(future.text.contains("Date notified must be today or in the past"))
            #expect(try await CaseDutyToNotify.query(on: db).filter(\.$caseID == adultID).count() == 0)
            let notified = Self.today.adding(days: -2)
            #expect(try await caseworker.post("/cases/\(adult)/duty-to-notify", base + Self.boxes("notifiedOn", notified)).status == .seeOther)
            let stored = try #require(try await CaseDutyToNotify.query(on: db).filter(\.$caseID == adultID).first())
            #expect(stored.record.contains(notified.description))
            #expect(try await caseworker.get("/cases/\(adult)/nrm").text.contains("Notified \(Format.day(notified.description))"))
        }
    }

    /// The review, warning and contact forms fill the boxes with what was typed, not today.
    @Test func wrongDatesAreShownAsTyped() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let (caseworker, id, cid) = try await Self.caseworkerWithCase(client, "Nadia", "adult")
            try await caseworker.get("/cases/\(id)")
            let warning = try await caseworker.post("/cases/\(id)/warnings", [("sign", "new_debt")] + Self.boxes("observedOn", "31", "2", "2026"))
            #expect(warning.status == .unprocessableContent)
            #expect(warning.text.contains("Date seen must be a real date"))
            #expect(try Self.box(warning.text, "observedOn-day") == "31")
            #expect(try Self.box(warning.text, "observedOn-month") == "2")
            // A good date is kept too when something else is wrong.
            let noSign = try await caseworker.post("/cases/\(id)/warnings", [("sign", "")] + Self.boxes("observedOn", "1", "Dec", "2026"))
            #expect(noSign.status == .unprocessableContent)
            #expect(try Self.box(noSign.text, "observedOn-month") == "Dec")
            #expect(try await CaseWarning.query(on: db).filter(\.$caseID == cid).count() == 0)

            try await caseworker.get("/cases/\(id)/outcomes")
            let review = try await caseworker.post("/cases/\(id)/outcomes", [("point", "intake")] + Self.boxes("reviewDate", "3", "", "2026"))
            #expect(review.status == .unprocessableContent)
            #expect(review.text.contains("Date of the review must include a month"))
            #expect(try Self.box(review.text, "reviewDate-day") == "3")
            #expect(try Self.box(review.text, "reviewDate-month") == "")

            try await caseworker.get("/cases/\(id)/contacts")
            let contact = try await caseworker.post("/cases/\(id)/contacts", [("method", "video"), ("status", "planned")] + Self.boxes("plannedOn", "3", "", "2027"))
            #expect(contact.status == .unprocessableContent)
            #expect(contact.text.contains("Date must include a month"))
            #expect(try Self.box(contact.text, "plannedOn-day") == "3")
            #expect(try Self.box(contact.text, "plannedOn-year") == "2027")
            #expect(try await CaseContact.query(on: db).filter(\.$caseID == cid).count() == 0)
        }
    }
}
