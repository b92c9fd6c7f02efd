import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import Cairn

/// `cairn demo generate`'s data set, written into a real database (SQLite, or PostgreSQL with
/// `CAIRN_TEST_DATABASE_URL`) and read back through the services and pages that show it.
@Suite("Generated data set")
struct GenerateTests {
    static func options(reports: Int = 2000, cases: Int = 100, months: Int = 24, seed: UInt64 = 7, now: Date) -> DataSetGenerator.Options {
        var options = DataSetGenerator.Options(reports: reports, cases: cases, months: months, seed: seed)
        options.now = now
        return options
    }

    static func count(_ table: String, _ services: AppServices) async throws -> Int {
        let row = try await services.database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()
        return try row?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test func everyTableIsWrittenAndEveryRowReadsBackAsTheWorkflowAllows() async throws {
        try await withServices { services, _ in
            let db = services.database.db
            let now = Date()
            let summary = try await DataSetGenerator.generate(Self.options(now: now), into: services, actor: .system)
            for (table, rows) in summary.rows {
                #expect(try await Self.count(table, services) == rows, "\(table)")
            }
            #expect(summary.count("reports") == 2000)
            #expect(summary.count("cases") == 100)
            #expect(summary.count("case_identities") == 100)
            for table in ["report_events", "report_indicators", "report_mentions", "referrals", "case_team", "case_consents", "case_nrm",
                          "case_duty_to_notify", "case_outcome_reviews", "case_warnings"] {
                #expect(summary.count(table) > 0, "\(table)")
            }
            #expect(summary.agenciesCreated == DemoPartnership.agencies.count)
            #expect(try await Self.count("audit_entries", services) == 1)

            // Every report: known values, dates in order, and a history the workflow allows.
            let start = try #require(GenerateMonths(count: 24, reports: 2000, now: now).months.first).start
            let reports = try await Report.query(on: db).all()
            let events = Dictionary(grouping: try await ReportEvent.query(on: db).all(), by: \.reportID)
            var late = 0, publicReports = 0, children = 0
            for r in reports {
                let id = try r.requireID()
                #expect(ReportStatus(rawValue: r.status) != nil && Urgency(rawValue: r.urgency) != nil && ReportSource(rawValue: r.source) != nil)
                #expect(ReporterType(rawValue: r.reporterType) != nil && AgeGroup(rawValue: r.ageGroup) != nil)
                #expect(!r.exploitationTypes.isEmpty && r.exploitationTypes.split(separator: ",").allSatisfy { ExploitationType(rawValue: String($0)) != nil })
                #expect(r.receivedAt >= start && r.receivedAt <= now && r.dueAt > r.receivedAt)
                #expect(r.narrative.hasPrefix("Fictional: "))
                if let postcode = r.postcode { #expect(postcode.hasPrefix((r.postcodeDistrict ?? "?") + " ")) }
                if r.reportStatus == .closed {
                    #expect(r.reportOutcome != nil && r.outcomeDate != nil)
                    #expect(r.closedAt.map { $0 >= r.receivedAt && $0 <= now } == true)
                }
                if let responded = r.respondedAt {
                    #expect(responded >= r.receivedAt && responded <= now)
                    if responded > r.dueAt { late += 1 }
                }
                if r.reportStatus == .new { #expect(r.reportSource == .public && !r.classified) }
                if r.reportSource == .public { publicReports += 1 }
                if r.age.isTreatedAsChild { children += 1 }
                // In time order, as the report page shows them (rows come back in any order).
                let history = (events[id] ?? []).sorted { $0.at < $1.at }
                #expect(history.first?.action == "received")
                #expect(Set(history.map(\.at)).count == history.count)
                #expect(history.allSatisfy { $0.at <= now })
                let steps = history.filter { $0.action != "received" && !$0.action.hasPrefix("refer") }
                for step in steps {
                    let from = try #require(ReportStatus(rawValue: step.fromStatus)), to = try #require(ReportStatus(rawValue: step.toStatus))
                    #expect(ReportWorkflow.transitions[from]?.contains(to) == true, "\(step.action): \(from) → \(to)")
                }
                #expect((steps.last?.toStatus ?? ReportStatus.new.rawValue) == r.status)
            }
            // Realistic mixes: a third public, some children, some answered late, every kind of reporter.
            #expect((500...900).contains(publicReports))
            #expect(children > 100)
            #expect((100...800).contains(late))
            #expect(Set(reports.map(\.reporterType)).count == ReporterType.allCases.count)
            #expect(Set(reports.compactMap(\.postcodeDistrict)).count == GenerateWords.districts.count)
            let referrals = try await Referral.query(on: db).all()
            #expect(Set(referrals.map(\.status)) == Set(ReferralStatus.allCases.map(\.rawValue)))
            #expect(referrals.allSatisfy { $0.fromAgencyID != $0.toAgencyID && $0.updatedAt >= $0.createdAt && $0.createdAt <= now })

            // Through the services, as the pages read them.
            let analyst = try await DemoReports.identity("analyst.constabulary.1@generated.invalid", services)
            #expect(try await services.reports.list(.init(inbox: .all, perPage: 10), identity: analyst).total == 2000)
            let detail = try await services.reports.detail(try #require(reports.first?.id), identity: analyst, address: "test")
            #expect(!detail.events.isEmpty)
            let hotspots = try await services.intelligence.hotspots(type: nil, months: 24, now: now, identity: analyst, address: "test", via: "test")
            #expect(hotspots.total == 2000)
            let coordinator = try await DemoReports.identity("coordinator.modern-slavery.1@generated.invalid", services)
            let figures = try await services.support.figures(identity: coordinator, address: "test")
            #expect(figures.total == 100)
            #expect(figures.byStage.map(\.1).reduce(0, +) == 100)
            #expect(figures.movement.contains { $0.improved > 0 } && figures.movement.contains { $0.worse > 0 })

            // Every case, as its team sees it.
            let today = CaseSupportService.today(now)
            for record in try await SupportCase.query(on: db).all() {
                let id = try record.requireID()
                let member = try #require(try await CaseTeamMember.query(on: db).filter(\.$caseID == id).first())
                let user = try #require(try await User.find(member.userID, on: db))
                let c = try await services.cases.authorise(id, identity: try await DemoReports.identity(user.email, services))
                // The team may see the report the case was opened from (it holds it or has a referral).
                #expect(await services.cases.sourceReference(of: c) != nil, "case \(record.code)")
                if let nrm = try await services.support.nrm(of: c) {
                    #expect(nrm.referral.validate(today: today).isEmpty, "case \(record.code)")
                    #expect(nrm.referral.referralDate >= CalendarDate(record.openedAt, in: TimeZone.london))
                }
                let reviews = try await services.support.reviews(of: c)
                #expect(reviews.allSatisfy { $0.review != nil && $0.reviewDate >= CalendarDate(record.openedAt, in: TimeZone.london).description })
                let signs = try await services.support.warnings(of: c).compactMap(\.recorded)
                #expect(ReexploitationRisk.assess(signs, on: today).level == record.risk)
                if record.caseStatus == .closed { #expect(record.closedAt != nil && record.closureReason.flatMap(ClosureReason.init(rawValue:)) != nil) }
            }

            // The linker: nothing waiting, so no sweep takes the reports up.
            #expect(try await Self.count("link_pending", services) == 0)
            #expect(await services.intelligence.linker.sweep() == 0)
        }
    }

    @Test func theSameSeedGivesTheSameDataSetAndAnotherSeedAnother() async throws {
        let now = Date()
        var signatures: [[String]] = [], counts: [[Int]] = []
        for seed: UInt64 in [11, 11, 12] {
            try await withServices { services, _ in
                let summary = try await DataSetGenerator.generate(Self.options(reports: 600, cases: 20, months: 6, seed: seed, now: now),
                                                                  into: services, actor: .system)
                counts.append(summary.rows.map(\.count))
                let first = try await Report.query(on: services.database.db).sort(\.$receivedAt).sort(\.$id).range(..<40).all()
                signatures.append(first.map {
                    [$0.id?.uuidString ?? "", $0.reference, "\($0.receivedAt.timeIntervalSince1970)", $0.status, $0.urgency, $0.exploitationTypes,
                     $0.assignedAgencyID?.uuidString ?? "", $0.narrative, $0.updatedAt.description].joined(separator: "|")
                })
            }
        }
        #expect(signatures[0].count == 40)
        #expect(signatures[0] == signatures[1])
        #expect(counts[0] == counts[1])
        #expect(signatures[0] != signatures[2])
    }

    @Test func badOptionsAndAFilledDatabaseAreRefusedAndNothingIsWritten() async throws {
        let now = Date()
        for (reports, cases, months, named) in [(0, 0, 12, "--reports"), (-5, 0, 12, "--reports"), (5_000_001, 0, 12, "--reports"),
                                                (100, -1, 12, "--cases"), (100, 51, 12, "--cases"), (2_000_000, 1_000_001, 12, "--cases"),
                                                (100, 10, 0, "--months"), (100, 10, 241, "--months")] {
            let problems = Self.options(reports: reports, cases: cases, months: months, now: now).problems
            #expect(problems.count == 1 && problems[0].hasPrefix(named), "\(reports) \(cases) \(months): \(problems)")
        }
        #expect(Self.options(reports: 0, cases: -1, months: 0, now: now).problems.count == 3)
        #expect(Self.options(reports: 1, cases: 0, months: 1, now: now).problems.isEmpty)
        try await withServices { services, _ in
            await #expect(throws: DataSetGenerator.Refused.self) {
                try await DataSetGenerator.generate(Self.options(reports: 0, now: now), into: services, actor: .system)
            }
            #expect(try await Self.count("agencies", services) == 0)
            _ = try await DataSetGenerator.generate(Self.options(reports: 300, cases: 10, months: 3, now: now), into: services, actor: .system)
            let tables = ["agencies", "users", "reports", "report_events", "cases", "audit_entries"]
            var before: [Int] = []
            for table in tables { before.append(try await Self.count(table, services)) }
            let refused = await #expect(throws: DataSetGenerator.Refused.self) {
                try await DataSetGenerator.generate(Self.options(reports: 300, cases: 10, months: 3, now: now), into: services, actor: .system)
            }
            #expect(refused?.description.contains("--append") == true)
            var after: [Int] = []
            for table in tables { after.append(try await Self.count(table, services)) }
            #expect(after == before)

            // With --append, the same seed adds a second, different set, reusing the agencies and accounts.
            var again = Self.options(reports: 300, cases: 10, months: 3, now: now)
            again.append = true
            let added = try await DataSetGenerator.generate(again, into: services, actor: .system)
            #expect(added.agenciesCreated == 0 && added.accountsCreated == 0)
            #expect(try await Self.count("reports", services) == 600)
            #expect(try await Self.count("cases", services) == 20)
            #expect(try await Self.count("agencies", services) == before[0])
            #expect(try await Self.count("users", services) == before[1])
            let references = try await services.database.sql.select().column(SQLFunction("COUNT", args: SQLDistinct("reference")), as: "n")
                .from("reports").first()?.decode(column: "n", as: Int.self)
            #expect(references == 600)
        }
    }

    @Test func askedToLinkItRebuildsTheLinksAtTheEnd() async throws {
        try await withServices { services, _ in
            var options = Self.options(reports: 1500, cases: 30, months: 12, seed: 5, now: Date())
            options.link = true
            let summary = try await DataSetGenerator.generate(options, into: services, actor: .system)
            let linked = try #require(summary.linked)
            #expect(linked.reports == 1500)
            #expect(linked.links > 0 && linked.networks > 0)
            #expect(try await Self.count("report_links", services) == linked.links)
            #expect(try await Self.count("link_pending", services) == 0)
        }
    }

    @Test func everyColumnListNamesItsModelsFields() throws {
        let check = IntakeColumnTests()
        try check.check(Report.self, columns: ReportService.reportColumns, row: { ReportRecord($0).row })
        try check.check(ReportEvent.self, columns: ReportService.eventColumns, row: { EventRecord($0).row })
        try check.check(ReportIndicator.self, columns: ReportService.indicatorColumns, row: { IndicatorRecord($0).row })
        try check.check(ReportMention.self, columns: ReportService.mentionColumns, row: { MentionRecord($0).row })
        try check.check(Referral.self, columns: ReferralRecord.columns, row: { ReferralRecord($0).row })
        try check.check(SupportCase.self, columns: GenerateBatch.caseColumns, row: GenerateBatch.caseRow)
        try check.check(CaseIdentityRecord.self, columns: GenerateBatch.identityColumns, row: GenerateBatch.identityRow)
        try check.check(CaseTeamMember.self, columns: GenerateBatch.teamColumns, row: GenerateBatch.teamRow)
        try check.check(CaseConsent.self, columns: GenerateBatch.consentColumns, row: GenerateBatch.consentRow)
        try check.check(CaseNRM.self, columns: GenerateBatch.nrmColumns, row: GenerateBatch.nrmRow)
        try check.check(CaseDutyToNotify.self, columns: GenerateBatch.dutyToNotifyColumns, row: GenerateBatch.dutyToNotifyRow)
        try check.check(CaseOutcomeReview.self, columns: GenerateBatch.reviewColumns, row: GenerateBatch.reviewRow)
        try check.check(CaseWarning.self, columns: GenerateBatch.warningColumns, row: GenerateBatch.warningRow)
    }

    /// Added to the demo partnership: its agencies are reused, its people see the generated
    /// reports, and the pages show them.
    @Test func thePagesShowTheGeneratedRecords() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            var options = Self.options(reports: 800, cases: 30, months: 12, seed: 3, now: Date())
            options.append = true
            let summary = try await DataSetGenerator.generate(options, into: services, actor: .system)
            #expect(summary.agenciesCreated == 0)
            let report = try #require(try await Report.query(on: db).filter(\.$narrative ~~ "Fictional: ").sort(\.$receivedAt, .descending).first())

            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            let list = try await analyst.get("/reports")
            #expect(list.status == .ok && list.text.contains(report.reference))
            let page = try await analyst.get("/reports/\(try report.requireID().uuidString)")
            #expect(page.status == .ok && page.text.contains("Fictional: "))
            #expect(try await analyst.get("/hotspots").text.contains("HV1"))
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get("/case-figures").status == .ok)

            // A generated caseworker, given a password, works on their cases.
            let member = try #require(try await CaseTeamMember.query(on: db).first())
            let user = try #require(try await User.find(member.userID, on: db))
            user.passwordHash = try await services.auth.hashPassword("a test password for generated")
            user.mustChangePassword = false
            try await user.save(on: db)
            let c = try #require(try await SupportCase.find(member.caseID, on: db))
            let caseworker = Browser(client)
            try await caseworker.signIn(user.email, password: "a test password for generated")
            #expect(try await caseworker.get("/cases").text.contains(c.code))
            for path in ["", "/nrm", "/outcomes", "/consent"] {
                #expect(try await caseworker.get("/cases/\(member.caseID.uuidString)\(path)").status == .ok, "\(path)")
            }
        }
    }
}

