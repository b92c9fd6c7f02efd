import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Linkage
import Testing

@testable import Cairn

/// The CSV exports (reports, referrals, case aggregates) and the HTCDS export and import.
@Suite struct ExportTests {
    static func chunks<S: AsyncSequence>(_ stream: S) async throws -> [String] where S.Element == [UInt8] {
        var out: [String] = []
        for try await chunk in stream { out.append(String(decoding: chunk, as: UTF8.self)) }
        return out
    }

    /// A consent to anonymised sharing (or not) for a case, as the consent form records it.
    static func consent(_ caseID: UUID, anonymised: Bool, withdrawnOn: String? = nil, by user: UUID, on db: any Database) async throws {
        let c = CaseConsent()
        c.caseID = caseID
        c.categories = ConsentDataCategory.account.rawValue
        c.purposes = ConsentPurpose.safeguarding.rawValue
        c.agencies = ""
        c.method = ConsentMethod.written.rawValue
        c.validFrom = "2000-01-01"
        c.withdrawnOn = withdrawnOn
        c.nrmConsent = false
        c.anonymisedSharing = anonymised
        c.recordedByID = user
        c.recordedAt = Date()
        try await c.create(on: db)
    }

    @Test func reportAndReferralExportsStreamAPageAtATimeAndAreAudited() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            // Every report received at the same instant: the keyset must still page by id.
            try await Report.query(on: db).set(\.$receivedAt, to: Date(timeIntervalSince1970: 1_700_000_000)).update()
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let total = try await Report.query(on: db).count()
            #expect(total >= 5)
            let (csv, count) = try await services.reports.exportCSV(.init(), identity: analyst, address: "test", pageSize: 2)
            #expect(count == total)
            let parts = try await Self.chunks(csv)
            #expect(parts.count >= 1 + total / 2)  // the header, then a chunk per page of 2
            let table = CSV.parse(Data(parts.joined().utf8))
            #expect(table.header == ReportService.exportColumns)
            #expect(table.rows.count == total)
            #expect(Set(table.rows.map { $0[0] }).count == total)  // no report twice, none left out
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "report.exported").count() == 1)

            let referrals = try await Referral.query(on: db).count()
            #expect(referrals >= 1)
            let (referralCSV, referralCount) = try await services.reports.exportReferralsCSV(identity: analyst, address: "test", pageSize: 1)
            #expect(referralCount == referrals)
            let referralParts = try await Self.chunks(referralCSV)
            #expect(referralParts.count >= 1 + referrals)
            let referralTable = CSV.parse(Data(referralParts.joined().utf8))
            #expect(referralTable.header == ReportService.referralExportColumns)
            #expect(referralTable.rows.count == referrals)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "referral.exported").count() == 1)

            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let download = try await browser.get("/exports/referrals.csv")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(download.text.split(separator: "\r\n").count == referrals + 1)
            let reportsCSV = try await browser.get("/reports.csv")
            #expect(reportsCSV.text.split(separator: "\r\n").count == total + 1)
            let practitioner = Browser(client)
            try await practitioner.signIn("practitioner@demo.invalid")
            #expect(try await practitioner.get("/exports/referrals.csv").status == .forbidden)
            #expect(try await practitioner.get("/exports").status == .forbidden)
        }
    }

    @Test func htcdsExportHasOnlyConsentingCasesPseudonymouslyAndIsAudited() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let all = try await SupportCase.query(on: db).sort(\.$openedAt).all()
            #expect(all.count >= 3)
            // The demo's first case agreed (the consent form); one more agrees, one agreed and
            // withdrew, the rest never agreed.
            let agreeing = try await CaseConsent.query(on: db).filter(\.$anonymisedSharing == true).all().map(\.caseID)
            #expect(agreeing.count == 1)
            let others = all.filter { !agreeing.contains($0.id ?? UUID()) }
            try await Self.consent(try others[0].requireID(), anonymised: true, by: coordinator.userID, on: db)
            try await Self.consent(try others[1].requireID(), anonymised: true, withdrawnOn: "2001-01-01", by: coordinator.userID, on: db)
            let expected = Set(agreeing + [try others[0].requireID()])

            let today = CalendarDate(Date(), in: .london)
            let period = ExportService.Period(from: today.adding(months: -60), to: today)
            let (download, count) = try await services.exports.htcds(period, format: .csv, identity: coordinator, address: "test", pageSize: 1)
            #expect(count == expected.count)
            let parts = try await Self.chunks(download.chunks())
            #expect(parts.count == 1 + expected.count)  // header, then one case a page
            let text = parts.joined()
            let table = CSV.parse(Data(text.utf8))
            #expect(table.header == HTCDS.columns)
            #expect(table.rows.count == expected.count)
            for c in all {
                let id = try c.requireID().uuidString
                #expect(!text.contains(c.code) && !text.contains(id) && !text.contains(id.lowercased()))
                #expect(!text.contains(c.chosenName))
            }
            let key = try #require(table.header.firstIndex(of: HTCDS.pseudonymousID))
            let ids = table.rows.map { $0[key] }
            #expect(Set(ids).count == ids.count && ids.allSatisfy { $0.count == 32 })
            // Stable: the same case has the same pseudonym in the next export.
            let (again, _) = try await services.exports.htcds(period, format: .json, identity: coordinator, address: "test")
            let json = try #require(try JSONSerialization.jsonObject(with: Data((try await Self.chunks(again.chunks())).joined().utf8)) as? [[String: String]])
            #expect(Set(json.compactMap { $0[HTCDS.pseudonymousID] }) == Set(ids))
            #expect(json.allSatisfy { HTCDS.caseStatuses.contains($0[HTCDS.caseStatus] ?? "") })

            let audits = try await AuditEntry.query(on: db).filter(\.$action == "case.htcds.exported").all()
            #expect(audits.count == 2)
            #expect(audits.contains { $0.detail.contains("\(period.from) to \(period.to); \(expected.count) cases; csv") })

            // Nobody without the permission; the API and the page give the same records.
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            await #expect(throws: AppError.self) { _ = try await services.exports.htcds(period, format: .csv, identity: practitioner, address: "test") }
            let coordinatorToken = try await token(for: "coordinator@demo.invalid", built)
            let api = try await send(client, .get, "/api/v1/exports/htcds?from=\(period.from)&to=\(period.to)&format=json", token: coordinatorToken)
            #expect(api.status == .ok)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(api.text.utf8)) as? [[String: String]])
            #expect(Set(items.compactMap { $0[HTCDS.pseudonymousID] }) == Set(ids))
            let apiCSV = try await send(client, .get, "/api/v1/exports/htcds?from=\(period.from)&to=\(period.to)", token: coordinatorToken)
            #expect(apiCSV.status == .ok)
            #expect(apiCSV.text.split(separator: "\r\n").count == expected.count + 1)
            let practitionerToken = try await token(for: "practitioner@demo.invalid", built)
            #expect(try await send(client, .get, "/api/v1/exports/htcds?from=\(period.from)&to=\(period.to)", token: practitionerToken).status == .forbidden)
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            #expect(try await browser.get("/exports").text.contains("action=\"/exports/htcds\""))
            let page = try await browser.get("/exports/htcds?from=\(period.from)&to=\(period.to)&format=csv")
            #expect(page.status == .ok)
            #expect(page.headers[.contentDisposition]?.contains("cairn-htcds-") == true)
        }
    }

    @Test func badPeriodsAndFormatsAreRefusedWithAClearMessage() async throws {
        try await withApp { client, built in
            let token = try await token(for: "coordinator@demo.invalid", built)
            let cases: [(String, String)] = [
                ("from=2024-05-01&to=2024-04-01", "starts"),
                ("from=2000-01-01&to=2024-01-01", "20 years"),
                ("from=2024-13-01&to=2024-12-31", "not a date"),
                ("from=2024-1-1&to=2024-12-31", "not a date"),
                ("from=yesterday&to=2024-12-31", "not a date"),
                ("from=2024-01-01&to=2024-12-31&format=xml", "csv or json"),
            ]
            for (query, words) in cases {
                let response = try await send(client, .get, "/api/v1/exports/htcds?\(query)", token: token)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(query)")
                #expect(response.text.contains(words), "\(query): \(response.text)")
            }
            let missing = try await send(client, .get, "/api/v1/exports/htcds?to=2024-12-31", token: token)
            #expect(missing.status == .badRequest)
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let page = try await browser.get("/exports/htcds?from=2024-05-01&to=2024-04-01&format=csv")
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("The period starts (2024-05-01) after it ends (2024-04-01)."))
            #expect(try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "case.htcds.exported").count() == 0)
        }
    }

    @Test func anHTCDSRoundTripKeepsTheAggregates() async throws {
        let exported = try await exportOfEveryDemoCase()
        let source = CSV.parse(Data(exported.utf8))
        try await withServices { services, _ in
            let summary = try await services.importHTCDS(Data(exported.utf8), skipBad: false, actor: .commandLine("test"))
            #expect(summary.imported == source.rows.count && summary.skipped == 0)
            let coordinator = Identity(userID: UUID(), email: "c@example.invalid", displayName: "C", agencyID: UUID(), agencyName: "",
                                       roles: [.coordinator], hasTwoFactor: false, via: .apiToken(id: UUID()))
            let today = CalendarDate(Date(), in: .london)
            let (download, _) = try await services.exports.htcds(.init(from: today.adding(months: -120), to: today), format: .csv, identity: coordinator,
                                                                 address: "test")
            let target = CSV.parse(Data((try await Self.chunks(download.chunks())).joined().utf8))
            // Counts by status, month referred, month closed, age group and closure reason.
            func aggregates(_ t: CSVTable) -> [String: Int] {
                var out: [String: Int] = [:]
                for row in t.rows {
                    let r = Dictionary(uniqueKeysWithValues: zip(t.header, row))
                    for field in [HTCDS.caseStatus, HTCDS.ageGroup, HTCDS.reasonForCaseClosure] { out["\(field)=\(r[field] ?? "")", default: 0] += 1 }
                    out["referred=\((r[HTCDS.incomingReferralDate] ?? "").prefix(7))", default: 0] += 1
                    out["closed=\((r[HTCDS.closedDate] ?? "").prefix(7))", default: 0] += 1
                }
                return out
            }
            #expect(target.rows.count == source.rows.count)
            #expect(aggregates(target) == aggregates(source))
            #expect(Set(target.rows.map { $0[0] }).isDisjoint(with: Set(source.rows.map { $0[0] })))  // new cases, new pseudonyms
        }
    }

    /// Every demo case, each agreeing to anonymised sharing, as an HTCDS CSV.
    func exportOfEveryDemoCase() async throws -> String {
        var text = ""
        try await withServices(demo: true) { services, _ in
            let db = services.database.db
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            for c in try await SupportCase.query(on: db).all() {
                try await Self.consent(try c.requireID(), anonymised: true, by: coordinator.userID, on: db)
            }
            let today = CalendarDate(Date(), in: .london)
            let (download, count) = try await services.exports.htcds(.init(from: today.adding(months: -120), to: today), format: .csv,
                                                                     identity: coordinator, address: "test")
            #expect(count == (try await SupportCase.query(on: db).count()))
            text = (try await Self.chunks(download.chunks())).joined()
        }
        return text
    }

    @Test func badHTCDSFilesAreRefusedLineByLineAndNothingIsImported() async throws {
        try await withServices { services, _ in
            let db = services.database.db
            let header = "cairn_PseudonymousId,con_Consent,vic_TraffickingStatus,vic_TypeOfExploitation,cas_Status,cas_IncomingReferralDate,cairn_ClosedDate\r\n"
            let good = "a1,true,PossibleVictimOfTrafficking,ForcedLabour;Other,Active,2023-02-01,\r\n"
            let badPicklist = "a2,true,Victim,ForcedLabour,Active,2023-02-01,\r\n"
            let badType = "a3,true,PossibleVictimOfTrafficking,Slavery,Closed,2023-02-01,2023-03-01\r\n"
            let wrongOrder = "a4,true,ActualVictimOfTrafficking,SexualExploitation,Closed,2023-05-01,2023-04-01\r\n"
            let badDate = "a5,true,,,FollowUp,01/02/2023,\r\n"
            let file = header + good + badPicklist + badType + wrongOrder + badDate
            let read = HTCDSFile.read(Data(file.utf8))
            #expect(Set(read.problems.map(\.line)) == [3, 4, 5, 6])
            #expect(read.problems.contains { $0.line == 3 && $0.message.contains("vic_TraffickingStatus “Victim”") })
            #expect(read.problems.contains { $0.line == 4 && $0.message.contains("“Slavery”") })
            #expect(read.problems.contains { $0.line == 5 && $0.message.contains("is before") })
            #expect(read.problems.contains { $0.line == 6 && $0.message.contains("YYYY-MM-DD") })
            await #expect(throws: HTCDSImportRefused.self) { _ = try await services.importHTCDS(Data(file.utf8), skipBad: false, actor: .system) }
            #expect(try await SupportCase.query(on: db).count() == 0)

            // A wrong header refuses the file even with --skip-bad.
            let wrongHeader = "first_name,cas_Status,cas_IncomingReferralDate\r\nAnna,Active,2023-02-01\r\n"
            let refused = HTCDSFile.read(Data(wrongHeader.utf8))
            #expect(refused.problems.map(\.description) == ["line 1: column 1: “first_name” is not an HTCDS v2.0 field name."])
            await #expect(throws: HTCDSImportRefused.self) { _ = try await services.importHTCDS(Data(wrongHeader.utf8), skipBad: true, actor: .system) }
            #expect(try await SupportCase.query(on: db).count() == 0)
            let noStatus = HTCDSFile.read(Data("cas_IncomingReferralDate\r\n2023-02-01\r\n".utf8))
            #expect(noStatus.problems.contains { $0.line == 1 && $0.message.contains("cas_Status") })

            // --skip-bad imports the good rows only.
            let summary = try await services.importHTCDS(Data(file.utf8), skipBad: true, actor: .system)
            #expect(summary.imported == 1 && summary.skipped == 4)
            #expect(try await SupportCase.query(on: db).count() == 1)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "case.htcds.imported").count() == 1)
        }
    }

    @Test func theTemplatesDefectsAreAccepted() {
        // Column A's row numbers and column AJ have no name; the typo'd decision-making field;
        // a second row of labels; names in another case; identifying fields never read.
        let file = """
            ,cas_CaseOwner,prs_FirstName,con_Consent,vic_TraffickinStatusDecisionMakingOrg,CAS_STATUS,cas_IncomingReferralDate,,cas_ReasonForCaseClosure\r
            ,Case Owner,First Name,Consent,Trafficking Status Decision Making Org,Case Status,Incoming Referral Date,Reason for Outgoing Referral,Reason for Case Closure\r
            1,someone,Anna,TRUE,NonPoliceGovernmentalOrganization,ClosedReferred,2022-06-30,,\r
            2,someone,Ben,TRUE,,Active,2022-07-01,,\r
            """
        let read = HTCDSFile.read(Data(file.utf8))
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(read.rows == 2 && read.goodRows == 2)
        #expect(read.cases.first?.value.closureReason == .transferredToAnotherService)
        let typo = HTCDSFile.read(Data("cas_Status,cas_IncomingReferralDate,vic_TraffickinStatusDecisionMakingOrg\r\nActive,2022-01-01,Police\r\n".utf8))
        #expect(typo.problems.isEmpty)
    }

    @Test func everyCairnValueMapsToAnHTCDSPicklistValue() {
        for status in CaseStatus.allCases {
            for reason in [nil] + ClosureReason.allCases.map(Optional.some) {
                #expect(HTCDS.caseStatuses.contains(HTCDS.caseStatus(status, closureReason: reason)))
            }
        }
        for type in ExploitationType.allCases {
            let mapped = HTCDS.typeOfExploitation(type)
            #expect(mapped.map { value in HTCDSTypeOfExploitation.allCases.contains { $0.rawValue == value } } ?? (type == .notKnown), "\(type)")
        }
        for sector in LabourSector.allCases {
            let mapped = HTCDS.forcedLabourIndustry(sector)
            #expect(mapped != nil || sector == .other, "\(sector)")
            #expect(mapped.map { $0.first.map(String.init) == sector.isicSection } ?? true, "\(sector)")
        }
        for authority in CompetentAuthority.allCases { #expect(HTCDS.decisionMakingOrgs.contains(HTCDS.decisionMakingOrg(authority))) }
        for decision in [nil] + NRMDecision.allCases.map(Optional.some) {
            #expect(HTCDS.traffickingStatuses.contains(HTCDS.traffickingStatus(conclusiveGrounds: decision)))
        }
        #expect(Set(AgeGroup.allCases.map(HTCDS.ageGroupValue)).count == AgeGroup.allCases.count)
        for reason in ClosureReason.allCases { #expect(!HTCDS.reasonForCaseClosure(reason).isEmpty) }
        // Every exported column is one the import reads back.
        for column in HTCDS.columns { #expect(HTCDS.field(forHeader: column) == column) }
    }

    @Test func caseAggregatesHideSmallNumbersAndASecondCell() async throws {
        let rows = ExportService.suppressed([("m", "a", 40), ("m", "b", 2), ("m", "c", 12), ("n", "x", 20), ("n", "y", 30)])
        #expect(rows.map(\.count) == [40, nil, nil, 20, 30])
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let csv = try await browser.get("/exports/case-aggregates.csv")
            #expect(csv.status == .ok)
            let table = CSV.parse(Data(csv.text.utf8))
            #expect(table.header == ExportService.aggregateColumns)
            #expect(table.rows.contains { $0[0] == "cases_by_status" })
            // The demo has a handful of cases: each small count is hidden.
            #expect(table.rows.allSatisfy { row in row[2].isEmpty ? row[3] == "yes" : (Int(row[2]).map { !SmallNumbers.hides(count: $0) } ?? false) })
            #expect(try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "case.aggregates.exported").count() == 1)
            let practitioner = Browser(client)
            try await practitioner.signIn("practitioner@demo.invalid")
            #expect(try await practitioner.get("/exports/case-aggregates.csv").status == .forbidden)
        }
    }
}
