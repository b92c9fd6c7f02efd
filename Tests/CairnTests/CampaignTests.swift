import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// Awareness campaigns on the demo partnership: recording, editing, listing, archiving and
/// deleting one through its pages; codes unique and read case-insensitively; the public form
/// carrying a code from GET to POST and the report counting for the campaign (an unknown code
/// dropped); QR codes encoding the form's address; reach totals and the plan's indicators
/// computed from the records; bad input refused with nothing saved; who may do what; the API.
@Suite struct CampaignTests {
    struct Counts: Equatable {
        let campaigns: Int
        let reach: Int
        let audit: Int

        static func read(_ services: AppServices) async throws -> Counts {
            let db = services.database.db
            return Counts(campaigns: try await Campaign.query(on: db).count(), reach: try await CampaignReach.query(on: db).count(),
                          audit: try await AuditEntry.query(on: db).count())
        }
    }

    static func boxes(_ name: String, _ date: CalendarDate) -> [(String, String)] {
        [("\(name)-day", String(date.day)), ("\(name)-month", String(date.month)), ("\(name)-year", String(date.year))]
    }

    static let today = PlanService.today()

    static func form(name: String = "Nail bar outreach", audiences: [String] = ["nail_bar_workers"], languages: [String] = ["vi", "en"],
                     channels: [String] = ["leaflets", "outreach_events"], reach: [(String, String)] = [("reach-leaflets", "500"), ("reach-outreach_events", "40")],
                     areas: String = "wm1, WM2", starts: CalendarDate = today.adding(days: -10), ends: CalendarDate = today.adding(days: 20),
                     planAction: String = "") -> [(String, String)] {
        [("name", name)] + audiences.map { ("audiences", $0) } + languages.map { ("languages", $0) } + channels.map { ("channels", $0) } + reach
            + [("counted-leaflets", "leaflets handed out at nail bars"), ("areas", areas), ("materials", "Nail bar leaflet (Vietnamese)\nNail bar leaflet (English)"),
               ("planActionId", planAction)] + boxes("startsOn", starts) + boxes("endsOn", ends)
    }

    static func id(from location: String?) throws -> UUID {
        try #require(location.flatMap { UUID(uuidString: String($0.dropFirst("/campaigns/".count))) })
    }

    static func input(_ name: String, reach: [CampaignChannel: Int], starts: CalendarDate, languages: [CampaignLanguage] = [.ro]) -> CampaignService.Input {
        var input = CampaignService.Input()
        input.name = name
        input.audiences = [CampaignAudience.generalPublic.rawValue]
        input.languages = languages.map(\.rawValue)
        input.channels = reach.keys.map(\.rawValue)
        input.reach = Dictionary(reach.map { ($0.key.rawValue, String($0.value)) }, uniquingKeysWith: { first, _ in first })
        input.startsOn = starts.description
        input.endsOn = starts.adding(days: 30).description
        return input
    }