// Each generated record made from a model, field by field under the same name, so the column
// checks above see every field go through the generator's own rows.
extension ReportRecord {
    convenience init(_ m: Report) {
        self.init(id: m.id ?? UUID(), receivedAt: m.receivedAt)
        (reference, passphraseHash, source, language, status, urgency) = (m.reference, m.passphraseHash, m.source, m.language, m.status, m.urgency)
        (triageRules, routingExplanation, dangerNow, ageGroup, exploitationTypes) = (m.triageRules, m.routingExplanation, m.dangerNow, m.ageGroup, m.exploitationTypes)
        (countyLines, labourSector, classified, narrative, location, postcode) = (m.countyLines, m.labourSector, m.classified, m.narrative, m.location, m.postcode)
        (postcodeDistrict, occurred, peopleText, vehiclesText, phonesText) = (m.postcodeDistrict, m.occurred, m.peopleText, m.vehiclesText, m.phonesText)
        (businessesText, websitesText, reporterType, anonymous, contactName) = (m.businessesText, m.websitesText, m.reporterType, m.anonymous, m.contactName)
        (contactPhone, contactEmail, contactBestTime, createdByID) = (m.contactPhone, m.contactEmail, m.contactBestTime, m.createdByID)
        (reportingAgencyID, assignedAgencyID, dueAt, respondedAt, closedAt) = (m.reportingAgencyID, m.assignedAgencyID, m.dueAt, m.respondedAt, m.closedAt)
        (outcome, outcomeDate, outcomeNote, idempotencyKey) = (m.outcome, m.outcomeDate, m.outcomeNote, m.idempotencyKey)
        (requestFingerprint, updatedAt) = (m.requestFingerprint, m.updatedAt)
        campaignCode = m.campaignCode
    }
}

