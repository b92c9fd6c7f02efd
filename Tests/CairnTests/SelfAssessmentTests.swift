import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// The self-assessment on the demo partnership, through the pages and the API: a coordinator
/// opens a round, two agencies rate (part-way, then more, one in the browser and one by API),
/// the coordinator closes it; the heat map, medians and the change since the previous round;
/// who may do what; and bad input refused with nothing changed. SQLite and PostgreSQL.
@Suite struct SelfAssessmentTests {
    static let today = CalendarDate(Date(), in: .london)

    /// The fields of the page's form to open a round, its dates as GOV.UK boxes.
    static func roundFields(_ name: String, opens: CalendarDate = today, closes: CalendarDate = today.adding(days: 30)) -> [(String, String)] {
        [("name", name),
         ("opensOn-day", String(opens.day)), ("opensOn-month", String(opens.month)), ("opensOn-year", String(opens.year)),
         ("closesBy-day", String(closes.day)), ("closesBy-month", String(closes.month)), ("closesBy-year", String(closes.year))]
    }

    static func json(_ object: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) }

    static func rating(_ factor: String, _ level: Int, evidence: String = "Seen in our annual report.", link: String? = nil) -> [String: Any] {
        var r: [String: Any] = ["factor": factor, "level": level, "evidence": evidence]
        if let link { r["evidenceLink"] = link }
        return r
    }

    static func factor(_ results: [String: Any], _ key: String) -> [String: Any]? {
        (results["factors"] as? [[String: Any]])?.first { $0["key"] as? String == key }
    }

    /// What a change would change: rounds, ratings and the self-assessment's audit entries.
    static func counts(_ services: AppServices) async throws -> [Int] {
        let db = services.database.db
        return [try await AssessmentRound.query(on: db).count(), try await AssessmentRating.query(on: db).count(),
                try await AuditEntry.query(on: db).filter(\.$recordType == "assessment_round").count()]
    }

    @Test func aRoundInWhichTwoAgenciesRateIsClosedAndMakesTheHeatMap() async throws {
        try await withApp { client, built in
            let services = built.services
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get("/partnership/assessments/new").status == .ok)
            let opened = try await coordinator.post("/partnership/assessments", Self.roundFields("Spring review"))
            #expect(opened.status == .seeOther)
            let round = try #require(try await AssessmentRound.query(on: services.database.db).filter(\.$name == "Spring review").first())
            let roundID = try round.requireID()
            #expect(opened.location == "/partnership/assessments/\(roundID)")
            #expect(round.opensOn == Self.today.description && round.closesBy == Self.today.adding(days: 30).description && !round.isClosed)

            // The Jobcentre's practitioner rates in the browser: two factors, then comes back for a third and changes one.
            let jobcentre = Browser(client)
            try await jobcentre.signIn("practitioner@demo.invalid")
            let list = try await jobcentre.get("/partnership/assessments")
            #expect(list.text.contains("Round Spring review is open") && list.text.contains("/partnership/assessments/\(roundID)/ratings"))
            let form = try await jobcentre.get("/partnership/assessments/\(roundID)/ratings")
            #expect(form.status == .ok)
            #expect(form.text.contains("Rate Jobcentre Plus Westmere") && form.text.contains("0 of 28"))
            #expect(form.text.contains(#"<legend class="factor-legend">Training</legend>"#))
            #expect(!form.text.contains("Legislative protection"), "national factors are not rated")
            let first = try await jobcentre.post("/partnership/assessments/\(roundID)/ratings", [
                ("design-training", "1"), ("design-training-evidence", "No modern slavery module in induction."),
                ("principle-partnership", "3"), ("principle-partnership-evidence", "We attend every board."),
                ("principle-partnership-link", "https://westmere.example/board/attendance"),
            ])
            #expect(first.status == .seeOther)
            #expect(first.location == "/partnership/assessments/\(roundID)/ratings")
            let again = try await jobcentre.get("/partnership/assessments/\(roundID)/ratings")
            #expect(again.text.contains("Saved: 2 of 28 rated for Jobcentre Plus Westmere"))
            #expect(again.text.contains(#"id="design-training-1" name="design-training" value="1" checked"#), "the saved level is chosen again")
            #expect(again.text.contains("No modern slavery module in induction."))
            let second = try await jobcentre.post("/partnership/assessments/\(roundID)/ratings", [
                ("design-training", "2"), ("design-training-evidence", "A module is being written."),
                ("principle-partnership", "3"), ("principle-partnership-evidence", "We attend every board."),
                ("delivery-peer_led", "1"), ("delivery-peer_led-evidence", "Nothing yet."), ("delivery-peer_led-comment", "Ask Safe Harbour."),
            ])
            #expect(second.status == .seeOther)

            // Safe Harbour's caseworker rates through the API.
            let harbour = try await token(for: "caseworker@demo.invalid", built)
            let put = try await api(client, .put, "/api/v1/assessments/\(roundID)/ratings", token: harbour, json: try Self.json([
                "ratings": [Self.rating("design.training", 1), Self.rating("principle.partnership", 4, link: "https://harbour.example/report"),
                            Self.rating("delivery.peer_led", 4, evidence: "Our peer mentors meet weekly.")],
            ]))
            #expect(put.status == .ok, "\(put.text)")
            let saved = try jsonObject(put)
            #expect(saved["agencyName"] as? String == "Safe Harbour Survivor Support" && saved["rated"] as? Int == 3 && saved["total"] as? Int == 28)

            // Progress, then the coordinator closes the round after confirming.
            let progress = try await coordinator.get("/partnership/assessments/\(roundID)")
            #expect(progress.text.contains("2 of 17 agencies rated so far"))
            #expect(progress.text.contains("Jobcentre Plus Westmere</a></th><td>3 of 28</td>"))
            let confirm = try await coordinator.get("/partnership/assessments/\(roundID)/close")
            #expect(confirm.status == .ok && confirm.text.contains("Close round Spring review?") && confirm.text.contains("15 agencies have not started"))
            let closed = try await coordinator.post("/partnership/assessments/\(roundID)/close")
            #expect(closed.status == .seeOther && closed.location == "/partnership/assessments/\(roundID)")
            #expect(try await AssessmentRound.find(roundID, on: services.database.db)?.isClosed == true)

            // The heat map: each agency's number and colour, the median, a gap and its way into the plan.
            let page = try await coordinator.get("/partnership/assessments/\(roundID)")
            let text = page.text
            #expect(text.contains("Closed on") && text.contains("2 of 17 agencies rated."))
            let training = try #require(Self.row(text, "design.training"))
            #expect(training.contains(#"<td class="heat-cell maturity-2">2</td><td class="heat-cell maturity-1">1</td>"#), "\(training)")
            #expect(training.contains("<strong>1.5</strong>") && training.contains("Gap"))
            #expect(training.contains("/plan/actions/new?factor=design.training&amp;title=") && training.contains("assessment=\(roundID)"))
            let partnership = try #require(Self.row(text, "principle.partnership"))
            #expect(partnership.contains("<strong>3.5</strong>") && !partnership.contains("Gap") && !partnership.contains("/plan/actions/new"))
            let peer = try #require(Self.row(text, "delivery.peer_led"))
            #expect(peer.contains("<strong>2.5</strong>"))
            let unrated = try #require(Self.row(text, "design.care"))
            #expect(unrated.contains("Not rated") && unrated.contains("No ratings"))

            // The same numbers from the API, with each agency's rating and evidence.
            let viewer = try await token(for: "viewer@demo.invalid", built)
            let results = try jsonObject(try await api(client, .get, "/api/v1/assessments/\(roundID)", token: viewer))
            #expect((results["round"] as? [String: Any])?["status"] as? String == "closed")
            #expect((results["round"] as? [String: Any])?["agenciesRated"] as? Int == 2)
            let apiTraining = try #require(Self.factor(results, "design.training"))
            #expect(apiTraining["median"] as? Double == 1.5 && apiTraining["gap"] as? Bool == true && apiTraining["group"] as? String == "service_design")
            let levels = (apiTraining["ratings"] as? [[String: Any]] ?? []).map { "\($0["agencyName"] ?? ""): \($0["level"] ?? "")" }
            #expect(levels == ["Jobcentre Plus Westmere: 2", "Safe Harbour Survivor Support: 1"])
            let apiPeer = try #require(Self.factor(results, "delivery.peer_led"))
            #expect((apiPeer["ratings"] as? [[String: Any]])?.first?["comment"] as? String == "Ask Safe Harbour.")
            #expect(Self.factor(results, "design.care")?["median"] == nil)
            #expect((results["factors"] as? [Any])?.count == 28)
            let progressRows = results["agencies"] as? [[String: Any]] ?? []
            #expect(progressRows.count == 17 && progressRows.filter { ($0["rated"] as? Int ?? 0) > 0 }.count == 2)

            // One agency's ratings with their evidence.
            let jobcentreID = try #require(try await services.accounts.user(email: "practitioner@demo.invalid")).$agency.id
            let agencyPage = try await coordinator.get("/partnership/assessments/\(roundID)/agencies/\(jobcentreID)")
            #expect(agencyPage.status == .ok && agencyPage.text.contains("A module is being written.") && agencyPage.text.contains("3 of 28"))

            // Every change is in the audit log.
            let actions = try await AuditEntry.query(on: services.database.db).filter(\.$recordID == roundID.uuidString).sort(\.$id).all().map(\.action)
            #expect(actions == ["assessment.round.opened", "assessment.rated", "assessment.rated", "assessment.rated", "assessment.round.closed"])
            let detail = try await AuditEntry.query(on: services.database.db).filter(\.$recordID == roundID.uuidString)
                .filter(\.$action == "assessment.rated").all().map(\.detail)
            #expect(detail.contains("Spring review; Jobcentre Plus Westmere; principle.partnership 3, design.training 1→2, delivery.peer_led 1"), "\(detail)")
        }
    }

    /// The `<tr>` of the heat map for a factor.
    static func row(_ html: String, _ key: String) -> String? {
        guard let start = html.range(of: #"<tr id="factor-\#(key)""#) else { return nil }
        guard let end = html[start.upperBound...].range(of: "</tr>") else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test func theChangeIsMeasuredFromThePreviousClosedRound() async throws {
        try await withApp { client, built in
            let coordinator = try await token(for: "coordinator@demo.invalid", built)
            let rounds = try jsonObject(try await api(client, .get, "/api/v1/assessments", token: coordinator))["items"] as? [[String: Any]] ?? []
            // The demo's two rounds, both closed, the newer first.
            #expect(rounds.count == 2 && rounds.allSatisfy { $0["status"] as? String == "closed" })
            let latestID = try #require(rounds.first?["id"] as? String)
            let latest = try jsonObject(try await api(client, .get, "/api/v1/assessments/\(latestID)", token: coordinator))
            #expect(latest["previousRoundId"] as? String == rounds.last?["id"] as? String)
            let factors = latest["factors"] as? [[String: Any]] ?? []
            #expect(factors.contains { $0["change"] as? String == "up" } && factors.contains { $0["change"] as? String == "down" })
            #expect(factors.contains { $0["gap"] as? Bool == true })
            let training = try #require(Self.factor(latest, "design.training"))
            let before = try #require(training["median"] as? Double)

            let opened = try await api(client, .post, "/api/v1/assessments", token: coordinator, json: try Self.json([
                "name": "Mid-year", "opensOn": Self.today.description, "closesBy": Self.today.adding(days: 14).description,
            ]))
            #expect(opened.status == .created, "\(opened.text)")
            let id = try #require(try jsonObject(opened)["id"] as? String)
            for (email, level) in [("analyst@demo.invalid", 4), ("trainer@demo.invalid", 4), ("caseworker2@demo.invalid", 3)] {
                let response = try await api(client, .put, "/api/v1/assessments/\(id)/ratings", token: try await token(for: email, built),
                                             json: try Self.json(["ratings": [Self.rating("design.training", level)]]))
                #expect(response.status == .ok)
            }
            let closed = try await api(client, .post, "/api/v1/assessments/\(id)/closure", token: coordinator)
            #expect(closed.status == .ok)
            #expect(try jsonObject(closed)["status"] as? String == "closed")
            let now = try jsonObject(try await api(client, .get, "/api/v1/assessments/\(id)", token: coordinator))
            #expect(now["previousRoundId"] as? String == latestID)
            let after = try #require(Self.factor(now, "design.training"))
            #expect(after["median"] as? Double == 4 && after["previousMedian"] as? Double == before)
            #expect(after["change"] as? String == (before < 4 ? "up" : "same"))
            // Nobody rated it this time: no median, no change, however it was rated before.
            let care = try #require(Self.factor(now, "design.care"))
            #expect(care["median"] == nil && care["change"] == nil && care["previousMedian"] != nil)

            let browser = Browser(client)
            try await browser.signIn("viewer@demo.invalid")
            let page = try await browser.get("/partnership/assessments/\(id)")
            #expect(page.text.contains("Change since \(try #require(rounds.first?["name"] as? String))"))
            let row = try #require(Self.row(page.text, "design.training"))
            #expect(row.contains("<span class=\"visually-hidden\">\(before < 4 ? "Up" : "No change"):</span> 4 (was \(Assessment.format(before)))"))
        }
    }

    @Test func everyoneReadsTheResultsButOnlyMembersRateAndOnlyCoordinatorsOpenAndClose() async throws {
        try await withApp { client, built in
            let services = built.services
            let coordinator = try await token(for: "coordinator@demo.invalid", built)
            let opened = try await api(client, .post, "/api/v1/assessments", token: coordinator, json: try Self.json([
                "name": "Permissions", "opensOn": Self.today.description, "closesBy": Self.today.description,
            ]))
            let id = try #require(try jsonObject(opened)["id"] as? String)
            let before = try await Self.counts(services)

            let viewer = try await token(for: "viewer@demo.invalid", built)
            #expect(try await api(client, .get, "/api/v1/assessments", token: viewer).status == .ok)
            #expect(try await api(client, .get, "/api/v1/assessments/\(id)", token: viewer).status == .ok)
            let refused = try await api(client, .put, "/api/v1/assessments/\(id)/ratings", token: viewer,
                                        json: try Self.json(["ratings": [Self.rating("design.training", 2)]]))
            #expect(refused.status == .forbidden)
            #expect(try jsonObject(refused)["detail"] as? String == "Your role does not allow you to do this.")
            let practitioner = try await token(for: "practitioner@demo.invalid", built)
            #expect(try await api(client, .post, "/api/v1/assessments/\(id)/closure", token: practitioner).status == .forbidden)
            #expect(try await api(client, .post, "/api/v1/assessments", token: viewer,
                                  json: try Self.json(["name": "No", "opensOn": Self.today.description, "closesBy": Self.today.description])).status == .forbidden)

            let browser = Browser(client)
            try await browser.signIn("viewer@demo.invalid")
            let page = try await browser.get("/partnership/assessments/\(id)")
            #expect(page.status == .ok && !page.text.contains("Rate your agency") && !page.text.contains("Close the round"))
            #expect(try await browser.get("/partnership/assessments/\(id)/ratings").status == .forbidden)
            #expect(try await browser.post("/partnership/assessments/\(id)/ratings", [("design-training", "2")]).status == .forbidden)
            #expect(try await browser.get("/partnership/assessments/\(id)/close").status == .forbidden)
            let nav = try await browser.get("/")
            #expect(nav.text.contains(#"<a href="/partnership/assessments">Self-assessment</a>"#))
            #expect(try await Self.counts(services) == before)

            // A member sees the button to rate but not to close, and no gap buttons.
            let member = Browser(client)
            try await member.signIn("analyst@demo.invalid")
            let seen = try await member.get("/partnership/assessments/\(id)")
            #expect(seen.text.contains("Rate your agency") && !seen.text.contains("Close the round"))
            let demoRound = try #require(try await AssessmentRound.query(on: services.database.db).filter(\.$name != "Permissions")
                .sort(\.$opensOn, .descending).first())
            let demoPage = try await member.get("/partnership/assessments/\(try demoRound.requireID())")
            #expect(demoPage.text.contains("Gap") && !demoPage.text.contains("/plan/actions/new"))
        }
    }

    @Test func badInputIsRefusedClearlyAndChangesNothing() async throws {
        try await withApp { client, built in
            let services = built.services
            let coordinator = try await token(for: "coordinator@demo.invalid", built)
            let opened = try await api(client, .post, "/api/v1/assessments", token: coordinator, json: try Self.json([
                "name": "2099 pilot", "opensOn": Self.today.description, "closesBy": Self.today.adding(days: 7).description,
            ]))
            let id = try #require(try jsonObject(opened)["id"] as? String)
            let analyst = try await token(for: "analyst@demo.invalid", built)
            let ok = try await api(client, .put, "/api/v1/assessments/\(id)/ratings", token: analyst,
                                   json: try Self.json(["ratings": [Self.rating("design.training", 2)]]))
            #expect(ok.status == .ok)
            let before = try await Self.counts(services)
            let otherAgency = try #require(try await services.accounts.agencies().first { $0.name == "Westmere Law Centre" }).requireID()

            func put(_ body: [String: Any]) async throws -> TestResponse {
                try await api(client, .put, "/api/v1/assessments/\(id)/ratings", token: analyst, json: try Self.json(body))
            }
            let cases: [([String: Any], HTTPResponse.Status, String)] = [
                (["ratings": [Self.rating("design.training", 5)]], .unprocessableContent, "must be 4 or less"),
                (["ratings": [Self.rating("design.training", 0)]], .unprocessableContent, "must be 1 or more"),
                (["ratings": [Self.rating("design.nothing", 2)]], .unprocessableContent, "There is no principle or factor “design.nothing”"),
                (["ratings": [Self.rating("national.duty_of_care", 2)]], .unprocessableContent, "is a national factor"),
                (["ratings": [Self.rating("design.training", 2, evidence: "  ")]], .unprocessableContent, "Give the evidence for your rating of “Training”"),
                (["ratings": [Self.rating("design.training", 2, link: "javascript:alert(1)")]], .unprocessableContent, "must be a web address"),
                (["ratings": [Self.rating("design.training", 3), Self.rating("design.training", 1)]], .unprocessableContent, "is rated twice"),
                (["ratings": [Self.rating("design.training", 3), Self.rating("principle.evidence", 9)]], .unprocessableContent, "must be 4 or less"),
                (["ratings": [] as [Any]], .unprocessableContent, "Rate at least one"),
                (["agencyId": otherAgency.uuidString, "ratings": [Self.rating("design.training", 3)]], .forbidden, "own agency only"),
                (["agencyId": "not-an-id", "ratings": [Self.rating("design.training", 3)]], .badRequest, "agencyId"),
            ]
            for (body, status, message) in cases {
                let response = try await put(body)
                #expect(response.status == status, "\(body): \(response.status.code) \(response.text)")
                #expect(response.text.contains(message), "\(body): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let roundID = try #require(UUID(uuidString: id))
            let stored = try await AssessmentRating.query(on: services.database.db).filter(\.$roundID == roundID).all()
            #expect(stored.map(\.factor) == ["design.training"] && stored.map(\.level) == [2], "the analyst's rating of 2 stands alone")
            #expect(try await Self.counts(services) == before)

            // The same through the page's form.
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let path = "/partnership/assessments/\(id)/ratings"
            #expect(try await browser.get(path).status == .ok)
            let outside = try await browser.post(path, [("design-training", "7"), ("design-training-evidence", "x")])
            #expect(outside.status == .unprocessableContent && outside.text.contains("Rate “Training” on the scale from 1"))
            #expect(outside.text.contains(##"<a href="#design-training">"##), "the error summary links to the question")
            let notANumber = try await browser.post(path, [("design-training", "high"), ("design-training-evidence", "x")])
            #expect(notANumber.status == .unprocessableContent)
            let unrated = try await browser.post(path, [("design-care-evidence", "We meet weekly.")])
            #expect(unrated.status == .unprocessableContent && unrated.text.contains("Choose a level for “Care”"))
            #expect(unrated.text.contains("We meet weekly."), "the form keeps what was typed")
            let nothing = try await browser.post(path, [])
            #expect(nothing.status == .unprocessableContent && nothing.text.contains("Rate at least one"))
            let other = try await browser.post(path, [("agency", otherAgency.uuidString), ("design-training", "3"), ("design-training-evidence", "x")])
            #expect(other.status == .forbidden && other.text.contains("own agency only"))
            let twice = try await browser.post(path, [("design-training", "3"), ("design-training", "2")])
            #expect(twice.status == .badRequest)
            #expect(try await Self.counts(services) == before)

            // Rounds: closes before it opens, another while one is open, a name taken, a closing date passed.
            let coordinatorBrowser = Browser(client)
            try await coordinatorBrowser.signIn("coordinator@demo.invalid")
            let backwards = try await coordinatorBrowser.post("/partnership/assessments",
                                                              Self.roundFields("Backwards", opens: Self.today.adding(days: 10), closes: Self.today.adding(days: 5)))
            #expect(backwards.status == .unprocessableContent && backwards.text.contains("The closing date must be on or after the opening date"))
            let rounds: [([String: Any], HTTPResponse.Status, String)] = [
                (["name": "Backwards", "opensOn": Self.today.adding(days: 10).description, "closesBy": Self.today.adding(days: 5).description],
                 .unprocessableContent, "must be on or after the opening date"),
                (["name": "Past", "opensOn": Self.today.adding(days: -30).description, "closesBy": Self.today.adding(days: -1).description],
                 .unprocessableContent, "The closing date has passed"),
                (["name": "Typo", "opensOn": "2026-02-30", "closesBy": Self.today.description], .unprocessableContent, "must be a real date"),
                (["name": " ", "opensOn": Self.today.description, "closesBy": Self.today.description], .unprocessableContent, "Enter name"),
                (["name": "Second", "opensOn": Self.today.description, "closesBy": Self.today.description], .conflict, "“2099 pilot” is still open"),
            ]
            for (body, status, message) in rounds {
                let response = try await api(client, .post, "/api/v1/assessments", token: coordinator, json: try Self.json(body))
                #expect(response.status == status, "\(body): \(response.status.code) \(response.text)")
                #expect(response.text.contains(message), "\(body): \(response.text)")
            }
            let pageSecond = try await coordinatorBrowser.post("/partnership/assessments", Self.roundFields("Second"))
            #expect(pageSecond.status == .conflict && pageSecond.text.contains("is still open"))
            #expect(try await Self.counts(services) == before)

            // Closed: no more ratings, and no second closing.
            #expect(try await api(client, .post, "/api/v1/assessments/\(id)/closure", token: coordinator).status == .ok)
            let afterClose = try await Self.counts(services)
            let late = try await put(["ratings": [Self.rating("design.training", 3)]])
            #expect(late.status == .conflict && late.text.contains("it takes no more ratings"))
            let latePage = try await browser.post(path, [("design-training", "3"), ("design-training-evidence", "x")])
            #expect(latePage.status == .conflict && latePage.text.contains("it takes no more ratings"))
            #expect(try await browser.get(path).status == .conflict)
            let again = try await api(client, .post, "/api/v1/assessments/\(id)/closure", token: coordinator)
            #expect(again.status == .conflict && again.text.contains("is already closed"))
            #expect(try await coordinatorBrowser.post("/partnership/assessments/\(id)/close").status == .conflict)
            #expect(try await coordinatorBrowser.get("/partnership/assessments/\(id)/close").status == .conflict)
            let sameName = try await api(client, .post, "/api/v1/assessments", token: coordinator,
                                         json: try Self.json(["name": "2099 PILOT", "opensOn": Self.today.description, "closesBy": Self.today.description]))
            #expect(sameName.status == .conflict && sameName.text.contains("There is already a round called “2099 pilot”"))
            #expect(try await Self.counts(services) == afterClose)
            let missing = try await api(client, .get, "/api/v1/assessments/\(UUID())", token: coordinator)
            #expect(missing.status == .notFound)
        }
    }

    @Test func aRoundTakesRatingsFromItsOpeningDate() async throws {
        try await withApp { client, built in
            let coordinator = try await token(for: "coordinator@demo.invalid", built)
            let opens = Self.today.adding(days: 3)
            let opened = try await api(client, .post, "/api/v1/assessments", token: coordinator, json: try Self.json([
                "name": "Next week", "opensOn": opens.description, "closesBy": opens.adding(days: 14).description,
            ]))
            let id = try #require(try jsonObject(opened)["id"] as? String)
            let analyst = try await token(for: "analyst@demo.invalid", built)
            let early = try await api(client, .put, "/api/v1/assessments/\(id)/ratings", token: analyst,
                                      json: try Self.json(["ratings": [Self.rating("design.training", 2)]]))
            #expect(early.status == .conflict && early.text.contains("opens on \(Format.day(opens)): ratings are taken from then"))
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let page = try await browser.get("/partnership/assessments/\(id)")
            #expect(page.text.contains("Open from \(Format.day(opens))") && !page.text.contains("Rate your agency"))
            #expect(try await browser.get("/partnership/assessments/\(id)/ratings").status == .conflict)
            #expect(try await AssessmentRating.query(on: built.services.database.db).filter(\.$roundID == (try #require(UUID(uuidString: id)))).count() == 0)
        }
    }

    /// Agencies saving while a coordinator closes the round (on another instance, on
    /// PostgreSQL): each save is either in before the close or refused, never after it.
    @Test func savesRacingTheCloseAreInBeforeItOrRefused() async throws {
        try await withServices(demo: true) { services, database in
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let round = try await services.assessments.openRound(
                .init(name: "Race", opensOn: Self.today.description, closesBy: Self.today.description), identity: coordinator, address: "test")
            let id = try round.requireID()
            var raters: [Identity] = []
            for email in ["analyst@demo.invalid", "caseworker@demo.invalid", "caseworker2@demo.invalid", "practitioner@demo.invalid",
                          "trainer@demo.invalid", "admin@demo.invalid"] {
                raters.append(try await DemoReports.identity(email, services))
            }
            // A second instance on the same PostgreSQL database closes the round; SQLite is one instance.
            let other: AppServices? = TestDatabase.isPostgres ? try AppServices(config: testConfig(database.url, demo: false), logger: TestDatabase.logger) : nil
            if let other { try await other.database.connect() }
            let closer = other?.assessments ?? services.assessments
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for (index, rater) in raters.enumerated() {
                    for n in 0..<4 {
                        let factor = Framework.assessed[(index * 4 + n) % Framework.assessed.count].key
                        group.addTask {
                            do {
                                _ = try await services.assessments.saveRatings(id, agencyID: nil, [.init(factor: factor, level: 2, evidence: "Seen.")],
                                                                              identity: rater, address: "test")
                                return "saved"
                            } catch let error as AppError where error.status == .conflict {
                                return "refused"
                            }
                        }
                    }
                    if index == 2 {
                        group.addTask {
                            _ = try await closer.closeRound(id, identity: coordinator, address: "test")
                            return "closed"
                        }
                    }
                }
                var all: [String] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            if let other { await other.shutdown() }
            let saved = outcomes.filter { $0 == "saved" }.count
            #expect(outcomes.filter { $0 == "closed" }.count == 1 && saved + outcomes.filter { $0 == "refused" }.count == 24)
            let db = services.database.db
            #expect(try await AssessmentRating.query(on: db).filter(\.$roundID == id).count() == saved)
            let actions = try await AuditEntry.query(on: db).filter(\.$recordID == id.uuidString).sort(\.$id).all().map(\.action)
            #expect(actions.last == "assessment.round.closed", "no save is recorded after the close: \(actions)")
            #expect(actions.filter { $0 == "assessment.rated" }.count == saved)
        }
    }
}