    @Test func theTrainerRecordsEditsListsAndDeletesACampaign() async throws {
        try await withApp { client, built in
            let services = built.services
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            #expect(try await browser.get("/campaigns/new").status == .ok)
            let action = try #require(try await services.campaigns.actionChoices(identity: try await DemoReports.identity("trainer@demo.invalid", services)).first)
            let created = try await browser.post("/campaigns", Self.form(planAction: action.id.uuidString))
            #expect(created.status == .seeOther)
            let id = try Self.id(from: created.location)
            let campaign = try #require(try await Campaign.find(id, on: services.database.db))
            #expect(CampaignCode.normalise(campaign.code) == campaign.code)
            #expect(campaign.areas == "WM1,WM2")
            #expect(campaign.planActionID == action.id)
            let page = try await browser.get("/campaigns/\(id.uuidString)")
            #expect(page.status == .ok)
            #expect(page.text.contains(campaign.code))
            #expect(page.text.contains("id=\"reach-total\">540<"))
            #expect(page.text.contains(action.title))
            #expect(page.text.contains("leaflets handed out at nail bars"))
            let list = try await browser.get("/campaigns")
            #expect(list.text.contains("Nail bar outreach"))
            #expect(list.text.contains("Know your rights at work"))
            for sort in ["name", "reach", "reports", "start"] { #expect(try await browser.get("/campaigns?sort=\(sort)").status == .ok) }
            #expect(try await browser.get("/campaigns?sort=sideways").status == .badRequest)

            #expect(try await browser.get("/campaigns/\(id.uuidString)/edit").text.contains("value=\"Nail bar outreach\""))
            let saved = try await browser.post("/campaigns/\(id.uuidString)", Self.form(name: "Nail bar outreach, spring", reach: [("reach-leaflets", "700"), ("reach-outreach_events", "40")]))
            #expect(saved.status == .seeOther)
            #expect(try await browser.get("/campaigns/\(id.uuidString)").text.contains("id=\"reach-total\">740<"))
            let stored = try #require(try await Campaign.find(id, on: services.database.db))
            #expect(stored.name == "Nail bar outreach, spring" && stored.code == campaign.code && stored.planActionID == nil)

            #expect(try await browser.get("/campaigns/\(id.uuidString)/delete").text.contains("Delete the campaign"))
            let deleted = try await browser.post("/campaigns/\(id.uuidString)/delete")
            #expect(deleted.status == .seeOther)
            #expect(try await Campaign.find(id, on: services.database.db) == nil)
            #expect(try await CampaignReach.query(on: services.database.db).filter(\.$campaignID == id).count() == 0)
            #expect(try await browser.get("/campaigns/\(id.uuidString)").status == .notFound)
            let actions = try await AuditEntry.query(on: services.database.db).filter(\.$recordID == id.uuidString).all().map(\.action)
            #expect(actions == ["campaign.created", "campaign.updated", "campaign.deleted"])
        }
    }

    @Test func codesAreUniqueAndReadWhateverTheCase() async throws {
        try await withServices(demo: true) { services, _ in
            let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
            var codes: Set<String> = []
            for n in 0..<25 {
                let c = try await services.campaigns.create(Self.input("Campaign \(n)", reach: [.posters: n], starts: Self.today), identity: trainer, address: "test")
                #expect(CampaignCode.normalise(c.code) == c.code)
                codes.insert(c.code)
            }
            #expect(codes.count == 25)
            let before = try await Counts.read(services)
            await #expect(throws: AppError.self) {
                try await services.campaigns.create(Self.input("Clash", reach: [.radio: 1], starts: Self.today), identity: trainer, address: "test",
                                                    code: DemoCampaigns.rightsCode.lowercased())
            }
            #expect(try await Counts.read(services) == before)
            #expect(CampaignCode.normalise(" wrk-479 ") == "WRK479")
            #expect(CampaignCode.normalise("WRK47") == nil)
            #expect(CampaignCode.normalise("WRK470") == nil)  // 0 is not in the alphabet
            #expect(try await services.campaigns.reports.countsByCampaignCode([]) == [:])
        }
    }

