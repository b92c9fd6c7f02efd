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
    init(page: Int, perPage: Int, total: Int, path: String, query: [(String, String)]) {
        self.page = page
        self.perPage = perPage
        self.total = total
        self.from = total == 0 ? 0 : (page - 1) * perPage + 1
        self.to = min(total, page * perPage)
        self.needed = total > perPage
        let last = max(1, (total + perPage - 1) / perPage)
        func href(_ p: Int) -> String {
            var items = query.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
            items.append(URLQueryItem(name: "page", value: String(p)))
            var components = URLComponents()
            components.path = path
            components.queryItems = items
            return components.string ?? path
        }
        previous = page > 1 ? href(page - 1) : nil
        next = page < last ? href(page + 1) : nil
        let window = Set([1, last] + Array(max(1, page - 2)...min(last, page + 2)))
        pages = window.sorted().map { Link(label: String($0), href: href($0), current: $0 == page) }
    }

    /// Reads `page` from the query, clamped to 1...10_000.
    static func pageNumber(_ request: Request) -> Int {
        min(10_000, max(1, request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1))
    }
}

extension Request {
    func query(_ name: String, max: Int = 200) -> String {
        String((uri.queryParameters[Substring(name)].map(String.init) ?? "").prefix(max)).trimmingCharacters(in: .whitespaces)
    }
}

/// An option in a `<select>` or a checkbox in a group.
struct Choice: Sendable {
    let value: String
    let label: String
    let selected: Bool
    var hint: String = ""
}
