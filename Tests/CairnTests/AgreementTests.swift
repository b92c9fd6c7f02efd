import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// Information-sharing agreements: the flags, review, bad input refused with nothing changed,
/// the API, and shares (referrals, intelligence items, consent) to an agency no agreement in
/// force covers: warned and counted, never blocked. On SQLite, and on PostgreSQL when
/// `CAIRN_TEST_DATABASE_URL` is set.
@Suite struct AgreementTests {
    static func agreementBody(title: String = "Test agreement", parties: [String], categories: [String] = ["report_details"], basis: String = "e",
                              condition: String? = nil, signed: String = "2026-01-10", review: String = "2027-01-10",
                              url: String = "https://docs.example/isa.pdf") throws -> String {
        var body: [String: Any] = ["title": title, "purpose": "To protect people from exploitation.", "parties": parties, "categories": categories,
                                   "lawfulBasis": basis, "signedOn": signed, "reviewOn": review, "documentTitle": "The agreement", "documentUrl": url]
        if let condition { body["specialCondition"] = condition }
        return String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
    }

    func viewerToken(_ built: BuiltApplication) async throws -> String { try await token(for: "viewer@demo.invalid", built) }

    static func uncovered(_ services: AppServices, _ kind: ShareKind? = nil) async throws -> Int {
        var query = UncoveredShare.query(on: services.database.db)
        if let kind { query = query.filter(\.$kind == kind.rawValue) }
        return try await query.count()
    }