extension EventRecord {
    init(_ m: ReportEvent) {
        self.init(id: m.id ?? UUID(), reportID: m.reportID, at: m.at, actorID: m.actorID, actorName: m.actorName, agencyID: m.agencyID,
                  action: m.action, fromStatus: m.fromStatus, toStatus: m.toStatus, note: m.note)
    }
}

extension IndicatorRecord {
    init(_ m: ReportIndicator) {
        self.init(id: m.id ?? UUID(), reportID: m.reportID, indicatorID: m.indicatorID, indicatorVersion: m.indicatorVersion, knowledge: m.knowledge)
    }
}

extension MentionRecord {
    init(_ m: ReportMention) {
        self.init(id: m.id ?? UUID(), reportID: m.reportID, kind: m.kind, value: m.value, normalised: m.normalised, aliases: m.aliases,
                  dateOfBirth: m.dateOfBirth, age: m.age, nationality: m.nationality, postcode: m.postcode)
    }
}

extension ReferralRecord {
    init(_ m: Referral) {
        self.init(id: m.id ?? UUID(), reportID: m.reportID, fromAgencyID: m.fromAgencyID, toAgencyID: m.toAgencyID, status: m.status,
                  shared: m.shared, request: m.request, response: m.response, createdByID: m.createdByID, createdAt: m.createdAt,
                  updatedAt: m.updatedAt)
    }
}
