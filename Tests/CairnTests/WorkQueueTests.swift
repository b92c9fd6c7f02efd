import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// Each person's home page is their work queue (and `GET /api/v1/me/work` the same): what is
/// waiting, overdue first, with counts, every item one they may open; tasks for another
/// agency say who set them and tell the case team when they are done. On the demo, whose
/// dates are worked out from today.
@Suite struct WorkQueueTests {
    static let password = "Tq7-westmere-queue-Zp4"

    /// The count shown for a section of the home page, or nil when the section is absent.
    static func count(_ kind: String, in page: String) -> Int? {
        guard let regex = try? Regex<(Substring, Substring)>("id=\"work-\(kind)-count\">([0-9]+)<"), let match = page.firstMatch(of: regex) else { return nil }
        return Int(match.1)
    }

    /// The links of every item in the queue.
    static func itemLinks(_ page: String) -> [String] {
        guard let start = page.range(of: "id=\"work\""),
              let end = page.range(of: "<h2>The partnership at a glance</h2>") ?? page.range(of: "<h2>Your roles</h2>") else { return [] }
        return page[start.upperBound..<end.lowerBound].matches(of: /<li><a href="([^"]+)">/).map { String($0.1) }
    }

    @Test func eachRoleSeesItsWorkWithCountsAndOverdueFirst() async throws {
        try await withApp { client, _ in
            // kind → count, for each demo account; nil means the section is not there.
            let expected: [String: [String: Int]] = [
                "analyst@demo.invalid": ["emergency": 1, "triage": 2, "answer": 1, "unattended": 2, "intelligenceAlert": 2, "outcome": 1],
                "coordinator@demo.invalid": ["emergency": 1, "triage": 2, "unattended": 2, "overdueElsewhere": 1],
                "caseworker@demo.invalid": ["referral": 1, "caseUpdate": 1, "survivorMessage": 1, "partnerTask": 2],
                "caseworker2@demo.invalid": ["agencyTask": 1, "referral": 1],
                "practitioner@demo.invalid": ["agencyTask": 1, "outcome": 1],
                "admin@demo.invalid": ["unattended": 1],
                "trainer@demo.invalid": ["trainingUpcoming": 2, "trainingFollowUp": 2],
                "viewer@demo.invalid": [:],
            ]
            let kinds = WorkItem.Kind.allCases.map(\.rawValue)
            for account in DemoPartnership.accounts {
                let browser = Browser(client)
                try await browser.signIn(account.email)
                let home = try await browser.get("/")
                #expect(home.status == .ok)
                let want = try #require(expected[account.email], "\(account.email)")
                for kind in kinds {
                    #expect(Self.count(kind, in: home.text) == want[kind], "\(account.email): \(kind)")
                }
                #expect(home.text.contains("id=\"work-empty\"") == want.isEmpty, "\(account.email)")
                if !want.isEmpty {
                    let total = want.values.reduce(0, +)
                    #expect(home.text.contains("\(total) item\(total == 1 ? "" : "s") waiting"), "\(account.email)")
                }
            }
            // The analyst: the unanswered emergency first, then the sections with overdue work.
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            let page = try await analyst.get("/").text
            let sections = page.matches(of: /<h3 id="work-([a-zA-Z]+)-heading">([^\n]*)<\/h3>/).map { (String($0.1), $0.2.contains("overdue")) }
            #expect(sections.first?.0 == "emergency")
            let overdueFlags = sections.dropFirst().map(\.1)
            #expect(overdueFlags.contains(true) && overdueFlags == overdueFlags.sorted { $0 && !$1 }, "\(sections)")
            #expect(page.contains("Due ") && page.contains("Was due "))
            // The practitioner hears of their report's outcome; caseworker2 and the
            // practitioner see their overdue tasks.
            let practitioner = Browser(client)
            try await practitioner.signIn("practitioner@demo.invalid")
            let theirs = try await practitioner.get("/").text
            #expect(theirs.contains("Safeguarding referral made"))
            #expect(theirs.contains("Universal Credit claim with an interpreter") && theirs.contains("<span class=\"overdue\">Overdue</span>"))
            let council = Browser(client)
            try await council.signIn("caseworker2@demo.invalid")
            #expect(try await council.get("/").text.contains("Housing assessment and move-on accommodation"))
            // The administrator learns which agency holds reports no one can see.
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            #expect(try await admin.get("/").text.contains("Gangmasters and Labour Abuse Authority (Westmere team) holds 2 open reports"))
        }
    }

    @Test func noOneIsShownAnItemTheyCannotOpen() async throws {
        try await withApp { client, built in
            // A second Safe Harbour caseworker, on no case: the agency's referral, but none of
            // Casey's cases or their tasks.
            let agency = try #require(try await built.services.accounts.agencies().first { $0.name == "Safe Harbour Survivor Support" })
            _ = try await built.services.accounts.createUser(.init(email: "newcomer@demo.invalid", displayName: "Nia Newcomer", agencyID: agency.id?.uuidString,
                                                                   roles: [Role.caseworker.rawValue], password: Self.password),
                                                             actor: .system, address: "test")
            var checked = 0
            for email in DemoPartnership.accounts.map(\.email) + ["newcomer@demo.invalid"] {
                let browser = Browser(client)
                try await browser.signIn(email, password: email.hasPrefix("newcomer") ? Self.password : DemoPartnership.password)
                let home = try await browser.get("/")
                for link in Self.itemLinks(home.text) {
                    let path = String(link.split(separator: "#", maxSplits: 1)[0])
                    #expect(try await browser.get(path).status == .ok, "\(email) → \(path)")
                    checked += 1
                }
                if email == "newcomer@demo.invalid" {
                    #expect(Self.count("referral", in: home.text) == 1)
                    #expect(Self.count("caseUpdate", in: home.text) == nil && Self.count("partnerTask", in: home.text) == nil)
                    #expect(!home.text.contains("SC-"))
                }
            }
            #expect(checked >= 15)
        }
    }

    @Test func aTaskForAnotherAgencySaysWhoSetItAndItsCompletionTellsTheCaseTeam() async throws {
        try await withApp { client, built in
            let services = built.services
            let council = try await DemoReports.identity("caseworker2@demo.invalid", services)
            let jobcentre = try await DemoReports.identity("practitioner@demo.invalid", services)
            let housing = try #require(try await services.support.agencyTasks(identity: council).first?.0)
            let benefits = try #require(try await services.support.agencyTasks(identity: jobcentre).first?.0)

            // The Jobcentre's task has no detail and no note yet: no empty headings.
            let practitioner = Browser(client)
            try await practitioner.signIn("practitioner@demo.invalid")
            let page = try await practitioner.get("/tasks/\(try benefits.requireID().uuidString)").text
            #expect(!page.contains("<h2>Detail</h2>") && !page.contains("Latest note"))
            #expect(page.contains("id=\"task-set-by\">Casey Caseworker (demo), Safe Harbour Survivor Support"))
            #expect(page.contains("mailto:caseworker@demo.invalid"))

            // The council marks its task done with a note: the case team is told, on its home
            // page and on the case; the council (not on the team) is not.
            let worker = Browser(client)
            try await worker.signIn("caseworker2@demo.invalid")
            let taskPath = "/tasks/\(try housing.requireID().uuidString)"
            let shown = try await worker.get(taskPath).text
            #expect(shown.contains("<h2>Detail</h2>") && shown.contains("Safe house place ends in six weeks."))
            let caseworker = Browser(client)
            try await caseworker.signIn("caseworker@demo.invalid")
            #expect(Self.count("caseUpdate", in: try await caseworker.get("/").text) == 1)
            let done = try await worker.post(taskPath, [("status", CarePlanTaskStatus.done.rawValue), ("note", "Move-on flat offered from the 14th.")])
            #expect(done.status == .seeOther)
            let after = try await worker.get(taskPath).text
            #expect(after.contains("id=\"task-note-latest\">Move-on flat offered from the 14th."))
            let home = try await caseworker.get("/").text
            #expect(Self.count("caseUpdate", in: home) == 2)
            #expect(home.contains("“Housing assessment and move-on accommodation”, by Sam Caseworker (demo) (Westmere County Council Adult Safeguarding)"))
            #expect(home.contains("Move-on flat offered from the 14th."))
            // Done, it leaves the council's queue and the team's list of overdue partner tasks.
            #expect(Self.count("agencyTask", in: try await worker.get("/").text) == nil)
            #expect(Self.count("partnerTask", in: home) == 1)
            let alerts = try await services.support.alerts(identity: try await DemoReports.identity("caseworker@demo.invalid", services))
            #expect(alerts.filter { $0.message.contains("Housing assessment") }.count == 1)
            #expect(try await services.support.alerts(identity: council).isEmpty)
            // Saving it done again tells no one twice.
            _ = try await worker.post(taskPath, [("status", CarePlanTaskStatus.done.rawValue), ("note", "")])
            #expect(Self.count("caseUpdate", in: try await caseworker.get("/").text) == 2)
            // Marking the update read clears it from the queue.
            let alert = try #require(alerts.first { $0.message.contains("Housing assessment") })
            let caseID = alert.caseID.uuidString
            _ = try await caseworker.get("/cases/\(caseID)")
            #expect(try await caseworker.post("/alerts/\(try alert.requireID().uuidString)/dismiss", [("back", "/cases/\(caseID)")]).status == .seeOther)
            #expect(Self.count("caseUpdate", in: try await caseworker.get("/").text) == 1)
        }
    }

    @Test func theQueueIsInTheAPI() async throws {
        try await withApp { client, built in
            let analyst = try await token(for: "analyst@demo.invalid", built)
            let response = try await api(client, .get, "/api/v1/me/work", token: analyst)
            #expect(response.status == .ok)
            let body = try jsonObject(response)
            let sections = try #require(body["sections"] as? [[String: Any]])
            #expect(sections.first?["kind"] as? String == "emergency")
            #expect(sections.first?["count"] as? Int == 1)
            let emergency = try #require((sections.first?["items"] as? [[String: Any]])?.first)
            #expect((emergency["href"] as? String)?.hasPrefix("/reports/") == true && emergency["dueAt"] is String && emergency["overdue"] as? Bool == false)
            #expect(body["total"] as? Int == sections.reduce(0) { $0 + ($1["count"] as? Int ?? 0) })
            #expect((body["overdue"] as? Int ?? 0) >= 2)
            let viewer = try await token(for: "viewer@demo.invalid", built)
            let empty = try jsonObject(try await api(client, .get, "/api/v1/me/work", token: viewer))
            #expect(empty["total"] as? Int == 0 && (empty["sections"] as? [Any])?.isEmpty == true)
            #expect(try await api(client, .get, "/api/v1/me/work", token: nil).status == .unauthorized)
            #expect(try await api(client, .post, "/api/v1/me/work", token: analyst).status == .methodNotAllowed)
            // Each call that shows anything is audited.
            let audited = try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "work.listed").all()
            #expect(audited.contains { $0.detail.hasPrefix("api; emergency 1") })
        }
    }

    @Test func aPartnershipWithNothingWaitingShowsTheEmptyState() async throws {
        try await withApp(demo: false) { client, built in
            let services = built.services
            let agency = try await services.accounts.createAgency(.init(name: "Westmere Constabulary", type: AgencyType.police.rawValue, firstResponder: true,
                                                                        area: "Westmere", services: [PartnerService.police.rawValue]),
                                                                  actor: .system, address: "test")
            for (email, role) in [("a@example.org", Role.analyst), ("c@example.org", .caseworker), ("p@example.org", .practitioner)] {
                _ = try await services.accounts.createUser(.init(email: email, displayName: email, agencyID: agency.id?.uuidString, roles: [role.rawValue],
                                                                 password: Self.password), actor: .system, address: "test")
            }
            for email in ["a@example.org", "c@example.org", "p@example.org"] {
                let browser = Browser(client)
                try await browser.signIn(email, password: Self.password)
                let home = try await browser.get("/")
                #expect(home.text.contains("id=\"work-empty\""), "\(email)")
                #expect(Self.itemLinks(home.text).isEmpty)
            }
        }
    }

    @Test func theDemoSpreadsOverEighteenMonthsFromToday() async throws {
        try await withServices(demo: true) { services, _ in
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let hotspots = try await services.intelligence.hotspots(type: nil, months: 24, identity: coordinator, address: "t", via: "t")
            let busyMonths = (0..<hotspots.months.count).filter { month in hotspots.rows.contains { $0.counts[month] > 0 } }
            #expect(busyMonths.count >= 14, "\(busyMonths.count) months with reports")
            #expect(hotspots.rows.count >= 6)
            #expect(hotspots.rows.allSatisfy { $0.counts.last ?? 0 < $0.total }, "no district has all its reports this month")
            let now = Date()
            let reports = try await Report.query(on: services.database.db).all()
            let oldest = try #require(reports.map(\.receivedAt).min())
            #expect(oldest < now.addingTimeInterval(-500 * 86_400) && oldest > now.addingTimeInterval(-550 * 86_400))
            #expect(reports.contains { services.reports.isOverdue($0, now: now) })
            let cases = try await SupportCase.query(on: services.database.db).all()
            #expect(cases.contains { $0.openedAt < now.addingTimeInterval(-365 * 86_400) })
            let reviews = try await CaseOutcomeReview.query(on: services.database.db).all().map(\.reviewDate)
            #expect(Set(reviews.map { $0.prefix(7) }).count >= 8, "reviews in many months")
        }
    }
}
