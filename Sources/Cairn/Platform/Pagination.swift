import Foundation
import Hummingbird

/// Page links for a list: "Previous", "Next" and "Showing 26 to 50 of 112".
struct Pagination: Sendable {
    struct Link: Sendable {
        let label: String
        let href: String
        let current: Bool
    }

    let page: Int
    let perPage: Int
    let total: Int
    let previous: String?
    let next: String?
    let pages: [Link]
    // Stored, not computed: Mustache sees only stored properties.
    let from: Int
    let to: Int
    let needed: Bool

    /// - Parameter query: the list's other query parameters, kept on every link.
    ///
    /// Any `page` is accepted (a link can outlive the rows it pointed at): a page past the
    /// end shows nothing, with links back to the pages that exist.
    init(page: Int, perPage: Int, total: Int, path: String, query: [(String, String)]) {
        let perPage = max(1, perPage)
        let total = max(0, total)
        let page = max(1, page)
        self.page = page
        self.perPage = perPage
        self.total = total
        let last = max(1, total / perPage + (total % perPage == 0 ? 0 : 1))
        let beyond = page > last
        // Multiplied only after the page is known to exist, so it cannot overflow.
        self.from = total == 0 || beyond ? 0 : (page - 1) * perPage + 1
        self.to = beyond ? 0 : min(total, page * perPage)
        self.needed = total > perPage || beyond
        func href(_ p: Int) -> String {
            var items = query.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
            items.append(URLQueryItem(name: "page", value: String(p)))
            var components = URLComponents()
            components.path = path
            components.queryItems = items
            return components.string ?? path
        }
        previous = page > 1 ? href(min(page - 1, last)) : nil
        next = page < last ? href(page + 1) : nil
        // The window is around the page shown, or around the last page when past the end;
        // 1 ≤ centre ≤ last, so the range is never empty or reversed.
        let centre = min(page, last)
        let window = Set([1, last] + Array(max(1, centre - 2)...min(last, centre + 2)))
        pages = window.sorted().map { Link(label: String($0), href: href($0), current: $0 == page) }
    }

    /// The rows of a page, for a query's `range`: page and size are clamped first, so no
    /// number a caller passes on can make a reversed range or overflow.
    static func rows(page: Int, perPage: Int) -> Range<Int> {
        let page = min(max(page, 1), 1_000_000), perPage = min(max(perPage, 1), 1_000_000)
        return ((page - 1) * perPage)..<(page * perPage)
    }

    /// Reads `page` from the query, clamped to 1...10_000.
    static func pageNumber(_ request: Request) -> Int {
        min(10_000, max(1, request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1))
    }
}

extension Request {
    /// A query value as a GET form sends it: read like a form body (`FormData`), so `+` is a
    /// space and `%2B` a plus; the first of a repeated name; at most `max` characters, trimmed.
    func query(_ name: String, max: Int = 200) -> String {
        String((FormData(uri.query ?? "")[name] ?? "").prefix(max)).trimmingCharacters(in: .whitespaces)
    }
}
