@testable import Cairn
import Foundation
import Testing

/// Typed routes (`PageRoute`): every endpoint a route type declares has a handler, and every
/// link and form in the templates goes to a route that exists.
struct RouteTests {
    /// One navigation entry is current: the one with the longest path the page is under.
    @Test func theNavigationMarksTheMostSpecificEntry() throws {
        let entries = [NavEntry(0, "Home", PlanRoute.matrix), NavEntry(86, "Partnership", GovernanceRoute.overview),
                       NavEntry(88, "Self-assessment", AssessmentRoute.list)]
        let identity = Identity(userID: UUID(), email: "c@example.invalid", displayName: "C", agencyID: UUID(), agencyName: "Office",
                                roles: [.coordinator], hasTwoFactor: false, via: .apiToken(id: UUID()))
        func current(_ path: String) -> [String] { Views.navigation(for: identity, path: path, entries: entries).filter(\.current).map(\.label) }
        #expect(current("/partnership/assessments/\(UUID())") == ["Self-assessment"])
        #expect(current("/partnership/assessments") == ["Self-assessment"])
        #expect(current("/partnership/meetings") == ["Partnership"])
        #expect(current("/partnership") == ["Partnership"])
        #expect(current("/partnerships") == [])
    }

    /// Query values survive the trip: "+" is not read back as a space, nor "&" as a new field.
    @Test func queryValuesAreEncoded() throws {
        let path = PlanRoute.newAction.path(query: [("title", "Self-assessment 2026+: A & B = “C”"), ("empty", ""), ("factor", "design.training")])
        #expect(path == "/plan/actions/new?title=Self-assessment%202026%2B:%20A%20%26%20B%20%3D%20%E2%80%9CC%E2%80%9D&factor=design.training")
        let items = URLComponents(string: path)?.queryItems ?? []
        #expect(items.first?.value == "Self-assessment 2026+: A & B = “C”")
    }

    @Test func everyDeclaredEndpointIsRegistered() async throws {
        try await withApp { _, built in
            let registered = Set(built.routes.specs)
            #expect(!built.routes.declared.isEmpty)
            for spec in built.routes.declared {
                #expect(registered.contains(spec), "\(spec) is declared but has no handler")
            }
        }
    }

    @Test func everyLinkAndFormInTheTemplatesGoesToARoute() async throws {
        // The national instance's templates link to its own routes.
        final class Found: @unchecked Sendable { var specs: [RouteSpec] = [] }
        let national = Found()
        try await withApp(demo: false, configure: { $0.national = true }) { _, built in national.specs = built.routes.specs }
        #expect(national.specs.contains { $0.path == "/national" })
        try await withApp { _, built in
            let patterns = (built.routes.specs + national.specs).map { spec in
                (spec.method, spec.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
            }
            let root = URL(fileURLWithPath: Resources.directory + "/Templates")
            let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
                .filter { $0.pathExtension == "mustache" }
            #expect(files.count > 20)
            func goesToARoute(_ segments: [String], methods: Set<String>) -> Bool {
                patterns.contains { method, pattern in
                    methods.contains(method.rawValue) && pattern.count == segments.count
                        && zip(pattern, segments).allSatisfy { p, s in p == s || (p.hasPrefix(":") && !s.isEmpty) || s.contains("{{") }
                }
            }
            // The check can fail: a page that does not exist, or a form posted to a page only shown.
            #expect(!goesToARoute(["", "no-such-page"], methods: ["GET"]))
            #expect(!goesToARoute(["", ""], methods: ["POST"]))
            var checked = 0
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in text.matches(of: /(href|action)="(\/[^"#?]*)/) {
                    let path = String(match.output.2)
                    if path.hasPrefix("/assets/") { continue }
                    // A Mustache tag fills a segment (or the end of one) when the page is drawn.
                    let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                    let methods: Set<String> = match.output.1 == "href" ? ["GET"] : ["GET", "POST"]  // a search form is a GET
                    #expect(goesToARoute(segments, methods: methods), "\(file.lastPathComponent): \(match.output.1)=\"\(path)\" goes to no route")
                    checked += 1
                }
            }
            #expect(checked > 50)
        }
    }
}
