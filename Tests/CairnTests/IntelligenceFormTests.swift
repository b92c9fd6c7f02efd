import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import Testing

@testable import Cairn

/// Intelligence's forms as a browser sends them, on the demo partnership: a judgement on a
/// link, recording an item with the partners it may go to, changing its sharing, and marking an
/// alert read. A malformed form is a 400 naming the field and changes nothing; a form that
/// reads but is refused is the page again with its message.
@Suite struct IntelligenceFormTests {
    @Test func aJudgementOnALinkIsReadFromTheForm() async throws {
        try await withApp { client, built in
            let services = built.services
            await services.reports.settle()
            let db = services.database.db
            // The patrol at the car wash (another demo report says "frightened" too).
            let patrol = try #require(try await Report.query(on: db).filter(\.$narrative ~~ "car wash who seemed frightened").first())
            let link = try #require(try await ReportLink.query(on: db).filter(\.$laterReportID == patrol.requireID()).first())
            let linkID = try link.requireID()
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            #expect(try await browser.get("/intelligence/links/\(linkID)").status == .ok)
            let decision = "/intelligence/links/\(linkID)/decision"

            let notANumber = try await browser.post(decision, [("reason", "first"), ("decision", "same")])
            #expect(notANumber.status == .badRequest)
            #expect(notANumber.text.contains("The form could not be read: a field has a value of the wrong kind."))
            let twice = try await browser.post(decision, [("reason", "0"), ("decision", "same"), ("decision", "split")])
            #expect(twice.status == .badRequest)
            #expect(twice.text.contains("decision"))
            let undecided = try await browser.post(decision, [("reason", "0"), ("note", "Not sure yet.")])
            #expect(undecided.status == .unprocessableContent)
            #expect(undecided.text.contains("Say whether these are the same person or not."))
            let noReason = try await browser.post(decision, [("decision", "same")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text.contains("Choose one of the link’s reasons."))
            #expect(try await LinkFeedbackRow.query(on: db).count() == 0)
            #expect(try await ReportLink.find(linkID, on: db)?.confirmedByID == nil)

            let confirmed = try await browser.post(decision, [("reason", "0"), ("decision", "same"), ("note", "Same workplace.")])
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.location == "/intelligence/links/\(linkID)")
            let feedback = try await LinkFeedbackRow.query(on: db).all()
            #expect(feedback.map(\.decision) == ["same"] && feedback.map(\.note) == ["Same workplace."])
            #expect(try await ReportLink.find(linkID, on: db)?.confirmedByID != nil)
        }
    }

    @Test func anItemIsRecordedAndItsSharingChangedThroughTheForms() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let harbour = try #require(try await services.accounts.agencies().first { $0.name == "Safe Harbour Survivor Support" }).requireID()
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            #expect(try await browser.get("/intelligence-items/new").status == .ok)
            let fields = [("title", "Minibus collections"), ("content", "Informant sees a minibus collect eight men at 6am."),
                          ("sourceEvaluation", "2"), ("assessment", "B"), ("handling", "C"),
                          ("sanitised", "A minibus collects several men early each morning.")]

            let twice = try await browser.post("/intelligence-items", fields + [("title", "Another title")])
            #expect(twice.status == .badRequest)
            #expect(twice.text.contains("title"))
            let noConditions = try await browser.post("/intelligence-items", fields + [("approvedAgencies", harbour.uuidString)])
            #expect(noConditions.status == .unprocessableContent)
            #expect(noConditions.text.contains("Minibus collections"), "the form keeps what was typed")
            #expect(try await IntelligenceItem.query(on: db).count() == 0)

            let created = try await browser.post("/intelligence-items", fields + [("conditions", "For safeguarding visits only."),
                                                                                   ("approvedAgencies", harbour.uuidString)])
            #expect(created.status == .seeOther)
            let item = try #require(try await IntelligenceItem.query(on: db).first())
            let itemID = try item.requireID()
            #expect(created.location == "/intelligence-items/\(itemID)")
            #expect(item.title == "Minibus collections" && item.grading?.description == "2 B C" && item.approved == [harbour])

            // Sharing: a field left out keeps what is stored; no box ticked confirms no partner.
            #expect(try await browser.get("/intelligence-items/\(itemID)").status == .ok)
            let sharing = "/intelligence-items/\(itemID)/sharing"
            #expect(try await browser.post(sharing, [("partnerTitle", "One"), ("partnerTitle", "Two")]).status == .badRequest)
            let tooLong = try await browser.post(sharing, [("partnerTitle", String(repeating: "x", count: 201))])
            #expect(tooLong.status == .unprocessableContent)
            #expect(try await IntelligenceItem.find(itemID, on: db)?.partnerTitle == "")
            let renamed = try await browser.post(sharing, [("partnerTitle", "Early minibus"), ("approvedAgencies", harbour.uuidString)])
            #expect(renamed.status == .seeOther)
            #expect(renamed.location == "/intelligence-items/\(itemID)")
            let stored = try #require(try await IntelligenceItem.find(itemID, on: db))
            #expect(stored.partnerTitle == "Early minibus" && stored.sanitised == "A minibus collects several men early each morning.")
            #expect(stored.approved == [harbour])
            #expect(try await browser.post(sharing, [("sanitised", "Men are collected early.")]).status == .seeOther)
            let unshared = try #require(try await IntelligenceItem.find(itemID, on: db))
            #expect(unshared.sanitised == "Men are collected early." && unshared.partnerTitle == "Early minibus" && unshared.approved.isEmpty)
        }
    }

    @Test func anAlertIsMarkedReadFromTheDashboard() async throws {
        try await withApp { client, built in
            let services = built.services
            await services.reports.settle()
            let db = services.database.db
            let alert = try #require(try await IntelligenceAlert.query(on: db).filter(\.$dismissedAt == nil).first())
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            #expect(try await browser.get("/intelligence").status == .ok)
            #expect(try await browser.post("/intelligence/alerts/not-an-id/dismiss").status == .notFound)
            let dismissed = try await browser.post("/intelligence/alerts/\(try alert.requireID())/dismiss")
            #expect(dismissed.status == .seeOther)
            #expect(dismissed.location == "/intelligence")
            #expect(try await IntelligenceAlert.find(try alert.requireID(), on: db)?.dismissedAt != nil)
        }
    }
}