    @Test func aReportFromTheCampaignsLinkCountsForIt() async throws {
        try await withApp(configure: { $0.publicURL = "https://report.example.org/" }) { client, built in
            let services = built.services
            let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
            let campaign = try await services.campaigns.create(Self.input("Romanian outreach", reach: [.leaflets: 10], starts: Self.today.adding(days: -3),
                                                                          languages: [.ro, .bg]), identity: trainer, address: "test")
            let id = try campaign.requireID()
            let visitor = Browser(client)
            let form = try await visitor.get("/report?lang=ro&c=\(campaign.code.lowercased())")
            #expect(form.status == .ok)
            #expect(form.text.contains("name=\"campaign\" value=\"\(campaign.code.lowercased())\""))
            #expect(form.text.contains("?lang=pl&amp;c=\(campaign.code)"))  // the language chooser keeps the code
            let sent = try await visitor.post("/report", [("lang", "ro"), ("submission", UUID().uuidString), ("dangerNow", "no"),
                                                          ("description", "Muncitorii dorm la spălătorie"), ("reporterType", "member_of_public"),
                                                          ("contact", "anonymous"), ("campaign", campaign.code.lowercased())])
            #expect(sent.status == .created)
            let stored = try await Report.query(on: services.database.db).filter(\.$campaignCode == campaign.code).all()
            #expect(stored.count == 1 && stored.first?.language == "ro")

            let staff = Browser(client)
            try await staff.signIn("viewer@demo.invalid")
            let page = try await staff.get("/campaigns/\(id.uuidString)")
            #expect(page.text.contains("id=\"campaign-report-count\">1<"))
            #expect(page.text.contains(MonthPeriod(Self.today).label))
            #expect(!page.text.contains("/reports/"))  // counts only, never a link to a report
            // A QR code per language, of the public address; Bulgarian opens the form in English.
            for (language, lang) in [("ro", "ro"), ("bg", "en")] {
                let url = "https://report.example.org/report?lang=\(lang)&c=\(campaign.code)"
                let svg = CampaignPages.qrSVG(url, title: "QR code for the report form in \(lang == "en" ? "English" : "Romanian"), campaign \(campaign.code)",
                                              id: "qr-\(language)")
                #expect(svg.hasPrefix("<svg") && svg.contains("<path d=\"M"))
                #expect(page.text.contains(svg), "\(language)")
                #expect(page.text.contains(url.replacingOccurrences(of: "&", with: "&amp;")))
            }
            #expect(!page.text.contains("CAIRN_PUBLIC_URL"))
            #expect(try await staff.get("/campaigns").text.contains("<td class=\"numeric\">1</td>"))
        }
    }

