import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Cairn

/// NUL and other control characters, text that is not UTF-8 and broken escapes are refused with
/// a clear 400 wherever they come in (they reached PostgreSQL as a 500 before), and nothing changes.
@Suite struct InputCheckTests {
    @Test func controlCharactersInSearchesAndFiltersAreRefusedOnPagesAndAPI() async throws {
        try await withApp { client, built in
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let analystToken = try await token(for: "analyst@demo.invalid", built)
            let adminToken = try await token(for: "admin@demo.invalid", built)
            let pages: [(Browser, String, String)] = [
                (analyst, "/reports?q=a%00b", "control character (U+0000)"),
                (analyst, "/reports?district=WM%001", "control character (U+0000)"),
                (analyst, "/reports?q=%1B%5B31m", "control character (U+001B)"),
                (analyst, "/reports?q=a%C2%85b", "control character (U+0085)"),
                (analyst, "/reports?q=tab%09here", "control character (U+0009)"),
                (analyst, "/reports?q=%FF%FE", "not valid UTF-8"),
                (analyst, "/reports?q=50%", "broken percent-escape"),
                (analyst, "/reports?q=%zz", "broken percent-escape"),
                (analyst, "/reports.csv?q=%00", "control character"),
                (analyst, "/hotspots?type=%00", "control character"),
                (admin, "/admin/audit?actor=%00", "control character"),
                (admin, "/admin/audit?action=a%00", "control character"),
                (admin, "/admin/users?q=%00", "control character"),
                (analyst, "/reports/%00", "control character"),
                (analyst, "/intelligence/links/%00", "control character"),
            ]
            for (browser, path, message) in pages {
                let response = try await browser.get(path)
                #expect(response.status == .badRequest, "\(path): \(response.status.code)")
                #expect(response.text.contains(message), "\(path)")
            }
            let apis: [(String, String)] = [
                ("/api/v1/reports?q=%00", analystToken),
                ("/api/v1/reports?district=%00", analystToken),
                ("/api/v1/users?q=x%00", adminToken),
                ("/api/v1/reports/%00", analystToken),
                ("/api/v1/reports?q=%FF", analystToken),
            ]
            for (path, token) in apis {
                let response = try await api(client, .get, path, token: token)
                #expect(response.status == .badRequest, "\(path): \(response.status.code)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            // Ordinary text, including the characters that look like escapes, still works.
            #expect(try await analyst.get("/reports?q=%25_%5C").status == .ok)
            #expect(try await analyst.get("/reports?q=Ion+Popescu").status == .ok)
            #expect(try await api(client, .get, "/api/v1/reports?q=caf%C3%A9", token: analystToken).status == .ok)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test func controlCharactersInFormsAndJSONAreRefusedAndChangeNothing() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let caseworker = Browser(client)
            try await caseworker.signIn("caseworker@demo.invalid")
            try await caseworker.get("/cases/new")
            let cases = try await SupportCase.query(on: db).count()
            for bad in ["Nu\u{0}ll", "Esc\u{1B}ape", "Bell\u{7}", "Del\u{7F}", "C1\u{85}"] {
                let response = try await caseworker.post("/cases", [("chosenName", bad), ("ageGroup", "adult")])
                #expect(response.status == .badRequest, "\(bad.unicodeScalars.map(\.value))")
                #expect(response.text.contains("The form field &#39;chosenName&#39; contains a control character")
                        || response.text.contains("The form field 'chosenName' contains a control character"), "\(response.text.prefix(2000))")
            }
            // A form that is not UTF-8 at all.
            let raw = try await caseworker.send("/cases", method: .post, body: "_csrf=\(caseworker.csrf)&chosenName=%FF%FE",
                                                contentType: "application/x-www-form-urlencoded")
            #expect(raw.status == .badRequest)
            #expect(try await SupportCase.query(on: db).count() == cases)
            // Multi-line text keeps its line breaks and tabs.
            let multi = try await caseworker.post("/cases", [("chosenName", "Lines"), ("ageGroup", "adult"), ("account", "First line\r\n\tSecond line")])
            #expect(multi.status == .seeOther, "\(multi.text.prefix(500))")
            #expect(try await SupportCase.query(on: db).count() == cases + 1)

            // JSON: an escaped NUL, an escaped C1 control, raw DEL; a newline and tab are fine.
            let reports = try await Report.query(on: db).count()
            for body in [#"{"description":"a\u0000b","language":"en"}"#, #"{"description":"a\u0085b","language":"en"}"#,
                         "{\"description\":\"a\u{7F}b\",\"language\":\"en\"}", #"{"description":"ok","language":"en","people":"x\u001fy"}"#] {
                let response = try await api(client, .post, "/api/v1/public/reports", token: nil, json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.text.contains("control character"), "\(body)")
            }
            #expect(try await Report.query(on: db).count() == reports)
            let fine = try await api(client, .post, "/api/v1/public/reports", token: nil,
                                     json: #"{"description":"Two lines:\nthe van\tat night, and a backslash-u: \\u0000 as text","language":"en"}"#)
            #expect(fine.status == .created, "\(fine.text)")
            #expect(try await Report.query(on: db).count() == reports + 1)
        }
    }
}
