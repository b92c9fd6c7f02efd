import Foundation
import HummingbirdTesting
import Testing

@testable import Cairn

@Suite struct PaginationTests {
    /// Every page number, including far past the end, gives a valid window of links.
    @Test func anyPageNumberGivesValidLinks() {
        for total in [0, 1, 24, 25, 26, 112, 10_000] {
            for page in [Int.min, -1, 0, 1, 2, 3, 4, 5, 6, 7, 400, 10_000, 1_000_000_000, Int.max] {
                let p = Pagination(page: page, perPage: 25, total: total, path: "/reports", query: [("q", "x")])
                let last = max(1, (total + 24) / 25)
                #expect(p.pages.first?.label == "1")
                #expect(p.pages.last?.label == String(last))
                #expect(p.pages.map(\.label) == p.pages.map(\.label).sorted { Int($0)! < Int($1)! })
                #expect(p.from <= p.to || p.to == 0)
                #expect(p.to <= total)
                if page > last {
                    // Past the end: nothing shown, and a way back.
                    #expect(p.from == 0 && p.to == 0)
                    #expect(p.needed)
                    #expect(p.next == nil)
                    #expect(p.previous?.contains("page=\(last)") == true)
                }
            }
        }
    }

    @Test func rowsAreAValidRangeForAnyNumbers() {
        #expect(Pagination.rows(page: 1, perPage: 25) == 0..<25)
        #expect(Pagination.rows(page: 3, perPage: 25) == 50..<75)
        for page in [Int.min, -1, 0, Int.max] {
            for perPage in [Int.min, -5, 0, 1, Int.max] {
                let rows = Pagination.rows(page: page, perPage: perPage)
                #expect(rows.lowerBound >= 0 && !rows.isEmpty)
            }
        }
    }

    /// The reproduction from issue 14: a page past the end of a short list trapped and the
    /// process exited. Now every paginated page answers.
    @Test func aPagePastTheEndOfEveryListAnswers() async throws {
        try await withApp { client, _ in
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            for page in ["4", "1000", "10000", "1000000000", "0", "-3", "x"] {
                let reports = try await analyst.get("/reports?page=\(page)")
                #expect(reports.status == .ok, "reports page \(page)")
                for path in ["/admin/users", "/admin/audit"] {
                    let response = try await admin.get("\(path)?page=\(page)")
                    #expect(response.status == .ok, "\(path) page \(page)")
                }
            }
            let past = try await analyst.get("/reports?page=4")
            #expect(past.text.contains("rel=\"prev\""))
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }
}
