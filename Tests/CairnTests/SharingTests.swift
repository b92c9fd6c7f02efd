import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// A referred agency sees what the referrer ticked and what it wrote itself; search and filters
/// find only that; intelligence partners see a title written for them; the stricter handling
/// code wins.
@Suite struct SharingTests {
    @Test func aReferredAgencySeesWhatWasTickedAndWhatItWroteNothingElse() async throws {
        try await withApp { client, built in
            let fixture = try await SharingFixture.make(built.services)
            let id = fixture.reportID.uuidString

            // Summary only: the council.
            let council = Browser(client)
            try await council.signIn("caseworker2@demo.invalid")
            let page = try await council.get("/reports/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains(SharingFixture.description))
            #expect(page.text.contains(SharingFixture.councilRequest))
            #expect(page.text.contains(SharingFixture.councilReply), "its own reply, in its referral and its history")
            #expect(page.text.leaked(SharingFixture.withheldFromSummary) == [])
            #expect(!page.text.contains("WM7"), "not even the postcode district")
            #expect(!page.text.contains(ReportOutcome.policeInvestigationOpened.label))
            let councilToken = try await token(for: "caseworker2@demo.invalid", built)
            let api = try await send(client, .get, "/api/v1/reports/\(id)", token: councilToken)
            #expect(api.status == .ok)
            #expect(api.text.leaked(SharingFixture.withheldFromSummary) == [])
            #expect(!api.text.contains("WM7"))
            let body = try jsonObject(api)
            #expect(body["description"] as? String == SharingFixture.description)
            for withheld in ["postcodeDistrict", "postcode", "location", "outcome", "outcomeDate", "outcomeNote", "contact", "reporterType", "language"] {
                #expect(body[withheld] == nil || body[withheld] is NSNull, "\(withheld)")
            }
            #expect(body["routingExplanation"] as? String == "")
            #expect((body["mentions"] as? [Any])?.isEmpty == true)
            #expect((body["indicators"] as? [Any])?.isEmpty == true)
            let events = try #require(body["events"] as? [[String: Any]])
            #expect(events.count == 1, "only the council's own reply")
            #expect((events.first?["note"] as? String)?.contains(SharingFixture.councilReply) == true)
            let rules = try #require(body["firedRules"] as? [[String: Any]])
            #expect(!rules.contains { $0["id"] as? String == "indicators-present" })

            // The place and the people: Safe Harbour.
            let safeHarbour = Browser(client)
            try await safeHarbour.signIn("caseworker@demo.invalid")
            let shared = try await safeHarbour.get("/reports/\(id)")
            #expect(shared.status == .ok)
            for visible in ["Hollybush Farm", SharingFixture.postcode, "Popescu", "900123", "KX19", SharingFixture.safeHarbourRequest] {
                #expect(shared.text.contains(visible), "\(visible)")
            }
            #expect(shared.text.leaked(SharingFixture.withheldFromLocationAndPeople) == [])
            let safeHarbourAPI = try await send(client, .get, "/api/v1/reports/\(id)", token: try await token(for: "caseworker@demo.invalid", built))
            #expect(safeHarbourAPI.text.leaked(SharingFixture.withheldFromLocationAndPeople) == [])
            let sharedBody = try jsonObject(safeHarbourAPI)
            #expect(sharedBody["postcodeDistrict"] as? String == "WM7")
            #expect((sharedBody["events"] as? [Any])?.isEmpty == true, "it wrote nothing")
            #expect(sharedBody["outcomeNote"] == nil || sharedBody["outcomeNote"] is NSNull)

            // The holder and the triage team see it all.
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            let whole = try await analyst.get("/reports/\(id)")
            for everything in SharingFixture.withheldFromSummary where everything != "Romanian" && everything != "Ana Analyst" {
                #expect(whole.text.lowercased().contains(everything.lowercased()), "\(everything)")
            }
            // Nothing of the report changed by being read through a referral.
            let stored = try #require(try await Report.find(fixture.reportID, on: built.services.database.db))
            #expect(stored.location == SharingFixture.place && stored.outcomeNote == SharingFixture.outcomeNote && stored.postcodeDistrict == "WM7")
        }
    }

    /// The reference or what happened (always shared) contains `text`: the only way a
    /// summary-only reader may find the report.
    func visibleToCouncil(_ text: String, _ fixture: SharingFixture) -> Bool {
        text.isEmpty || (fixture.reference + " " + SharingFixture.description).lowercased().contains(text)
    }

    @Test func searchAndFiltersFindOnlyWhatTheReaderMaySee() async throws {
        try await withApp { client, built in
            let fixture = try await SharingFixture.make(built.services)
            let council = Browser(client)
            try await council.signIn("caseworker2@demo.invalid")
            let councilToken = try await token(for: "caseworker2@demo.invalid", built)
            func webFinds(_ browser: Browser, _ query: String) async throws -> Bool {
                let page = try await browser.get("/reports?inbox=referred&\(query)")
                #expect(page.status == .ok)
                return page.text.contains(fixture.reference)
            }
            func apiFinds(_ token: String, _ query: String) async throws -> Bool {
                let response = try await send(client, .get, "/api/v1/reports?inbox=referred&\(query)", token: token)
                #expect(response.status == .ok)
                return ((try jsonObject(response)["items"] as? [[String: Any]]) ?? []).contains { $0["reference"] as? String == fixture.reference }
            }
            // The one-character oracle: typing a withheld place or name a letter at a time must
            // find the report exactly when the visible text would, never because of them.
            for secret in ["hollybush farm", "ion popescu", "07700 900123", "maria ionescu"] {
                for length in 1...secret.count {
                    let prefix = String(secret.prefix(length))
                    let q = "q=" + (prefix.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                    let expected = visibleToCouncil(prefix, fixture)
                    #expect(try await webFinds(council, q) == expected, "web q=\(prefix)")
                    #expect(try await apiFinds(councilToken, q) == expected, "api q=\(prefix)")
                }
            }
            // What is shared is found.
            #expect(try await webFinds(council, "q=barn"))
            #expect(try await apiFinds(councilToken, "q=\(fixture.reference.lowercased())"))
            // The district filter is a search on the place too.
            #expect(try await !webFinds(council, "district=WM7"))
            #expect(try await !apiFinds(councilToken, "district=WM7"))
            // The list row shows no district and no outcome.
            let list = try await council.get("/reports?inbox=referred&q=barn")
            #expect(!list.text.contains("WM7"))
            #expect(!list.text.contains(ReportOutcome.policeInvestigationOpened.label))
            let summaries = try jsonObject(try await send(client, .get, "/api/v1/reports?inbox=referred&q=barn", token: councilToken))["items"] as? [[String: Any]]
            let row = try #require(summaries?.first { $0["reference"] as? String == fixture.reference })
            #expect(row["postcodeDistrict"] == nil || row["postcodeDistrict"] is NSNull)
            #expect(row["outcome"] == nil || row["outcome"] is NSNull)

            // Safe Harbour was given the place and the people: it finds them.
            let safeHarbour = Browser(client)
            try await safeHarbour.signIn("caseworker@demo.invalid")
            let safeHarbourToken = try await token(for: "caseworker@demo.invalid", built)
            for q in ["q=hollybush", "q=popescu", "district=WM7", "district=wm7&q=barn"] {
                #expect(try await webFinds(safeHarbour, q), "\(q)")
                #expect(try await apiFinds(safeHarbourToken, q), "\(q)")
            }
            #expect(try await !webFinds(safeHarbour, "q=ionescu"), "the reporter's details are never searched")
            // The triage team searches everything.
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            let found = try await analyst.get("/reports?q=hollybush")
            #expect(found.text.contains(fixture.reference))
        }
    }

    @Test func partnersSeeAnIntelligenceTitleWrittenForThem() async throws {
        try await withApp { client, built in
            let services = built.services
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let named = try await services.intelligence.createItem(
                .init(title: "Informant Kestrel says Popescu runs the farm", content: "Full text naming the source",
                      sanitised: "Workers at a farm may be controlled by one man.", sourceEvaluation: "2", assessment: "B", handling: "P"),
                identity: analyst, address: "test")
            let titled = try await services.intelligence.createItem(
                .init(title: "Kestrel: car wash on Mill St", content: "Full", sanitised: "A car wash may hold workers' passports.",
                      partnerTitle: "Car wash workers' documents", sourceEvaluation: "1", assessment: "A", handling: "P"),
                identity: analyst, address: "test")
            let caseworker = Browser(client)
            try await caseworker.signIn("caseworker@demo.invalid")
            let list = try await caseworker.get("/intelligence-items")
            #expect(list.status == .ok)
            #expect(!list.text.contains("Kestrel"))
            #expect(!list.text.contains("Popescu"))
            #expect(list.text.contains("Intelligence item \(named.reference)"))
            #expect(list.text.contains("Car wash workers"))
            for item in [named, titled] {
                let page = try await caseworker.get("/intelligence-items/\(item.id!.uuidString)")
                #expect(page.status == .ok)
                #expect(!page.text.contains("Kestrel"), "\(item.reference)")
                #expect(!page.text.contains("Full"))
            }
            let apiToken = try await token(for: "caseworker@demo.invalid", built)
            let apiList = try await send(client, .get, "/api/v1/intelligence/items", token: apiToken)
            #expect(!apiList.text.contains("Kestrel"))
            #expect(!apiList.text.contains("Popescu"))
            let one = try jsonObject(try await send(client, .get, "/api/v1/intelligence/items/\(titled.id!.uuidString)", token: apiToken))
            #expect(one["title"] as? String == "Car wash workers' documents")
            #expect(one["partnerTitle"] == nil)
            #expect(one["content"] == nil)
            // The originator sees both titles, and can write one later.
            let own = try jsonObject(try await send(client, .get, "/api/v1/intelligence/items/\(named.id!.uuidString)",
                                                    token: try await token(for: "analyst@demo.invalid", built)))
            #expect(own["title"] as? String == "Informant Kestrel says Popescu runs the farm")
            #expect(own["partnerTitle"] as? String == "")
            _ = try await services.intelligence.updateSharing(named.id!, sanitised: nil, partnerTitle: "Farm workers controlled", approvedAgencies: [],
                                                              identity: analyst, address: "test")
            let renamed = try await caseworker.get("/intelligence-items/\(named.id!.uuidString)")
            #expect(renamed.text.contains("Farm workers controlled"))
            #expect(!renamed.text.contains("Kestrel"))
            // Too long a partner title is refused and changes nothing.
            await #expect(throws: AppError.self) {
                try await services.intelligence.updateSharing(named.id!, sanitised: nil, partnerTitle: String(repeating: "x", count: 201),
                                                              approvedAgencies: [], identity: analyst, address: "test")
            }
            let created = try await send(client, .post, "/api/v1/intelligence/items", token: try await token(for: "analyst@demo.invalid", built),
                                         json: #"{"title":"t","content":"c","sourceEvaluation":"1","assessment":"A","handling":"P","partnerTitle":"\#(String(repeating: "y", count: 201))"}"#)
            #expect(created.status.code == 400 || created.status.code == 422)
        }
    }

    @Test func aLegacyDoNotShareCodeIsNotOverriddenByA3x5x2Grading() async throws {
        try await withApp { client, built in
            let services = built.services
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let item = try await services.intelligence.createItem(
                .init(title: "Imported", content: "Full", sanitised: "Sanitised imported text", partnerTitle: "Imported item",
                      sourceEvaluation: "1", assessment: "A", handling: "P", legacyGrading: "B24"),
                identity: analyst, address: "test")
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let visible = try await services.intelligence.items(identity: caseworker, address: "test", via: "test")
            #expect(!visible.contains { $0.0.id == item.id })
            await #expect(throws: AppError.self) { try await services.intelligence.item(item.id!, identity: caseworker, address: "test", via: "test") }
            let browser = Browser(client)
            try await browser.signIn("caseworker@demo.invalid")
            #expect(try await browser.get("/intelligence-items/\(item.id!.uuidString)").status == .notFound)
            let apiToken = try await token(for: "caseworker@demo.invalid", built)
            #expect(try await send(client, .get, "/api/v1/intelligence/items/\(item.id!.uuidString)", token: apiToken).status == .notFound)
            // Legacy 2 (UK non-prosecuting partners) with P: shared.
            let lenient = try await services.intelligence.createItem(
                .init(title: "Imported 2", content: "Full", sanitised: "Sanitised", sourceEvaluation: "1", assessment: "A", handling: "P", legacyGrading: "B22"),
                identity: analyst, address: "test")
            #expect(try await services.intelligence.items(identity: caseworker, address: "test", via: "test").contains { $0.0.id == lenient.id })
        }
    }

    @Test func openingACaseFromAReportNeedsAccessToIt() async throws {
        try await withApp { client, built in
            let services = built.services
            let fixture = try await SharingFixture.make(services)
            // caseworker2's council was referred the report: it may open a case from it.
            let council = Browser(client)
            try await council.signIn("caseworker2@demo.invalid")
            let form = try await council.get("/cases/new?report=\(fixture.reference)")
            #expect(form.text.contains(fixture.reference))
            // A report nobody referred to the caseworker: the same answer as an unknown one.
            let hidden = try await services.reports.submit(
                { var input = ReportInput(); input.description = "A hidden report"; input.location = "Secret Yard"; return input }(),
                source: .public, identity: nil, address: "test", idempotencyKey: nil, requireFormAnswers: false).report
            let unknown = "CRN-2222-22"
            #expect(try await Report.query(on: services.database.db).filter(\.$reference == unknown).first() == nil)
            var answers: [String] = []
            for reference in [hidden.reference, unknown] {
                let prefilled = try await council.get("/cases/new?report=\(reference)")
                #expect(prefilled.status == .ok)
                #expect(!prefilled.text.contains(reference), "nothing brought in for \(reference)")
                try await council.get("/cases/new")
                let posted = try await council.post("/cases", [("chosenName", "R"), ("ageGroup", "adult"), ("reportReference", reference)])
                #expect(posted.status == .unprocessableContent)
                answers.append(posted.text.replacingOccurrences(of: reference, with: "REF").replacingOccurrences(of: #"value="[^"]*""#, with: "", options: .regularExpression))
                let api = try await send(client, .post, "/api/v1/cases", token: try await token(for: "caseworker2@demo.invalid", built),
                                         json: #"{"chosenName":"R","reportReference":"\#(reference)"}"#)
                #expect(api.status == .unprocessableContent)
                answers.append(api.text.replacingOccurrences(of: reference, with: "REF"))
            }
            #expect(answers[0].contains("There is no report with that reference."))
            #expect(answers[0] == answers[2], "web: unknown and not visible read the same")
            #expect(answers[1] == answers[3], "API: unknown and not visible read the same")
            #expect(try await SupportCase.query(on: services.database.db).filter(\.$reportID == hidden.id).count() == 0)
            // With access it works, on both doors.
            try await council.get("/cases/new")
            let opened = try await council.post("/cases", [("chosenName", "R"), ("ageGroup", "adult"), ("reportReference", fixture.reference)])
            #expect(opened.status == .seeOther)
            let api = try await send(client, .post, "/api/v1/cases", token: try await token(for: "caseworker2@demo.invalid", built),
                                     json: #"{"chosenName":"R","reportReference":"\#(fixture.reference)"}"#)
            #expect(api.status == .created)
            #expect(try await SupportCase.query(on: services.database.db).filter(\.$reportID == fixture.reportID).count() == 2)
            // A child's case drafts an NRM referral from the report: only what the council was
            // shared goes in (what happened, the types), not the place or the indicators.
            let identity = try await DemoReports.identity("caseworker2@demo.invalid", services)
            let child = try await services.cases.open(.init(chosenName: "Child", reportReference: fixture.reference, ageGroup: "child"),
                                                      identity: identity, address: "test")
            let draft = try await services.support.nrmDraft(try await services.cases.authorise(child.id!, identity: identity), address: "test")
            #expect(draft.contains("Types: Labour exploitation"))
            #expect(draft.leaked(SharingFixture.withheldFromSummary) == [])
            #expect(!draft.contains("Indicators:"))
        }
    }
}
