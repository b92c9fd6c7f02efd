import CairnCore
import Foundation
import Logging

/// Everything Cairn can be told at start-up. Sources, strongest first: command-line flags,
/// the environment, a `.env` file in the working directory (layered by `ConfigSources`), then
/// these defaults.
public struct AppConfig: Sendable {
    public enum SecureCookies: String, Sendable { case auto, always, never }

    public var host = "127.0.0.1"
    public var port = 8080
    public var database = DatabaseURL.defaultValue
    /// Load the fictional demo partnership into an empty database and allow demo passwords.
    public var demo = false
    public var sessionIdleTimeout: TimeInterval = 30 * 60
    public var sessionAbsoluteTimeout: TimeInterval = 12 * 60 * 60
    public var maxBodyBytes = 1_048_576
    /// Reverse proxies (load balancers) whose `X-Forwarded-For` / `X-Forwarded-Proto` are
    /// believed; nobody's by default.
    public var trustedProxies = TrustedProxies.none
    /// `/metrics` answers a scraper presenting `Authorization: Bearer <token>`.
    public var metricsToken: String?
    /// `/metrics` is served on its own listener on this port (same host), not the main one.
    public var metricsPort: Int?
    /// `Strict-Transport-Security` max-age (seconds) on responses to requests that came over
    /// TLS; 0 sends none.
    public var hstsMaxAge = 31_536_000
    public var secureCookies = SecureCookies.auto
    public var logLevel = Logger.Level.info
    public var bcryptCost = 12
    public var lockoutThreshold = 5
    /// Counts of 1 to k-1 survivors are hidden on the insight dashboard (k, default 10).
    public var smallNumbers = 10
    public var lockoutMinutes = 15
    /// Database connections per event loop (PostgreSQL).
    public var databasePoolSize = 4
    /// Public reports accepted from one address per hour (web form and API together).
    public var reportRateLimit = 10
    /// Analysts are alerted when a report brings a network of linked reports to this size.
    public var linkAlertSize = 5
    /// How long each urgency allows before the assigned agency must respond.
    public var responseDeadlines = ResponseDeadlines.standard
    /// Hours a report not yet triaged (an unclassified public report) has before it is
    /// overdue for triage; its response deadline starts to apply once it is triaged.
    public var triageDeadlineHours = 24
    /// Which agency type each kind of report goes to; the file given replaces the defaults.
    public var routing = RoutingPolicy.standard
    public var routingFile: String?
    /// Connections held at once (lowered to fit the open-file limit), and from one address.
    public var maxConnections = 10_000
    public var maxConnectionsPerAddress = 128
    /// A connection with nothing to send is closed after this many seconds.
    public var connectionIdleSeconds = 30
    /// Once a request starts, its header must arrive within this many seconds, its body within `bodyTimeoutSeconds`.
    public var headerTimeoutSeconds = 10
    public var bodyTimeoutSeconds = 30
    /// Threads that hash passwords, and password checks allowed to wait for one (more get 429).
    public var hashingThreads = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    public var hashingQueue = 16
    /// The largest file the resource hub takes (`CAIRN_RESOURCE_MAX_MB`, default 20 MB).
    public var resourceMaxBytes = 20 * 1_048_576
    /// `cairn serve` applies the retention schedule once a day.
    public var retentionJob = true
    /// The address the public reaches Cairn at (`https://report.example.org`, no trailing
    /// slash), for links and QR codes printed on campaign materials; nil: the address the page
    /// was asked for.
    public var publicURL: String?
    /// Where the survivor's quick exit goes: an everyday site nobody would remark on
    /// (`CAIRN_QUICK_EXIT_URL`, default BBC Weather).
    public var quickExitURL = "https://www.bbc.co.uk/weather"
    /// The partnership's name in its signed statistical releases (`CAIRN_PARTNERSHIP_ID`):
    /// letters, digits and hyphens, unique among the partnerships a national instance registers.
    public var partnershipID = "westmere"
    /// The postcode districts statistical releases count areas by (`CAIRN_RELEASE_AREAS`,
    /// comma-separated); anywhere else is "outside the area or not known".
    public var releaseAreas = ["WM1", "WM2", "WM3", "WM4", "WM5", "WM6", "WM7", "WM8", "WM9"]
    /// Each calendar year's privacy budget for noisy releases (`CAIRN_PRIVACY_BUDGET`,
    /// `rho:0.5` or `epsilon:2`): a release that would spend past it is refused.
    public var privacyMeasure = "rho"
    public var privacyCapMicros = 500_000
    /// Run as a national instance (`cairn serve --national`, `CAIRN_NATIONAL`): only the
    /// national side (registered partnerships, received releases, national tables) is served.
    public var national = false
    /// The national tables withhold a sum of published cells from 1 to k−1
    /// (`CAIRN_NATIONAL_THRESHOLD`, default 10).
    public var nationalThreshold = 10

