import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import Cairn

/// `/insight`, its CSVs and `/api/v1/insight/reports` over HTTP, on the demo partnership.
@Suite struct InsightPageTests {
    @Test func everyRoleSeesTheFiguresAndSurvivorCountsHideSmallNumbers() async throws {
        try await withApp { client, _ in
            for role in ["coordinator", "analyst", "caseworker", "practitioner", "trainer", "viewer", "admin"] {
                let browser = Browser(client)
                try await browser.signIn("\(role)@demo.invalid")
                let page = try await browser.get("/insight")
                #expect(page.status == .ok, "\(role)")
                let text = page.text
                #expect(text.contains("id=\"received\"") && text.contains("id=\"case-stages\"") && text.contains("id=\"networks\""), "\(role)")
                // Drill-down links only for readers who can list reports.
                let canList = ["coordinator", "analyst", "caseworker", "practitioner"].contains(role)
                #expect(text.contains("href=\"/reports?") == canList, "\(role)")
            }
            // The demo has few cases: with k = 10 the case counts are hidden, and a hidden count's
            // number is not on the page or in the CSV.
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let page = try await browser.get("/insight?period=5y")
            #expect(page.text.contains("Hidden (small number)"))
            let csv = try await browser.get("/insight/figures/case-stages?period=5y")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "Stage,Cases")
            for line in lines.dropFirst() {
                let value = line.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? ""
                #expect(value.isEmpty || (Int(value).map { $0 == 0 || $0 >= 10 } ?? false), "\(line)")
            }
        }
    }

    @Test func eachFigureDownloadsAsCSVWithTheSameCountsAsTheAPI() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let token = try await token(for: "coordinator@demo.invalid", built)
            let today = CalendarDate(Date(), in: .london)
            let from = today.adding(days: -400).description, to = today.description
            let csv = try await browser.get("/insight/figures/types?from=\(from)&to=\(to)")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentDisposition]?.contains("cairn-types-\(from)-to-\(to).csv") == true)
            var fromCSV: [String: Int] = [:]
            for line in csv.text.split(separator: "\r\n").dropFirst() {
                let cells = line.split(separator: ",").map(String.init)
                guard cells.count >= 2, let n = Int(cells[1]) else { continue }
                let key = ExploitationType.allCases.first { $0.label == cells[0] }?.rawValue ?? (cells[0] == "Not yet known" ? "none" : cells[0])
                fromCSV[key] = n
            }
            let response = try await api(client, .get, "/api/v1/insight/reports?from=\(from)&to=\(to)&by=type", token: token)
            #expect(response.status == .ok)
            let body = try jsonObject(response)
            let items = try #require(body["items"] as? [[String: Any]])
            var fromAPI: [String: Int] = [:]
            for item in items { fromAPI[item["key"] as? String ?? ""] = (item["count"] as? NSNumber)?.intValue }
            #expect(!fromAPI.isEmpty && fromAPI == fromCSV)
            #expect((body["suppressed"] as? NSNumber)?.intValue == 0 && body["from"] as? String == from)
            let expected = try await InsightTests.expected(built.services, try InsightPeriod(from: from, to: to, today: today), by: .type)
            #expect(fromAPI == expected)
            // The other breakdowns answer too.
            for by in ["month", "source", "area"] {
                #expect(try await api(client, .get, "/api/v1/insight/reports?by=\(by)", token: token).status == .ok)
            }
            #expect(try await browser.get("/insight/figures/nothing-like-this").status == .notFound)
            #expect(try await api(client, .get, "/api/v1/insight/reports?by=month", token: nil).status == .unauthorized)
        }
    }

    @Test func badFiltersAreClearErrorsAndKeepNothing() async throws {
        try await withApp { client, built in
            let token = try await token(for: "analyst@demo.invalid", built)
            let sql = built.services.database.sql
            func kept() async throws -> Int {
                try await sql.raw("SELECT COUNT(*) AS n FROM insight_tallies").first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
            }
            let before = try await kept()
            let bad: [(String, HTTPResponse.Status, String)] = [
                ("from=2026-12-01&to=2026-01-01&by=month", .unprocessableContent, "after the last day"),
                ("from=2001-01-01&to=2026-01-01&by=month", .unprocessableContent, "20 years"),
                ("from=2026-02-30&to=2026-03-01&by=month", .unprocessableContent, "YYYY-MM-DD"),
                ("from=yesterday&to=2026-03-01&by=month", .unprocessableContent, "YYYY-MM-DD"),
                ("by=week", .badRequest, "by"),
                ("by=month&area=W%25", .unprocessableContent, "postcode district"),
            ]
            for (query, status, words) in bad {
                let response = try await api(client, .get, "/api/v1/insight/reports?\(query)", token: token)
                #expect(response.status == status, "\(query)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(query)")
                #expect(response.text.contains(words), "\(query): \(response.text)")
            }
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let page = try await browser.get("/insight?period=custom&from=2026-12-01&to=2026-01-01")
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("There is a problem") && page.text.contains("is after the last day") && !page.text.contains("id=\"received\""))
            #expect(try await browser.get("/insight?type=slavery").status == .unprocessableContent)
            #expect(try await browser.get("/insight/figures/types?from=bad&to=2026-01-01").status == .unprocessableContent)
            #expect(try await kept() == before, "a refused request keeps no counts")
        }
    }

    /// Drilling down from a count goes to the report list with the same filter, which shows a
    /// reader only the reports they may open.
    @Test func drillingDownShowsOnlyReportsTheReaderMayOpen() async throws {
        try await withApp { client, built in
            let services = built.services
            let today = CalendarDate(Date(), in: .london)
            let period = InsightPeriod(.last12Months, today: today)
            for email in ["coordinator@demo.invalid", "practitioner@demo.invalid"] {
                let identity = try await DemoReports.identity(email, services)
                let browser = Browser(client)
                try await browser.signIn(email)
                let page = try await browser.get("/insight")
                // The first link from the report-type figure.
                let text = page.text
                let start = try #require(text.range(of: "id=\"data-types\""))
                let link = try #require(text[start.upperBound...].range(of: #"href="(/reports\?[^"]+)""#, options: .regularExpression))
                let href = String(text[link]).dropFirst(6).dropLast().replacingOccurrences(of: "&amp;", with: "&")
                #expect(href.contains("from=\(period.from)") && href.contains("type="))
                let list = try await browser.get(href)
                #expect(list.status == .ok)
                // Every reference listed is a report this reader may open.
                let references = list.text.matches(of: /CRN-[A-Z0-9]{4}-[A-Z0-9]{2}/).map { String($0.output) }
                for reference in Set(references) {
                    #expect(try await services.reports.reportAccess.visibleReport(reference: reference, identity: identity) != nil, "\(email) \(reference)")
                }
                if email.hasPrefix("practitioner") {
                    let all = try await Report.query(on: services.database.db).count()
                    #expect(Set(references).count < all)
                }
            }
        }
    }
}