    @Test func anUnknownCodeIsDroppedAndTheReportStillAccepted() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let before = try await Report.query(on: db).count()
            for code in ["ACDEFG", "not a code <script>"] {
                let visitor = Browser(client)
                let form = try await visitor.get("/report?lang=en&c=\(Browser.encode(code))")
                #expect(form.status == .ok)
                #expect(!form.text.contains("<script>"))
                let sent = try await visitor.post("/report", [("lang", "en"), ("submission", UUID().uuidString), ("dangerNow", "no"),
                                                              ("description", "Workers sleep at the car wash"), ("reporterType", "member_of_public"),
                                                              ("contact", "anonymous"), ("campaign", code)])
                #expect(sent.status == .created)
            }
            #expect(try await Report.query(on: db).count() == before + 2)
            #expect(try await Report.query(on: db).filter(\.$campaignCode == "ACDEFG").count() == 0)
            // Practitioners' reports never carry one, whatever is sent.
            var input = ReportInput()
            input.description = "Practitioner report"
            input.exploitationTypes = [ExploitationType.labour.rawValue]
            input.ageGroup = AgeGroup.adult.rawValue
            input.campaignCode = DemoCampaigns.rightsCode
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", built.services)
            let made = try await built.services.reports.submit(input, source: .practitioner, identity: practitioner, address: "test", idempotencyKey: nil,
                                                               requireFormAnswers: false)
            #expect(made.report.campaignCode == nil)
        }
    }

    @Test func reachAddsUpAndTheIndicatorsComeFromTheRecords() async throws {
        try await withServices(demo: true) { services, _ in
            let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
            let now = Date()
            let month = MonthPeriod(Self.today)
            let first = month.adding(months: -2).firstDay
            let window = MonthWindow(MonthPeriod.range(month.adding(months: -2), month))
            let before = try await services.indicators.compute(.campaignsReach, window, now: now)
            let a = try await services.campaigns.create(Self.input("A", reach: [.leaflets: 300, .radio: 2000], starts: first), identity: trainer, address: "test")
            _ = try await services.campaigns.create(Self.input("B", reach: [.posters: 45], starts: first.adding(days: 3)), identity: trainer, address: "test")
            let detail = try await services.campaigns.detail(try a.requireID(), identity: trainer)
            #expect(detail.reachTotal == 2300)
            #expect(detail.reach.map(\.channel) == ["leaflets", "radio"])
            let after = try await services.indicators.compute(.campaignsReach, window, now: now)
            #expect((after[0].value ?? 0) - (before[0].value ?? 0) == 2345)
            #expect(after[0].basis - before[0].basis == 2)
            #expect(after[1].value == before[1].value && after[2].value == before[2].value)

            // The demo's three public reports that arrived with its codes, all in the last days.
            let reports = try await services.indicators.compute(.campaignsReports, window, now: now)
            let direct = try await services.reportDirectory.countsByCampaignCode([DemoCampaigns.rightsCode, DemoCampaigns.hotelCode])
            #expect(direct == [DemoCampaigns.rightsCode: 2, DemoCampaigns.hotelCode: 1])
            #expect(reports.map { $0.value ?? 0 }.reduce(0, +) == 3)
            #expect(!ComputedIndicator.campaignsReach.describesSurvivors && !ComputedIndicator.campaignsReports.describesSurvivors)
            #expect(ComputedIndicator.campaignsReach.key == "campaigns.reach" && ComputedIndicator.campaignsReports.key == "campaigns.reports")
        }
    }

    @Test func badInputIsRefusedAndNothingSaved() async throws {
        try await withApp { client, built in
            let services = built.services
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let cases: [(String, [(String, String)], String)] = [
                ("negative reach", Self.form(reach: [("reach-leaflets", "-5")]), "must be 0 or more"),
                ("text reach", Self.form(reach: [("reach-leaflets", "lots")]), "must be a whole number"),
                ("reach for an unticked channel", Self.form(channels: ["leaflets"], reach: [("reach-radio", "9")]), "Tick radio as a channel"),
                ("end before start", Self.form(starts: Self.today, ends: Self.today.adding(days: -1)), "The end date must be the same as or after the start date"),
                ("bad area", Self.form(areas: "WM1, Westmere"), "is not a postcode district"),
                ("unknown plan action", Self.form(planAction: UUID().uuidString), "Choose a plan action from the list"),
                ("unknown audience", Self.form(audiences: ["pirates"]), "Choose audiences from the list"),
                ("no language", Self.form(languages: []), "Choose at least one language"),
                ("no channel", Self.form(channels: [], reach: []), "Choose at least one channel"),
                ("no name", Self.form(name: " "), "Enter the campaign’s name"),
                ("impossible date", Self.form().filter { !$0.0.hasPrefix("endsOn-") } + [("endsOn-day", "31"), ("endsOn-month", "2"), ("endsOn-year", "2027")],
                 "End date must be a real date"),
            ]
            let before = try await Counts.read(services)
            for (what, fields, message) in cases {
                let page = try await browser.post("/campaigns", fields)
                #expect(page.status == .unprocessableContent, "\(what)")
                #expect(page.text.contains(message), "\(what): \(message)")
            }
            #expect(try await Counts.read(services) == before)
            // A field sent twice, or to a campaign that is not there.
            #expect(try await browser.post("/campaigns", Self.form() + [("name", "Again")]).status == .badRequest)
            #expect(try await browser.post("/campaigns/\(UUID().uuidString)", Self.form()).status == .notFound)
            #expect(try await browser.post("/campaigns/not-an-id/archive").status == .notFound)
            #expect(try await Counts.read(services) == before)
        }
    }

    @Test func everyoneReadsAndOnlyCoordinatorsAndTrainersChange() async throws {
        try await withApp { client, built in
            let rights = try #require(try await Campaign.query(on: built.services.database.db).filter(\.$code == DemoCampaigns.rightsCode).first())
            let id = try rights.requireID().uuidString
            for account in ["admin", "coordinator", "analyst", "caseworker", "practitioner", "trainer", "viewer"] {
                let browser = Browser(client)
                try await browser.signIn("\(account)@demo.invalid")
                let list = try await browser.get("/campaigns")
                #expect(list.status == .ok, "\(account)")
                #expect(list.text.contains("href=\"/campaigns\""), "\(account): the navigation names campaigns")
                let page = try await browser.get("/campaigns/\(id)")
                #expect(page.status == .ok && page.text.contains("Know your rights at work"), "\(account)")
                let manages = ["coordinator", "trainer"].contains(account)
                #expect(try await browser.get("/campaigns/new").status == (manages ? .ok : .forbidden), "\(account)")
                #expect(page.text.contains("Edit the campaign") == manages, "\(account)")
                if !manages {
                    #expect(try await browser.post("/campaigns", Self.form()).status == .forbidden, "\(account)")
                    #expect(try await browser.post("/campaigns/\(id)/archive").status == .forbidden, "\(account)")
                }
            }
            #expect(try await Browser(client).get("/campaigns").status == .seeOther)
        }
    }

    @Test func archivingKeepsTheCodeCountingAndDeletingIsRefusedOnceReportsArrived() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let rights = try #require(try await Campaign.query(on: db).filter(\.$code == DemoCampaigns.rightsCode).first())
            let id = try rights.requireID().uuidString
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let refused = try await browser.post("/campaigns/\(id)/delete")
            #expect(refused.status == .conflict)
            #expect(try await Campaign.find(rights.requireID(), on: db) != nil)
            #expect(try await browser.get("/campaigns/\(id)/archive").text.contains("Archive the campaign"))
            #expect(try await browser.post("/campaigns/\(id)/archive").status == .seeOther)
            #expect(try await browser.post("/campaigns/\(id)/archive").status == .conflict)
            #expect(!(try await browser.get("/campaigns").text.contains("Know your rights at work")))
            #expect(try await browser.get("/campaigns?show=archived").text.contains("Know your rights at work"))
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "campaign.archived").count() == 1)
            // Its leaflets are still out there: a report with its code still counts.
            let visitor = Browser(client)
            try await visitor.get("/report?c=\(DemoCampaigns.rightsCode)")
            let sent = try await visitor.post("/report", [("lang", "en"), ("submission", UUID().uuidString), ("dangerNow", "no"),
                                                          ("description", "Workers sleep at the car wash"), ("reporterType", "member_of_public"),
                                                          ("contact", "anonymous"), ("campaign", DemoCampaigns.rightsCode)])
            #expect(sent.status == .created)
            #expect(try await Report.query(on: db).filter(\.$campaignCode == DemoCampaigns.rightsCode).count() == 3)
        }
    }

    @Test func theAPIListsCampaignsWithTheirTotals() async throws {
        try await withApp { client, built in
            let viewer = try await token(for: "viewer@demo.invalid", built)
            let response = try await api(client, .get, "/api/v1/campaigns", token: viewer)
            #expect(response.status == .ok)
            let items = try #require(try jsonObject(response)["items"] as? [[String: Any]])
            let rights = try #require(items.first { $0["code"] as? String == DemoCampaigns.rightsCode })
            #expect(rights["reachTotal"] as? Int == 1625)
            #expect(rights["reports"] as? Int == 2)
            #expect(items.first { $0["code"] as? String == DemoCampaigns.hotelCode }?["reports"] as? Int == 1)
            #expect(try await api(client, .get, "/api/v1/campaigns?perPage=500", token: viewer).status == .badRequest)
            #expect(try await api(client, .get, "/api/v1/campaigns?show=gone", token: viewer).status == .badRequest)
            #expect(try await api(client, .get, "/api/v1/campaigns", token: nil).status == .unauthorized)
        }
    }

    @Test func thePublicAddressIsCheckedWhenCairnStarts() throws {
        #expect(try AppConfig.load(environment: ["CAIRN_PUBLIC_URL": "https://report.example.org/"]).publicURL == "https://report.example.org")
        #expect(try AppConfig.load(environment: [:]).publicURL == nil)
        for bad in ["ftp://example.org", "report.example.org", "https://example.org/?x=1", "https://user@example.org"] {
            #expect(throws: AppConfig.Invalid.self, "\(bad)") { try AppConfig.load(environment: ["CAIRN_PUBLIC_URL": bad]) }
        }
    }
}
