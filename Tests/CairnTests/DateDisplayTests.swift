import FluentKit
import Foundation
import Testing

@testable import Cairn

/// One display format for dates and times on every page; no ISO dates shown to people.
@Suite struct DateDisplayTests {
    @Test func theOneFormatter() throws {
        // 00:33 on 6 December 2026 in London (GMT in winter).
        let winter = try #require(ISO8601DateFormatter().date(from: "2026-12-06T00:33:00Z"))
        #expect(Format.date(winter) == "6 December 2026")
        #expect(Format.time(winter) == "12:33am")
        #expect(Format.dateTime(winter) == "6 December 2026 at 12:33am")
        // British Summer Time: 23:05 UTC on 30 June is 12:05am on 1 July in London.
        let summer = try #require(ISO8601DateFormatter().date(from: "2026-06-30T23:05:00Z"))
        #expect(Format.dateTime(summer) == "1 July 2026 at 12:05am")
        let noon = try #require(ISO8601DateFormatter().date(from: "2026-01-02T12:00:00Z"))
        #expect(Format.time(noon) == "12:00pm")
        #expect(Format.day("2026-12-06") == "6 December 2026")
        #expect(Format.day("1991-03") == "March 1991")
        #expect(Format.day("1991") == "1991")
        #expect(Format.day("03/1991") == "03/1991")
        #expect(Format.day(nil) == "")
    }

    @Test func aDateOfBirthIsEnteredByDayMonthAndYear() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("caseworker2@demo.invalid")
            try await browser.get("/cases/new")
            let before = try await SupportCase.query(on: built.services.database.db).count()
            let future = try await browser.post("/cases", [("chosenName", "Lena"), ("dateOfBirth-day", "3"), ("dateOfBirth-month", "2"), ("dateOfBirth-year", "2099")])
            #expect(future.status == .unprocessableContent)
            #expect(future.text.contains("Date of birth must be in the past"))
            #expect(future.text.contains("value=\"2099\""))
            let noMonth = try await browser.post("/cases", [("chosenName", "Lena"), ("dateOfBirth-day", "3"), ("dateOfBirth-month", ""), ("dateOfBirth-year", "2001")])
            #expect(noMonth.text.contains("Date of birth must include a month"))
            #expect(try await SupportCase.query(on: built.services.database.db).count() == before)
            let opened = try await browser.post("/cases", [("chosenName", "Lena"), ("legalName", "Nguyen Thi Lan"),
                                                           ("dateOfBirth-day", "3"), ("dateOfBirth-month", "Feb"), ("dateOfBirth-year", "2001")])
            #expect(opened.status == .seeOther)
            let id = String(try #require(opened.location).dropFirst("/cases/".count))
            let shown = try await browser.get("/cases/\(id)/identity")
            #expect(shown.text.contains("3 February 2001"))
            #expect(try await CaseIdentityRecord.query(on: built.services.database.db).filter(\.$dateOfBirth == "2001-02-03").count() == 1)
        }
    }

    /// The visible text of a page: tags, attributes, scripts and styles removed.
    static func visibleText(_ html: String) -> String {
        var text = html.replacing(/<(script|style)[^>]*>[\s\S]*?<\/\1>/, with: " ")
        text = text.replacing(/<[^>]*>/, with: " ")
        return text
    }

    /// The first ISO date in `text`, with a little of what comes before it.
    static func isoDate(in text: String) -> String? {
        guard let match = text.firstMatch(of: /\d{4}-\d{2}-\d{2}/) else { return nil }
        let start = text.index(match.range.lowerBound, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
        return String(text[start..<match.range.upperBound])
    }

    static func links(_ html: String) -> [String] {
        html.matches(of: /href="(\/[^"#?]*)"/).map { String($0.output.1) }
    }

    /// Shows no ISO date, and asks for no date as "YYYY-MM-DD" nor with a browser date picker.
    static func problems(_ html: String) -> [String] {
        var found: [String] = []
        let text = Self.visibleText(html)
        if let iso = Self.isoDate(in: text) { found.append(iso) }
        if text.contains("YYYY-MM-DD") { found.append("asks for YYYY-MM-DD") }
        if html.contains("type=\"date\"") { found.append("a type=\"date\" input") }
        return found
    }

    @Test func noPageShowsAnISODateToPeopleNorAsksForOne() async throws {
        try await withApp { client, built in
            var offending: [String] = []
            var visited = 0
            for email in ["admin@demo.invalid", "coordinator@demo.invalid", "analyst@demo.invalid", "caseworker@demo.invalid",
                          "caseworker2@demo.invalid", "practitioner@demo.invalid", "viewer@demo.invalid"] {
                let browser = Browser(client)
                try await browser.signIn(email)
                // Home and the navigation pages, then the pages they link to (one level), at most 60 a role.
                var queue = ["/", "/account"]
                var seen = Set<String>()
                while let path = queue.first, seen.count < 60 {
                    queue.removeFirst()
                    guard !seen.contains(path), !path.hasPrefix("/sign-out"), !path.hasSuffix(".css"), !path.hasSuffix(".csv"),
                          !path.hasPrefix("/api"), !path.hasPrefix("/static") else { continue }
                    seen.insert(path)
                    let page = try await browser.get(path)
                    guard page.status == .ok, page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                    visited += 1
                    for found in Self.problems(page.text) { offending.append("\(email) \(path): \(found)") }
                    if seen.count < 25 { queue += Self.links(page.text).filter { !seen.contains($0) } }
                }
            }
            // Every case's pages with forms, as a caseworker on its team sees them.
            for email in ["caseworker@demo.invalid", "caseworker2@demo.invalid"] {
                let browser = Browser(client)
                try await browser.signIn(email)
                for c in try await SupportCase.query(on: built.services.database.db).all() {
                    let id = try c.requireID().uuidString
                    for tab in ["", "/consent", "/care-plan", "/nrm", "/outcomes", "/contacts"] {
                        let page = try await browser.get("/cases/\(id)\(tab)")
                        guard page.status == .ok else { continue }
                        visited += 1
                        for found in Self.problems(page.text) { offending.append("\(email) /cases/\(id)\(tab): \(found)") }
                    }
                }
            }
            #expect(visited > 40)
            #expect(offending.isEmpty, "\(offending.joined(separator: "\n"))")
        }
    }
}
