import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// The case pages' forms read into structs (`CaseForms`, `CaseSupportForms`): a form that
/// cannot be read as one (a field sent twice, a date box sent twice) is a 400 that names the
/// field and changes nothing, and the alert a malformed dismissal names stays unread.
@Suite struct CaseFormTests {
    @Test func aFieldSentTwiceIsRefusedAndChangesNothing() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let caseworker = Browser(client)
            try await caseworker.signIn("caseworker@demo.invalid")
            let cases = try await SupportCase.query(on: db).count()
            let twice = try await caseworker.post("/cases", [("chosenName", "Ana"), ("chosenName", "Bea"), ("ageGroup", "adult")])
            #expect(twice.status == .badRequest)
            #expect(twice.text.contains("chosenName\u{201D} was sent more than once"), "\(twice.text.prefix(2000))")
            #expect(try await SupportCase.query(on: db).count() == cases)

            let id = try await CaseSupportTests.openCase(caseworker, [("chosenName", "Tomas"), ("ageGroup", "adult")])
            let cid = try #require(UUID(uuidString: id))
            let council = try await CaseSupportTests.agencyID(of: "caseworker2@demo.invalid", built)
            let consent = [("agencies", council), ("categories", "needs_and_care_plan"), ("purposes", "support_and_care_planning"), ("method", "verbal"),
                           ("validFrom-day", "1"), ("validFrom-day", "2"), ("validFrom-month", "12"), ("validFrom-year", "2026")]
            let box = try await caseworker.post("/cases/\(id)/consent", consent)
            #expect(box.status == .badRequest)
            #expect(box.text.contains("validFrom-day\u{201D} was sent more than once"))
            #expect(try await CaseConsent.query(on: db).filter(\.$caseID == cid).count() == 0)
            // The same form with each box once is recorded: the checkbox groups may repeat.
            let once = try await caseworker.post("/cases/\(id)/consent", consent.filter { $0 != ("validFrom-day", "2") })
            #expect(once.status == .seeOther)
            #expect(try await CaseConsent.query(on: db).filter(\.$caseID == cid).first()?.validFrom == "2026-12-01")

            // An alert for a colleague on the team: a dismissal with two places to go back to
            // is refused before the alert is touched.
            #expect(try await caseworker.post("/cases/\(id)/team", [("email", "caseworker2@demo.invalid")]).status == .seeOther)
            #expect(try await caseworker.post("/cases/\(id)/warnings", [("sign", "going_missing")]).status == .seeOther)
            let colleague = Browser(client)
            try await colleague.signIn("caseworker2@demo.invalid")
            try await colleague.get("/cases/\(id)")
            let alert = try #require(try await CaseAlert.query(on: db).filter(\.$readAt == nil).filter(\.$caseID == cid).first())
            let dismiss = "/alerts/\(try alert.requireID().uuidString)/dismiss"
            #expect(try await colleague.post(dismiss, [("back", "/cases/\(id)"), ("back", "/")]).status == .badRequest)
            #expect(try await CaseAlert.find(alert.id, on: db)?.readAt == nil)
            let dismissed = try await colleague.post(dismiss, [("back", "/cases/\(id)")])
            #expect(dismissed.status == .seeOther)
            #expect(dismissed.location == "/cases/\(id)")
            #expect(try await CaseAlert.find(alert.id, on: db)?.readAt != nil)
        }
    }
}