    public init() {}

    /// One message per problem, so a person fixes them all in one go.
    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String {
            "Cairn cannot start: the configuration has \(problems.count == 1 ? "a problem" : "\(problems.count) problems"):\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    /// Known settings and their environment names (flags use the same names, e.g. `--port`).
    public static let environmentNames: [(key: String, env: String, help: String)] = [
        ("host", "CAIRN_HOST", "address to listen on (default 127.0.0.1)"),
        ("port", "CAIRN_PORT", "TCP port (default 8080)"),
        ("database", "CAIRN_DATABASE_URL", "sqlite://PATH (default sqlite://cairn.sqlite) or postgres://user:pass@host:port/db"),
        ("demo", "CAIRN_DEMO", "true to load the fictional demo partnership into an empty database"),
        ("session-idle-minutes", "CAIRN_SESSION_IDLE_MINUTES", "sign out after this many idle minutes (default 30)"),
        ("session-absolute-hours", "CAIRN_SESSION_ABSOLUTE_HOURS", "sign out this many hours after sign-in (default 12)"),
        ("max-body-bytes", "CAIRN_MAX_BODY_BYTES", "largest request body accepted, larger gets 413 (default 1048576)"),
        ("trusted-proxies", "CAIRN_TRUSTED_PROXIES", "comma-separated addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For/-Proto are believed (default none)"),
        ("trust-proxy", "CAIRN_TRUST_PROXY", "replaced by CAIRN_TRUSTED_PROXIES; only false is still accepted"),
        ("metrics-token", "CAIRN_METRICS_TOKEN", "bearer token a Prometheus scraper presents for /metrics (32 or more characters)"),
        ("metrics-port", "CAIRN_METRICS_PORT", "serve /metrics on its own listener on this port instead of the main one"),
        ("hsts-max-age", "CAIRN_HSTS_MAX_AGE", "Strict-Transport-Security max-age in seconds for requests over TLS, 0 for none (default 31536000)"),
        ("secure-cookies", "CAIRN_SECURE_COOKIES", "auto (Secure when the request came over TLS), always or never"),
        ("log-level", "CAIRN_LOG_LEVEL", "trace, debug, info, notice, warning, error or critical (default info)"),
        ("bcrypt-cost", "CAIRN_BCRYPT_COST", "bcrypt work factor, 10 to 16 (default 12)"),
        ("lockout-threshold", "CAIRN_LOCKOUT_THRESHOLD", "failed sign-ins before an account is locked (default 5)"),
        ("lockout-minutes", "CAIRN_LOCKOUT_MINUTES", "minutes an account stays locked (default 15)"),
        ("database-pool-size", "CAIRN_DATABASE_POOL_SIZE", "PostgreSQL connections per event loop (default 4)"),
        ("report-rate-limit", "CAIRN_REPORT_RATE_LIMIT", "public reports accepted from one address per hour, more get 429 (default 10)"),
        ("small-numbers", "CAIRN_SMALL_NUMBERS", "the insight dashboard hides counts of 1 to k-1 survivors (k, default 10; at least 3)"),
        ("link-alert-size", "CAIRN_LINK_ALERT_SIZE", "alert analysts when a network of linked reports reaches this many reports (default 5)"),
        ("response-deadlines", "CAIRN_RESPONSE_DEADLINES", "time to respond per urgency (default emergency=1h,high=24h,medium=5wd,low=28d; h hours, wd working days, d days)"),
        ("triage-deadline-hours", "CAIRN_TRIAGE_DEADLINE_HOURS", "hours a report waiting for triage has before it is overdue for triage, 1 to 720 (default 24)"),
        ("routing-file", "CAIRN_ROUTING_FILE", "JSON file of routing rules replacing the defaults (see README)"),
        ("max-connections", "CAIRN_MAX_CONNECTIONS", "connections held at once, at most the open-file limit less a reserve (default 10000)"),
        ("max-connections-per-address", "CAIRN_MAX_CONNECTIONS_PER_ADDRESS", "connections one client address may hold, more get 503 (default 128)"),
        ("connection-idle-seconds", "CAIRN_CONNECTION_IDLE_SECONDS", "close a connection that sends nothing for this long (default 30)"),
        ("header-timeout-seconds", "CAIRN_HEADER_TIMEOUT_SECONDS", "a request's header must arrive within this many seconds of its first byte, or 408 (default 10)"),
        ("body-timeout-seconds", "CAIRN_BODY_TIMEOUT_SECONDS", "a request's body must arrive within this many seconds of its header (default 30)"),
        ("hashing-threads", "CAIRN_HASHING_THREADS", "threads that check and hash passwords (default half the cores, at least 1)"),
        ("hashing-queue", "CAIRN_HASHING_QUEUE", "password checks that may wait for a thread; more get 429 (default 16)"),
        ("retention-job", "CAIRN_RETENTION_JOB", "false to stop `cairn serve` applying the retention schedule daily (default true)"),
        ("public-url", "CAIRN_PUBLIC_URL", "the public address of the report form for campaign QR codes, e.g. https://report.example.org (default: the address a page was asked for)"),
        ("resource-max-mb", "CAIRN_RESOURCE_MAX_MB", "largest file the resource hub takes, in MB, 1 to 100; larger gets 413 (default 20)"),
        ("partnership-id", "CAIRN_PARTNERSHIP_ID", "the partnership's name in its signed statistical releases: 2 to 40 letters, digits or hyphens (default westmere)"),
        ("release-areas", "CAIRN_RELEASE_AREAS", "comma-separated postcode districts statistical releases count areas by (default WM1 to WM9)"),
        ("privacy-budget", "CAIRN_PRIVACY_BUDGET", "each year's privacy budget for noisy releases, rho:N or epsilon:N (default rho:0.5)"),
        ("national", "CAIRN_NATIONAL", "true to run as a national instance: registered partnerships, received releases and national tables only (default false)"),
        ("national-threshold", "CAIRN_NATIONAL_THRESHOLD", "national tables withhold a sum of published cells from 1 to k-1 (k, 2 to 100, default 10)"),
        ("quick-exit-url", "CAIRN_QUICK_EXIT_URL", "where the survivor's quick exit goes: an everyday http or https site (default https://www.bbc.co.uk/weather)"),
    ]

    /// Reads `KEY=VALUE` lines; `#` comments and blank lines are ignored, quotes are stripped.
    public static func readDotEnv(at path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { continue }
            var key = String(trimmed[..<eq]).trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("export ") { key = String(key.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            var value = String(trimmed[trimmed.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return values
    }

    /// - Parameters:
    ///   - flags: values given on the command line, keyed by the setting's key (e.g. "port").
    ///   - environment: the process environment.
    ///   - dotEnv: values from `.env`.
    public static func load(
        flags: [String: String] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnv: [String: String] = [:]
    ) throws -> AppConfig {
        var config = AppConfig()
        var problems: [String] = []

        let sources = ConfigSources(flags: flags, environment: environment, dotEnv: dotEnv)
        func value(_ key: String) -> (String, String)? {
            guard let env = environmentNames.first(where: { $0.key == key })?.env else { return nil }
            return sources.value(key: key, env: env)
        }
        func int(_ key: String, _ range: ClosedRange<Int>, _ apply: (Int) -> Void) {
            guard let (text, source) = value(key) else { return }
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
                problems.append("\(source) is \"\(text)\"; it must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return
            }
            apply(n)
        }
        func bool(_ key: String, _ apply: (Bool) -> Void) {
            guard let (text, source) = value(key) else { return }
            switch text.lowercased() {
            case "1", "true", "yes", "on": apply(true)
            case "0", "false", "no", "off", "": apply(false)
            default: problems.append("\(source) is \"\(text)\"; it must be true or false")
            }
        }

        if let (text, _) = value("host") {
            if text.isEmpty { problems.append("host is empty") } else { config.host = text }
        }
        int("port", 0...65535) { config.port = $0 }
        if let (text, source) = value("database") {
            do { config.database = try DatabaseURL(parsing: text) } catch {
                problems.append("\(source): \(error)")
            }
        }
        bool("demo") { config.demo = $0 }
        bool("national") { config.national = $0 }
        int("national-threshold", 2...100) { config.nationalThreshold = $0 }
        int("session-idle-minutes", 1...1440) { config.sessionIdleTimeout = TimeInterval($0 * 60) }
        int("session-absolute-hours", 1...168) { config.sessionAbsoluteTimeout = TimeInterval($0 * 3600) }
        int("max-body-bytes", 1024...104_857_600) { config.maxBodyBytes = $0 }
        int("resource-max-mb", 1...100) { config.resourceMaxBytes = $0 * 1_048_576 }
        if let (text, source) = value("trusted-proxies") {
            do { config.trustedProxies = try TrustedProxies(parsing: text) } catch {
                problems.append(contentsOf: error.problems.map { "\(source): \($0)" })
            }
        }
        // The old yes/no switch trusted whoever connected; there is no safe list to turn "true"
        // into, so the operator has to name the proxies.
        bool("trust-proxy") { trust in
            if trust {
                problems.append("CAIRN_TRUST_PROXY=true is no longer supported: it let any client choose its own address. "
                    + "List your load balancers' addresses or ranges in CAIRN_TRUSTED_PROXIES instead, e.g. CAIRN_TRUSTED_PROXIES=10.0.0.0/8")
            }
        }
        if let (text, source) = value("metrics-token") {
            if text.count < 32 || !text.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline && $0.asciiValue.map { $0 > 32 && $0 < 127 } == true }) {
                problems.append("\(source) must be at least 32 printable characters without spaces (for example the output of `openssl rand -hex 32`)")
            } else {
                config.metricsToken = text
            }
        }
        int("metrics-port", 1...65535) { config.metricsPort = $0 }
        if let metricsPort = config.metricsPort, metricsPort == config.port {
            problems.append("CAIRN_METRICS_PORT is \(metricsPort), the same as the main port; give /metrics a port of its own")
        }
        int("hsts-max-age", 0...63_072_000) { config.hstsMaxAge = $0 }
        if let (text, source) = value("secure-cookies") {
            if let v = SecureCookies(rawValue: text.lowercased()) { config.secureCookies = v } else {
                problems.append("\(source) is \"\(text)\"; it must be auto, always or never")
            }
        }
        if let (text, source) = value("log-level") {
            if let v = Logger.Level(rawValue: text.lowercased()) { config.logLevel = v } else {
                problems.append("\(source) is \"\(text)\"; it must be one of trace, debug, info, notice, warning, error, critical")
            }
        }
        // Tests lower the cost to keep the suite fast; production refuses anything weaker than 10.
        let minimumCost = (environment["CAIRN_TESTING"] == "1") ? 4 : 10
        int("bcrypt-cost", minimumCost...16) { config.bcryptCost = $0 }
        int("lockout-threshold", 3...50) { config.lockoutThreshold = $0 }
        int("lockout-minutes", 1...1440) { config.lockoutMinutes = $0 }
        int("database-pool-size", 1...64) { config.databasePoolSize = $0 }
        int("report-rate-limit", 1...1_000_000) { config.reportRateLimit = $0 }
        int("link-alert-size", 2...10_000) { config.linkAlertSize = $0 }
        int("small-numbers", 3...1000) { config.smallNumbers = $0 }
        int("max-connections", 16...1_000_000) { config.maxConnections = $0 }
        int("max-connections-per-address", 1...1_000_000) { config.maxConnectionsPerAddress = $0 }
        int("connection-idle-seconds", 1...3600) { config.connectionIdleSeconds = $0 }
        int("header-timeout-seconds", 1...600) { config.headerTimeoutSeconds = $0 }
        int("body-timeout-seconds", 1...3600) { config.bodyTimeoutSeconds = $0 }
        int("hashing-threads", 1...64) { config.hashingThreads = $0 }
        int("hashing-queue", 0...10_000) { config.hashingQueue = $0 }
        int("triage-deadline-hours", 1...720) { config.triageDeadlineHours = $0 }
        bool("retention-job") { config.retentionJob = $0 }
        if let (text, source) = value("public-url") {
            if let url = Self.checkedPublicURL(text) { config.publicURL = url } else {
                problems.append("\(source) is \"\(text)\"; it must be an http or https address with a host and no query, such as https://report.example.org")
            }
        }
        if let (text, source) = value("quick-exit-url") {
            if let url = Self.checkedExitURL(text) { config.quickExitURL = url } else {
                problems.append("\(source) is \"\(text)\"; it must be an http or https address with a host, such as https://www.bbc.co.uk/weather")
            }
        }
        if let (text, source) = value("partnership-id") {
            if (2...40).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                config.partnershipID = text.lowercased()
            } else {
                problems.append("\(source) is \"\(text)\"; it must be 2 to 40 letters, digits or hyphens, such as westmere")
            }
        }
        if let (text, source) = value("release-areas") {
            let areas = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            if !areas.isEmpty, areas.count <= 200, areas.allSatisfy({ CampaignArea.normalise($0) != nil }), Set(areas).count == areas.count {
                config.releaseAreas = areas
            } else {
                problems.append("\(source) must list 1 to 200 different postcode districts separated by commas, such as WM1,WM2")
            }
        }
        if let (text, source) = value("privacy-budget") {
            let parts = text.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, ["rho", "epsilon"].contains(parts[0]), let cap = Double(parts[1]), cap.isFinite, cap > 0, cap <= 100 {
                config.privacyMeasure = parts[0]
                config.privacyCapMicros = Int((cap * 1_000_000).rounded())
            } else {
                problems.append("\(source) is \"\(text)\"; it must be rho:N or epsilon:N with N above 0 and at most 100, such as rho:0.5")
            }
        }
        if let (text, source) = value("response-deadlines") {
            do { config.responseDeadlines = try parseDeadlines(text) } catch let error as Invalid {
                problems.append(contentsOf: error.problems.map { "\(source): \($0)" })
            }
        }
        if let (path, source) = value("routing-file") {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                config.routing = try JSONDecoder().decode(RoutingPolicy.self, from: data)
                config.routingFile = path
            } catch let error as DecodingError {
                problems.append("\(source): \(path) is not a routing policy: \(Self.describe(error))")
            } catch {
                problems.append("\(source): cannot read \(path) (\(error.localizedDescription))")
            }
        }

        if !problems.isEmpty { throw Invalid(problems: problems) }
        return config
    }
}

extension AppConfig {
    /// Reads `emergency=1h,high=24h,medium=5wd,low=28d`; urgencies left out keep their default.
    static func parseDeadlines(_ text: String) throws -> ResponseDeadlines {
        var deadlines = ResponseDeadlines.standard
        var problems: [String] = []
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard pair.count == 2, let urgency = Urgency(rawValue: pair[0]) else {
                problems.append("\"\(part)\" should be URGENCY=TIME with URGENCY one of emergency, high, medium, low")
                continue
            }
            let value = pair[1]
            let unit = value.drop { $0.isNumber }
            guard let amount = Int(value.prefix { $0.isNumber }), amount > 0, amount <= 10_000 else {
                problems.append("\"\(part)\" needs a whole number of hours (h), working days (wd) or days (d), e.g. 24h")
                continue
            }
            let time: ResponseTime
            switch unit {
            case "h": time = .hours(amount)
            case "wd": time = .workingDays(amount)
            case "d": time = .calendarDays(amount)
            default:
                problems.append("\"\(part)\" has unit \"\(unit)\"; use h (hours), wd (working days) or d (days)")
                continue
            }
            switch urgency {
            case .emergency: deadlines.emergency = time
            case .high: deadlines.high = time
            case .medium: deadlines.medium = time
            case .low: deadlines.low = time
            }
        }
        if !problems.isEmpty { throw Invalid(problems: problems) }
        return deadlines
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            "missing \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "\(context.debugDescription) at \(path(context))"
        @unknown default: "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the top level" : context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

extension AppConfig {
    /// `CAIRN_PUBLIC_URL` checked: http(s), a host, no query, fragment or user; the trailing
    /// slash dropped. Nil when it is not such an address.
    /// An address the quick exit may go to: http or https with a host, no credentials; a path
    /// and a query are fine.
    static func checkedExitURL(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 300, let url = URLComponents(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil else { return nil }
        return trimmed
    }

    static func checkedPublicURL(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 200, let url = URLComponents(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil, url.password == nil else { return nil }
        var result = trimmed
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
