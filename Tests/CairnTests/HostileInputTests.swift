import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import Cairn

/// No request can stop the server, as a property: every registered route and API operation,
/// for one account of every role and for nobody, with hostile values for every parameter the
/// pages and the spec name (numbers out of range, text where numbers go, empty, huge, not
/// UTF-8, NUL, unknown enum values, impossible dates, hostile path ids, malformed bodies),
/// answers without a 5xx, and /health still answers afterwards. A trap would end the test
/// process, so the run finishing at all is half of the check. About 5,000 requests: every value
/// for the first role that may use a route, a rotating sample for the others (see `Depth`).
@Suite struct HostileInputTests {
    /// Values for query parameters and form fields, already percent-encoded. HUGE stands for a
    /// long run of digits: 250 in a page's query (fewer where a page has hundreds of names, so every
    /// name at once stays under the 80 KB a request line may have), 1,000 in a form, 5,000 in an API query.
    static let values = [
        "-1", "1000000000", "99999999999999999999", "", "HUGE", "00000000-0000-0000-0000-000000000000",
        "9999-12-31", "0001-01-01", "no_such_value%27%22%3C%3E%25_%5C", "300000000-12-31",
    ]
    /// Refused at the door (InputCheckMiddleware) whatever the route: sent to every route by
    /// one caller and by nobody, and each must be a 400.
    static let doorValues = ["%00", "%FF%FE", "%zz", "%C2%85"]
    /// Values put in place of each path id in turn.
    static let pathValues = ["-1", "00000000-0000-0000-0000-000000000000", String(repeating: "9", count: 300), "..%2F..", "%20"]
    /// Values for strings in JSON bodies (enums get a valid value, so the body decodes and the handler runs).
    static let strings = ["", "-1", "99999999999999999999", "no_such_value", "00000000-0000-0000-0000-000000000000",
                          "0000-00-00", "-5000-01-01", "99999-12-31", "9999-12-31", "0001-01-01", "%_\\'\"<>", String(repeating: "x", count: 5000)]
    static var numbers: [Any] { [-1, 1_000_000_000, 1e300, -1e300, 9_223_372_036_854_775_807] }
    /// Bodies that are not what any operation takes.
    static let rawBodies: [[UInt8]] = [
        Array("{".utf8), Array("[]".utf8), Array("null".utf8), Array("1e309".utf8), Array(#"{"a":1,"a":2}"#.utf8),
        [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D], Array(String(repeating: "[", count: 100_000).utf8),
        Array(String(repeating: #"{"a":"#, count: 5_000).utf8),
    ]

    /// How hard a caller walks a route. The first role in `Role.allCases` that may use it sends
    /// every value for every parameter; other roles that may use it send a sample, each name
    /// getting a different value in each request (rotated, so together they cover more); a
    /// caller who may not use it sends one request, since the permission check comes first.
    enum Depth: Sendable {
        case refused
        case full
        case sample(offset: Int)

        /// The value for the parameter at `index` in request `request`: every name the same
        /// value when full, rotated when sampling.
        func value(_ index: Int, request: Int, from values: [String]) -> String {
            switch self {
            case .refused: "1000000000"
            case .full: values[request % values.count]
            case .sample(let offset): values[(index + request + offset) % values.count]
            }
        }

        func requests(_ values: [String]) -> Int {
            switch self {
            case .refused: 1
            case .full: values.count
            case .sample: 3
            }
        }
    }

    struct Caller: Sendable {
        let label: String
        let email: String?
        let roles: Set<Role>
        let agencyID: UUID?
        let apiToken: String?
        /// A survivor signed in to their own view (account id): their pages and operations are theirs alone.
        var survivor: UUID? = nil

        func may(_ permission: Permission) -> Bool {
            survivor == nil ? AccessPolicy.allows(roles, permission) : (permission == .survivor || permission == .everyone)
        }
    }

    final class Tally: Sendable {
        let state = Mutex<(sent: Int, failures: [String])>((0, []))
        let statuses = Mutex<[Int: Int]>([:])
        func record(_ response: TestResponse, _ what: @autoclosure () -> String) {
            statuses.withLock { $0[response.status.code, default: 0] += 1 }
            state.withLock {
                $0.sent += 1
                if response.status.code >= 500 { $0.failures.append("\(response.status.code) \(what())") }
            }
        }
        func expect400(_ response: TestResponse, _ what: @autoclosure () -> String) {
            guard response.status != .badRequest else { return }
            state.withLock { $0.failures.append("expected 400, got \(response.status.code): \(what())") }
        }
    }

    @Test func noRequestGetsA5xxOrStopsTheServer() async throws {
        try await Self.walkEverything(minimumNames: 60, minimumSent: 4_000, minimumStatuses: [200: 500, 422: 500, 303: 100])
    }

    /// The same on a national instance, whose routes are its own.
    @Test func noRequestToANationalInstanceGetsA5xxOrStopsIt() async throws {
        try await Self.walkEverything(configure: { $0.national = true }, minimumNames: 10, minimumSent: 500, minimumStatuses: [200: 50, 422: 20])
    }

    static func walkEverything(configure: @escaping (inout AppConfig) -> Void = { _ in }, minimumNames: Int, minimumSent: Int,
                               minimumStatuses: [Int: Int]) async throws {
        try await withApp(configure: { $0.reportRateLimit = 1_000_000; configure(&$0) }) { client, built in
            let services = built.services
            let fixture = try await WalkFixture.make(services)
            let spec = try APISpec.load()
            var callers = [Caller(label: "nobody", email: nil, roles: [], agencyID: nil, apiToken: nil)]
            for role in Role.allCases {
                let account = try #require(DemoPartnership.accounts.first { $0.roles.contains(role) })
                let user = try #require(try await services.accounts.user(email: account.email))
                callers.append(Caller(label: account.email, email: account.email, roles: account.roles, agencyID: user.$agency.id,
                                      apiToken: try await token(for: account.email, built)))
            }
            // And a survivor, in their own view of the caseworker's walk case.
            if !services.config.national, let caseID = fixture.caseFor["caseworker@demo.invalid"] {
                let account = try await services.survivor.accountID(caseID: caseID)
                callers.append(Caller(label: "survivor", email: nil, roles: [], agencyID: nil,
                                      apiToken: try await services.survivor.createSession(accountID: account, kind: .api, safe: false), survivor: account))
            }
            let tally = Tally()
            let routes = built.routes.specs
            // Routes that end the session are walked last, so they cannot cut the others short
            // (closing the survivor's view ends it for good: the very last).
            let ending = ["/sign-out", "/account/sign-out-everywhere", "/account/password", "/account/two-factor/remove", "/my/sign-out", "/my/exit",
                          "/my/settings/close"]
            let ordered = routes.filter { !ending.contains($0.path) } + ending.flatMap { path in routes.filter { $0.path == path } }

            // Every name a page offers as a field or query parameter, read from the pages themselves.
            var names: Set<String> = ["page", "perPage", "q", "sort", "next", "lang", "report", "show", "alerts", "type", "months"]
            for caller in callers {
                let browser = try await Self.browser(for: caller, client: client, services: services)
                for route in routes where route.method == .get && !route.path.hasPrefix("/api/") && caller.may(route.permission) && route.path != "/my/exit" {
                    let page = try await browser.get(fixture.concrete(route.path, agencyID: caller.agencyID, email: caller.email))
                    names.formUnion(Self.names(in: page.text))
                }
            }
            names.remove("_csrf")
            #expect(names.count >= minimumNames, "only \(names.count) names found in the pages")

            // One task per caller, four at a time; each caller's routes in order, on one session
            // (a fresh one for each route that ends it).
            let sortedNames = names.sorted(), endingSet = Set(ending), walkOrder = ordered
            try await withThrowingTaskGroup(of: Void.self) { group in
                var pending = callers[...]
                func start() {
                    guard let caller = pending.popFirst() else { return }
                    group.addTask {
                        try await Self.walk(caller, routes: walkOrder, ending: endingSet, names: sortedNames, fixture: fixture, spec: spec,
                                            client: client, services: services, tally: tally)
                    }
                }
                for _ in 0..<4 { start() }
                while try await group.next() != nil { start() }
            }
            let (sent, failures) = tally.state.withLock { ($0.sent, $0.failures) }
            #expect(failures.isEmpty, "\(failures.count) server errors:\n\(failures.prefix(60).joined(separator: "\n"))")
            #expect(sent > minimumSent, "only \(sent) requests sent")
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            // The walk reached the handlers' work, not only their refusals.
            let statuses = tally.statuses.withLock { $0 }
            #expect(minimumStatuses.allSatisfy { statuses[$0.key, default: 0] > $0.value }, "\(statuses)")
            print("hostile walk: \(sent) requests, \(names.count) parameter names, \(routes.count) routes, \(callers.count) callers, "
                  + "statuses \(statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
        }
    }

    static func walk(_ caller: Caller, routes: [RouteSpec], ending: Set<String>, names: [String], fixture: WalkFixture, spec: APISpec,
                     client: any TestClientProtocol, services: AppServices, tally: Tally) async throws {
        // Values refused at the door are the same for everyone: nobody and the administrator send them.
        let door = caller.email == nil || caller.roles.contains(.administrator)
        var browser = try await Self.browser(for: caller, client: client, services: services)
        for route in routes {
            let allowed = caller.may(route.permission)
            let first = Role.allCases.first { AccessPolicy.allows([$0], route.permission) }
            let depth: Depth = !allowed ? .refused : (first.map(caller.roles.contains) ?? true) ? .full
                : .sample(offset: (Role.allCases.firstIndex { caller.roles.contains($0) } ?? 0) * 3)
            let path = fixture.concrete(route.path, agencyID: caller.agencyID, email: caller.email)
            if ending.contains(route.path) { browser = try await Self.browser(for: caller, client: client, services: services) }
            if route.path.hasPrefix("/api/v1/"), route.path != "/api/v1/openapi.yaml" {
                let specPath = route.path.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                let operation = try #require(spec.operation(route.method, specPath), "\(route)")
                try await Self.hostileAPI(operation, path: path, pattern: route.path, caller: caller, depth: depth, door: door,
                                          client: client, tally: tally)
            } else {
                try await Self.hostilePage(route, path: path, names: names, browser: browser, depth: depth, door: door, tally: tally)
            }
        }
    }

    /// A browser signed in as the caller with a fresh session (or anonymous, holding a form token).
    static func browser(for caller: Caller, client: any TestClientProtocol, services: AppServices) async throws -> Browser {
        let browser = Browser(client)
        if let account = caller.survivor {
            browser.cookies[SurvivorController.cookie] = try await services.survivor.createSession(accountID: account, kind: .browser, safe: false)
            try await browser.get("/my")
        } else if let email = caller.email, let user = try await services.accounts.user(email: email) {
            browser.cookies["cairn_session"] = try await services.auth.createSession(userID: try user.requireID(), stage: .complete,
                                                                                   address: "test", replacing: nil)
            try await browser.get("/account")
        } else {
            try await browser.get("/sign-in")
        }
        return browser
    }

    /// Field names and query keys in a page.
    static func names(in html: String) -> Set<String> {
        var found: Set<String> = []
        for pattern in [#"name="([A-Za-z0-9_\[\]\.-]+)""#, #"[?&]([A-Za-z_][A-Za-z0-9_]*)="#] {
            let regex = try? NSRegularExpression(pattern: pattern)
            let range = NSRange(html.startIndex..., in: html)
            for match in regex?.matches(in: html, range: range) ?? [] {
                if let r = Range(match.range(at: 1), in: html) { found.insert(String(html[r])) }
            }
        }
        return found
    }

    /// A page or form route: every name set to each value, in the query and (for a form) the
    /// body; then each path id in turn replaced by each hostile id. A route the caller may not
    /// use gets one request (its permission check comes before any parameter is read).
    static func hostilePage(_ route: RouteSpec, path: String, names: [String], browser: Browser, depth: Depth, door: Bool,
                            tally: Tally) async throws {
        var headers: HTTPFields = [:]
        if !browser.cookies.isEmpty { headers[.cookie] = browser.cookieHeader }
        func send(_ target: String, form: String?) async throws -> TestResponse {
            var headers = headers
            if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
            return try await browser.client.execute(uri: target, method: route.method, headers: headers,
                                                    body: form.map { ByteBuffer(string: $0 + "&_csrf=\(browser.csrf)") })
        }
        func pairs(_ request: Int, huge: Int, door value: String?) -> String {
            names.enumerated().map { i, name in
                let v = value ?? depth.value(i, request: request, from: Self.values)
                return "\(name)=\(v == "HUGE" ? String(repeating: "9", count: huge) : v)"
            }.joined(separator: "&")
        }
        let requests = (0..<depth.requests(Self.values)).map { ($0, nil as String?) } + (door ? Self.doorValues.map { (0, $0) } : [])
        for (request, doorValue) in requests {
            let response: TestResponse
            if route.method == .get {
                // A page with hundreds of names (a self-assessment's rating form) gets shorter runs,
                // so the request line stays under the 80 KB the server reads.
                let huge = min(250, max(20, 60_000 / max(1, names.count) - 60))
                response = try await send("\(path)?\(pairs(request, huge: huge, door: doorValue))", form: nil)
            } else {
                response = try await send("\(path)?page=\(doorValue ?? "-1")", form: pairs(request, huge: 1000, door: doorValue))
            }
            tally.record(response, "\(route) with parameters set \(doorValue ?? String(request))")
            if let doorValue { tally.expect400(response, "\(route) with every parameter \(doorValue)") }
        }
        if case .refused = depth { return }
        let sampled: Bool = if case .sample = depth { true } else { false }
        for (index, id) in Self.hostileIDs(route.path, concrete: path, sample: sampled) {
            let response = try await send(id, form: route.method == .get ? nil : "note=x")
            tally.record(response, "\(route) with path id \(index): \(id.prefix(80))")
        }
    }

    /// The concrete path with each `:parameter` position in turn set to each hostile id.
    static func hostileIDs(_ pattern: String, concrete: String, sample: Bool = false) -> [(Int, String)] {
        let names = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let values = concrete.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard names.count == values.count else { return [] }
        var result: [(Int, String)] = []
        for (index, name) in names.enumerated() where name.hasPrefix(":") {
            for id in sample ? [pathValues[1]] : pathValues + ["%00"] {
                var copy = values
                copy[index] = id
                result.append((index, copy.joined(separator: "/")))
            }
        }
        return result
    }

    /// An API operation: its query and header parameters set to each value, type-shaped bodies
    /// with hostile strings and numbers, bodies that are not what it takes, hostile path ids.
    static func hostileAPI(_ operation: APISpec.Operation, path: String, pattern: String, caller: Caller, depth: Depth, door: Bool,
                           client: any TestClientProtocol, tally: Tally) async throws {
        @discardableResult
        func send(_ target: String, body: [UInt8]?, headers extra: HTTPFields = [:]) async throws -> TestResponse {
            var headers = extra
            if let token = caller.apiToken { headers[.authorization] = "Bearer \(token)" }
            if body != nil { headers[.contentType] = "application/json" }
            let response = try await client.execute(uri: target, method: operation.method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
            tally.record(response, "\(caller.label) \(operation.id) \(target.prefix(100)) \(String(decoding: (body ?? []).prefix(80), as: UTF8.self))")
            return response
        }
        func json(_ object: Any) throws -> [UInt8] { Array(try JSONSerialization.data(withJSONObject: object)) }
        let validBytes = try operation.body.map { try json(Self.body($0, string: "Walk", number: 1)) }
        let queryNames = operation.parameters.filter { $0.location == .query }.map(\.name)
        if door {
            for value in Self.doorValues {
                let query = (queryNames.isEmpty ? ["x"] : queryNames).map { "\($0)=\(value)" }.joined(separator: "&")
                tally.expect400(try await send("\(path)?\(query)", body: validBytes), "\(operation.id) with every parameter \(value)")
            }
            if let schema = operation.body {
                tally.expect400(try await send(path, body: try json(Self.body(schema, string: "a\u{0}b", number: 1))), "\(operation.id) NUL in JSON")
            }
        }
        if case .refused = depth {
            try await send(path + (queryNames.isEmpty ? "" : "?\(queryNames[0])=1000000000"), body: validBytes)
            return
        }
        let full: Bool = if case .full = depth { true } else { false }
        for request in 0..<(queryNames.isEmpty ? 1 : depth.requests(Self.values)) {
            let query = queryNames.enumerated().map { i, name in
                let v = depth.value(i, request: request, from: Self.values)
                return "\(name)=\(v == "HUGE" ? String(repeating: "9", count: 5000) : v)"
            }
            try await send(path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), body: validBytes)
        }
        guard full else {
            // A sample: one hostile body of each kind, and one hostile id.
            if let schema = operation.body {
                try await send(path, body: try json(Self.body(schema, string: Self.strings[2], number: Self.numbers[1])))
                try await send(path, body: Self.rawBodies[0])
            }
            for (_, id) in Self.hostileIDs(pattern, concrete: path, sample: true) { try await send(id, body: validBytes) }
            return
        }
        for header in operation.parameters.filter({ $0.location == .header }) {
            for value in ["", "0", "-1", String(repeating: "h", count: 5000), "no_such_value"] {
                try await send(path, body: validBytes, headers: [HTTPField.Name(header.name)!: value])
            }
        }
        if let schema = operation.body {
            for string in Self.strings { try await send(path, body: try json(Self.body(schema, string: string, number: 1))) }
            for number in Self.numbers { try await send(path, body: try json(Self.body(schema, string: "Walk", number: number))) }
            for raw in Self.rawBodies + [[]] { try await send(path, body: raw) }
        }
        for (_, id) in Self.hostileIDs(pattern, concrete: path) { try await send(id, body: validBytes) }
    }

    /// A body of the schema's shape: every string `string` (enums their first value), every
    /// number `number`, booleans true, one item in every array.
    static func body(_ schema: APISpec.Schema, string: String, number: Any) -> Any {
        if let allowed = schema.enumValues, let first = allowed.first { return first }
        switch schema.type {
        case "string": return string
        case "integer", "number": return number
        case "boolean": return true
        case "array": return schema.items.map { [body($0, string: string, number: number)] } ?? []
        default:
            var object: [String: Any] = [:]
            for (name, property) in schema.properties { object[name] = body(property, string: string, number: number) }
            if schema.properties.isEmpty, let additional = schema.additionalProperties {
                object["safety_from_abusers"] = body(additional, string: string, number: number)
            }
            return object
        }
    }
}

/// The same property through the real binary and raw TCP, with what an in-process client
/// cannot send: raw bytes that are not UTF-8 or are NUL in the request line, an unknown
/// method, a TLS greeting on the plain port, an oversized header, a bogus HTTP version.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "needs the built cairn binary"))
struct HostileRawRequestTests {
    /// Sends `bytes` on a new connection; the status line of the answer, or nil if the server
    /// closed the connection without one.
    static func raw(_ port: Int, _ bytes: [UInt8]) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\r\n").first.map(String.init)
    }

    @Test func hostileRawRequestsLeaveTheServerRunning() async throws {
        try await DurabilityTests.withDatabase { database in
            #expect(try CLI.run(["demo", "--database", database.url.raw]).status == 0)
            var session = ""
            try await DurabilityTests.inspect(database.url) { services in
                let user = try #require(try await services.accounts.user(email: "analyst@demo.invalid"))
                session = try await services.auth.createSession(userID: try user.requireID(), stage: .complete, address: "test", replacing: nil)
            }
            let server = try DurabilityTests.Server(database: database.url)
            defer { if server.process.isRunning { server.kill() } }
            try await server.waitUntilHealthy()
            func get(_ target: [UInt8], method: String = "GET", version: String = "HTTP/1.1", extra: String = "") -> [UInt8] {
                Array("\(method) ".utf8) + target + Array(" \(version)\r\nHost: x\r\nCookie: cairn_session=\(session)\r\n\(extra)Connection: close\r\n\r\n".utf8)
            }
            let deep = String(repeating: "[", count: 100_000)
            let requests: [(String, [UInt8], [String])] = [
                ("a page past the end", get(Array("/reports?page=4".utf8)), ["200"]),
                ("page 10^9", get(Array("/reports?page=1000000000".utf8)), ["200"]),
                ("NUL in the query", get(Array("/reports?q=%00".utf8)), ["400"]),
                ("raw bytes not UTF-8", get(Array("/reports?q=".utf8) + [0xFF, 0xFE]), ["400"]),
                ("a raw NUL in the path", get([0x2F, 0x00]), ["400"]),
                ("TRACE", get(Array("/reports".utf8), method: "TRACE"), ["405"]),
                ("NUL in an asset's name", get(Array("/assets/%00".utf8)), ["400"]),
                ("an asset outside the folder", get(Array("/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd".utf8)), ["400"]),
                ("an asset named in bytes not UTF-8", get(Array("/assets/%FF%FE.css".utf8)), ["400"]),
                ("an invented method", get(Array("/reports".utf8), method: "BREW"), ["400"]),
                ("HTTP/9.9", get(Array("/health".utf8), version: "HTTP/9.9"), ["400"]),
                ("a 100 KB header", get(Array("/health".utf8), extra: "X-Big: \(String(repeating: "a", count: 100_000))\r\n"), ["400"]),
                ("a TLS greeting", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03] + Array(repeating: 0, count: 64), ["400"]),
                ("JSON nested 100,000 deep",
                 Array("POST /api/v1/public/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(deep.utf8.count)\r\nConnection: close\r\n\r\n\(deep)".utf8),
                 ["400"]),
            ]
            for (what, bytes, expected) in requests {
                let line = Self.raw(server.port, bytes)
                let status = line.map { $0.split(separator: " ").dropFirst().first.map(String.init) ?? $0 } ?? ""
                #expect(expected.contains(status), "\(what): \(line ?? "connection closed")")
                #expect(server.process.isRunning, "the server stopped after \(what): \(server.log.suffix(2000))")
            }
            let health = Self.raw(server.port, Array("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            #expect(health == "HTTP/1.1 200 OK")
            #expect(!server.log.contains("Fatal error"))
        }
    }
}