    @Test func expiredAndDueAgreementsAreFlaggedAndAReviewPutsOneBackInForce() async throws {
        try await withApp { client, built in
            let services = built.services
            let browser = Browser(client)
            try await browser.signIn("viewer@demo.invalid")
            let list = try await browser.get("/partnership/agreements")
            #expect(list.status == .ok)
            #expect(list.text.contains("Expired: review date passed") && list.text.contains("Due for review") && list.text.contains("In force"))
            let db = services.database.db
            let hospitality = try #require(try await SharingAgreement.query(on: db).filter(\.$title == "Hospitality Sector Reporting Agreement").first())
            let id = try hospitality.requireID()
            let page = try await browser.get("/partnership/agreements/\(id)")
            #expect(page.text.contains("Expired: review date passed") && page.text.contains("no longer covers shares"))
            #expect(!page.text.contains("Record a review"), "a viewer cannot review")
            #expect(try await browser.post("/partnership/agreements/\(id)/review", [("nextReviewOn", "2030-01-01")]).status == .forbidden)
            let survivor = try #require(try await SharingAgreement.query(on: db).filter(\.$title == "Survivor Support Data-Sharing Agreement").first())
            #expect(try await browser.get("/partnership/agreements/\(try survivor.requireID())").text.contains("Due for review"))
            #expect(try await browser.get("/partnership").text.contains("Hospitality Sector Reporting Agreement"), "the overview lists it")

            // The police and the hotels group: not covered while it is expired, covered after its review.
            let police = try #require(try await Agency.query(on: db).filter(\.$name == "Westmere Constabulary").first()?.requireID())
            let hotels = try #require(try await Agency.query(on: db).filter(\.$name == "Riverside Hotels Group (Westmere)").first()?.requireID())
            let today = GovernanceService.today()
            #expect(try await services.agreements.agreementCoverage(from: police, to: hotels, category: .reportDetails, on: today) == .notCovered)
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let tooSoon = try await coordinator.post("/partnership/agreements/\(id)/review", [("nextReviewOn", today.description)])
            #expect(tooSoon.status == .unprocessableContent && tooSoon.text.contains("The next review must be after today"))
            let next = today.adding(months: 12)
            let reviewed = try await coordinator.post("/partnership/agreements/\(id)/review", [
                ("nextReviewOn-day", "\(next.day)"), ("nextReviewOn-month", "\(next.month)"), ("nextReviewOn-year", "\(next.year)"),
            ])
            #expect(reviewed.status == .seeOther)
            let after = try await coordinator.get("/partnership/agreements/\(id)")
            #expect(after.text.contains("In force") && !after.text.contains("Expired: review date passed"))
            #expect(try await services.agreements.agreementCoverage(from: police, to: hotels, category: .reportDetails, on: today) == .covered)
            #expect(try await services.agreements.agreementCoverage(from: police, to: hotels, category: .victimPersonalDetails, on: today) == .notCovered,
                    "a category the agreement does not name")
            #expect(try await services.agreements.agreementCoverage(from: police, to: hotels, category: .reportDetails, on: next.adding(days: 1)) == .notCovered,
                    "after its next review date")
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "agreement.reviewed").count() == 1)
        }
    }

    @Test func aReferralToAnAgencyNoAgreementCoversIsMadeWithAWarningAndCountedAndOneThatIsCoveredIsNot() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let agencies = try await services.accounts.agencies()
            func agency(_ name: String) throws -> UUID { try #require(agencies.first { $0.name == name }).requireID() }
            let police = try agency("Westmere Constabulary")
            let (reportID, _) = try await AccessTests().seedReport(assignedTo: police, from: try agency("Westmere Fire and Rescue Service"), services: services)
            let before = try await Self.uncovered(services, .referral)
            let viewer = try await DemoReports.identity("viewer@demo.invalid", services)
            let month = String(GovernanceService.today().description.prefix(7))
            func thisMonth() async throws -> Int {
                try await services.agreements.recentUncoveredCounts(identity: viewer).first { $0.month == month && $0.kind == .referral }?.count ?? 0
            }
            let monthBefore = try await thisMonth()
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")

            // Keyhouse Letting Agents is party to no agreement: the referral is made, with a warning, and counted.
            let uncovered = try await analyst.post("/reports/\(reportID)/referrals", [("toAgencyId", try agency("Keyhouse Letting Agents").uuidString),
                                                                                  ("shared", "location"), ("request", "Please check the flat.")])
            #expect(uncovered.status == .seeOther)
            let page = try await analyst.get(try #require(uncovered.location))
            #expect(page.text.contains("Referred to Keyhouse Letting Agents."))
            #expect(page.text.contains(#"id="sharing-warning""#) && page.text.contains("No information-sharing agreement in force covers sharing"))
            #expect(page.text.contains("report details") && page.text.contains("with Keyhouse Letting Agents"))
            #expect(try await Referral.query(on: db).filter(\.$reportID == reportID).filter(\.$toAgencyID == (try agency("Keyhouse Letting Agents"))).count() == 1,
                    "not blocked")
            #expect(try await Self.uncovered(services, .referral) == before + 1)
            let row = try #require(try await UncoveredShare.query(on: db).filter(\.$toAgencyID == (try agency("Keyhouse Letting Agents"))).first())
            #expect(row.fromAgencyID == police && row.categories == "report_details" && row.sharedOn == GovernanceService.today().description)
            #expect(!(try await analyst.get("/reports/\(reportID)")).text.contains("sharing-warning"), "shown once")

            // The hospitals are party to the protocol with the police for report details: no warning, not counted.
            let covered = try await analyst.post("/reports/\(reportID)/referrals", [("toAgencyId", try agency("Westmere Hospitals NHS Trust").uuidString),
                                                                                ("shared", "location"), ("request", "Please look out for them.")])
            #expect(covered.status == .seeOther)
            let quiet = try await analyst.get(try #require(covered.location))
            #expect(quiet.text.contains("Referred to Westmere Hospitals NHS Trust.") && !quiet.text.contains("sharing-warning"))
            #expect(try await Self.uncovered(services, .referral) == before + 1)

            // The count is there for the plan's dashboard, by month and kind.
            #expect(try await thisMonth() == monthBefore + 1)
            let viewerToken = try await token(for: "viewer@demo.invalid", built)
            let shares = try jsonObject(try await api(client, .get, "/api/v1/partnership/uncovered-shares?months=1", token: viewerToken))
            let items = try #require(shares["items"] as? [[String: Any]])
            #expect(items.contains { $0["month"] as? String == month && $0["kind"] as? String == "referral" && $0["count"] as? Int == monthBefore + 1 })
            #expect(!String(describing: items).contains(police.uuidString), "counts only")
            let list = try await analyst.get("/partnership/agreements")
            #expect(list.text.contains(#"id="uncovered-counts""#))
        }
    }

    @Test func intelligenceSharedWithAnUncoveredPartnerAndConsentToShareWithOneAreCountedAndWarned() async throws {
        try await withServices(demo: true) { services, _ in
            let agencies = try await services.accounts.agencies()
            func agency(_ name: String) throws -> UUID { try #require(agencies.first { $0.name == name }).requireID() }
            // The police approve the Freedom Project (no agreement with the police) and the hospitals (the protocol covers intelligence).
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let intelligence = try await Self.uncovered(services, .intelligence)
            let item = try await services.intelligence.createItem(
                .init(title: "Van seen at the farm", content: "Full", sanitised: "A van", sourceEvaluation: "1", assessment: "A", handling: "C",
                      conditions: "Not to be passed on", approvedAgencies: [try agency("Westmere Freedom Project").uuidString, try agency("Westmere Hospitals NHS Trust").uuidString]),
                identity: analyst, address: "test")
            #expect(try await Self.uncovered(services, .intelligence) == intelligence + 1)
            let warning = try #require(try await services.intelligence.agreementWarning(for: item))
            #expect(warning.contains("intelligence with Westmere Freedom Project") && !warning.contains("Hospitals"))
            // Approving one more uncovered partner counts that one only.
            _ = try await services.intelligence.updateSharing(try item.requireID(), sanitised: nil, approvedAgencies: [
                try agency("Westmere Freedom Project").uuidString, try agency("Westmere Hospitals NHS Trust").uuidString, try agency("Westmere Law Centre").uuidString,
            ], identity: analyst, address: "test")
            #expect(try await Self.uncovered(services, .intelligence) == intelligence + 2)

            // Consent to share health information with the police: no agreement covers it.
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let record = try await services.cases.open(.init(chosenName: "Agreement test"), identity: caseworker, address: "test")
            let team = try await services.cases.authorise(try record.requireID(), identity: caseworker)
            let consents = try await Self.uncovered(services, .consent)
            let consent = try await services.support.recordConsent(team, .init(categories: ["health_information", "needs_and_care_plan"], purposes: ["safeguarding"],
                                                                            agencies: [try agency("Westmere Constabulary").uuidString, try agency("Westmere Integrated Care Board").uuidString],
                                                                            method: "written"), address: "test")
            #expect(try await Self.uncovered(services, .consent) == consents + 1, "the ICB is covered by the survivor-support agreement")
            let consentWarning = try #require(try await services.support.agreementWarning(for: consent, from: caseworker.agencyID))
            #expect(consentWarning.contains("Westmere Constabulary") && consentWarning.contains("special-category data: health"))
            #expect(!consentWarning.contains("Integrated Care Board"))
            // Consent for many agencies: a few named, the rest counted, short enough for its cookie.
            let many = try await services.support.recordConsent(team, .init(categories: ["account"], purposes: ["safeguarding"],
                                                                         agencies: try agencies.map { try $0.requireID().uuidString }, method: "written"), address: "test")
            let long = try #require(try await services.support.agreementWarning(for: many, from: caseworker.agencyID))
            #expect(long.contains("other agencies") && long.count < 400, "\(long)")
        }
    }

    @Test func badAgreementsAreRefusedOnThePageAndTheAPIAndChangeNothing() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let agencies = try await services.accounts.agencies()
            let ids = Dictionary(try agencies.map { ($0.name, try $0.requireID().uuidString) }, uniquingKeysWith: { first, _ in first })
            let police = try #require(ids["Westmere Constabulary"]), harbour = try #require(ids["Safe Harbour Survivor Support"])
            let stranger = try await services.accounts.createAgency(.init(name: "Outside Agency", type: "ngo", area: "Elsewhere"), actor: .system, address: "test")
                .requireID().uuidString
            let bearer = try await token(for: "coordinator@demo.invalid", built)
            func count() async throws -> [Int] {
                [try await SharingAgreement.query(on: db).count(), try await SharingAgreementParty.query(on: db).count()]
            }
            let before = try await count()
            let cases: [(String, String)] = [
                (try Self.agreementBody(parties: [police, harbour], signed: "2026-03-01", review: "2026-02-01"), "The review date must be after the date it was signed"),
                (try Self.agreementBody(parties: [police, harbour], categories: ["special_category_health"]), "Choose the Article 9 condition"),
                (try Self.agreementBody(parties: [police, harbour], condition: "h"), "Leave the Article 9 condition empty"),
                (try Self.agreementBody(parties: [police, harbour], categories: ["gossip"]), "is not a kind of information on the list"),
                (try Self.agreementBody(parties: [police, harbour], categories: []), "Choose the kinds of information"),
                (try Self.agreementBody(parties: [police, harbour], basis: "g"), "Choose the lawful basis"),
                (try Self.agreementBody(parties: [police, harbour], categories: ["special_category_other"], condition: "k"), "Choose the Article 9(2) condition"),
                (try Self.agreementBody(parties: [police, stranger]), "Outside Agency is not a member of the partnership"),
                (try Self.agreementBody(parties: [police, UUID().uuidString]), "Choose member agencies from the list"),
                (try Self.agreementBody(parties: [police]), "Choose at least two member agencies"),
                (try Self.agreementBody(title: "   ", parties: [police, harbour]), "Enter title"),
                (try Self.agreementBody(parties: [police, harbour], signed: "2999-01-01", review: "3000-01-01"), "today or in the past"),
                (try Self.agreementBody(parties: [police, harbour], signed: "yesterday"), "must be a real date"),
                (try Self.agreementBody(parties: [police, harbour], url: "javascript:alert(1)"), "must be a web address"),
                (try Self.agreementBody(title: String(repeating: "t", count: 201), parties: [police, harbour]), "200 characters or fewer"),
            ]
            for (body, message) in cases {
                let response = try await api(client, .post, "/api/v1/partnership/agreements", token: bearer, json: body)
                #expect(response.status == .unprocessableContent, "\(message): \(response.status.code) \(response.text.prefix(300))")
                #expect(response.text.contains(message), "\(message): \(response.text.prefix(400))")
            }
            #expect(try await api(client, .post, "/api/v1/partnership/agreements", token: bearer, json: #"{"title":"x"}"#).status == .badRequest)

            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let page = try await browser.post("/partnership/agreements", [
                ("title", "Health sharing"), ("purpose", "Care"), ("parties", police), ("parties", harbour), ("categories", "special_category_health"),
                ("lawfulBasis", "e"), ("specialCondition", ""), ("signedOn-day", "1"), ("signedOn-month", "3"), ("signedOn-year", "2026"),
                ("reviewOn-day", "1"), ("reviewOn-month", "2"), ("reviewOn-year", "2026"), ("documentTitle", "DSA"), ("documentUrl", "https://docs.example/dsa.pdf"),
            ])
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("Choose the Article 9 condition") && page.text.contains("The review date must be after the date it was signed"))
            #expect(page.text.contains(#"value="Health sharing""#), "what was typed is kept")
            #expect(try await count() == before)

            // And a good one through the API, read back.
            let created = try await api(client, .post, "/api/v1/partnership/agreements", token: bearer,
                                        json: try Self.agreementBody(title: "Health sharing", parties: [police, harbour], categories: ["special_category_health", "case_details"],
                                                                     condition: "h", signed: GovernanceService.today().description,
                                                                     review: GovernanceService.today().adding(months: 12).description))
            #expect(created.status == .created, "\(created.text.prefix(300))")
            let agreement = try jsonObject(created)
            #expect(agreement["state"] as? String == "in_force" && agreement["flagged"] as? Bool == false)
            #expect(agreement["specialCondition"] as? String == "h" && (agreement["categories"] as? [String]) == ["case_details", "special_category_health"])
            #expect((agreement["parties"] as? [[String: Any]])?.count == 2)
            let id = try #require(agreement["id"] as? String)
            #expect(try jsonObject(try await api(client, .get, "/api/v1/partnership/agreements/\(id)", token: bearer))["title"] as? String == "Health sharing")
            let all = try #require(try jsonObject(try await api(client, .get, "/api/v1/partnership/agreements", token: bearer))["items"] as? [[String: Any]])
            #expect(all.count == 4)
            #expect(all.contains { $0["state"] as? String == "expired" && $0["flagged"] as? Bool == true })
            #expect(all.contains { $0["state"] as? String == "due_for_review" })
            let viewer = try await viewerToken(built)
            #expect(try await api(client, .post, "/api/v1/partnership/agreements", token: viewer, json: try Self.agreementBody(parties: [police, harbour])).status == .forbidden)
            #expect(try await api(client, .get, "/api/v1/partnership/agreements/\(id)", token: viewer).status == .ok)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "agreement.created").count() == 4)
        }
    }
}
