import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// Walks every registered route for every role (and for nobody), and checks the answer
/// matches the single permission table in `AccessPolicy`.
@Suite struct AccessTests {
    @Test func everyRouteForEveryRoleMatchesThePermissionTable() async throws {
        try await Self.walkEveryRoute()
    }

    /// The same on a national instance, whose routes are its own.
    @Test func everyNationalRouteForEveryRoleMatchesThePermissionTable() async throws {
        try await Self.walkEveryRoute(configure: { $0.national = true }, minimumRoutes: 15)
    }

    static func walkEveryRoute(configure: @escaping (inout AppConfig) -> Void = { _ in }, minimumRoutes: Int = 40) async throws {
        try await withApp(configure: configure) { client, built in
            let services = built.services
            // Ids of every kind, for each account where it matters (shared with the hostile-input walk).
            let fixture = try await WalkFixture.make(services)
            func concrete(_ path: String, agencyID: UUID? = nil, email: String? = nil) -> String {
                fixture.concrete(path, agencyID: agencyID, email: email)
            }
            let routes = built.routes.specs
            #expect(routes.count >= minimumRoutes)
            var failures: [String] = []
            var checked = 0

            // Anonymous.
            for route in routes {
                let browser = Browser(client)
                try await browser.get("/sign-in")
                let response = try await Self.request(route, path: concrete(route.path), browser: browser, token: nil, client: client)
                checked += 1
                if route.permission == .everyone {
                    if [403, 404, 500].contains(response.status.code) { failures.append("anonymous \(route): \(response.status.code)") }
                } else if route.permission == .survivor, !route.path.hasPrefix("/api/") {
                    // The survivor's own pages send nobody to the staff sign-in.
                    if !(response.status == .seeOther && response.location == SurvivorRoute.signIn.path) {
                        failures.append("anonymous \(route): expected redirect to the survivor's sign-in, got \(response.status.code) \(response.location ?? "")")
                    }
                } else if route.path.hasPrefix("/api/") {
                    if response.status != .unauthorized { failures.append("anonymous \(route): expected 401, got \(response.status.code)") }
                } else if !(response.status == .seeOther && (response.location ?? "").hasPrefix("/sign-in")) {
                    failures.append("anonymous \(route): expected redirect to sign-in, got \(response.status.code) \(response.location ?? "")")
                }
            }

            // Each role, with a fresh session per request so state-changing routes cannot interfere.
            for account in DemoPartnership.accounts {
                let user = try #require(try await services.accounts.user(email: account.email))
                let apiToken = try await token(for: account.email, built)
                for route in routes {
                    let browser = Browser(client)
                    let sessionToken = try await services.auth.createSession(userID: user.id!, stage: .complete, address: "test", replacing: nil)
                    browser.cookies["cairn_session"] = sessionToken
                    try await browser.get("/account")
                    let response = try await Self.request(route, path: concrete(route.path, agencyID: user.$agency.id, email: account.email), browser: browser, token: apiToken, client: client)
                    checked += 1
                    let allowed = AccessPolicy.allows(account.roles, route.permission)
                    let code = response.status.code
                    if code == 500 { failures.append("\(account.email) \(route): 500") }
                    if allowed, [401, 403, 404].contains(code) {
                        failures.append("\(account.email) \(route): allowed by the table but got \(code)")
                    }
                    if !allowed, code != 403 {
                        failures.append("\(account.email) \(route): not allowed by the table but got \(code)")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.joined(separator: "\n"))")
            #expect(checked == routes.count * (DemoPartnership.accounts.count + 1))
        }
    }

    /// The walk again as an agency a report was referred to with the summary only: on every
    /// page and API operation, with the report's id wherever a route takes one, nothing it
    /// was not given appears (the place, its postcode district, the people, the reporter, the
    /// police's notes and outcome, the indicators, another agency's referral).
    @Test func aReferredAgencyNeverSeesWithheldSectionsOnAnyRouteOrOperation() async throws {
        try await withApp { client, built in
            let services = built.services
            let fixture = try await SharingFixture.make(services)
            let email = "caseworker2@demo.invalid"
            let user = try #require(try await services.accounts.user(email: email))
            let apiToken = try await token(for: email, built)
            let id = fixture.reportID.uuidString
            var failures: [String] = []
            var sawReport = 0
            for route in built.routes.specs {
                // Parameters are named by what they are: this report, its referral, its
                // reference; any other object is one that does not exist (its own walk is above).
                var path = route.link(["reportId": id, "referralId": fixture.councilReferralID.uuidString, "reference": fixture.reference])
                if route.method == .get {
                    if path == "/reports" || path == "/api/v1/reports" { path += "?inbox=referred" }
                    if path == "/cases/new" { path += "?report=\(fixture.reference)" }
                }
                let browser = Browser(client)
                browser.cookies["cairn_session"] = try await services.auth.createSession(userID: user.id!, stage: .complete, address: "test", replacing: nil)
                try await browser.get("/account")
                let response = try await Self.request(route, path: path, browser: browser, token: apiToken, client: client)
                if response.status.code >= 500 { failures.append("\(route) \(path): \(response.status.code)") }
                // Wording that other pages show for their own reasons (the checklist on the new
                // report form, a case's language) counts where the report is shown.
                let general: Set = [SharingFixture.indicatorText, SharingFixture.indicatorRule, "Romanian"]
                var markers = SharingFixture.withheldFromSummary.filter { !general.contains($0) }
                if response.text.contains(fixture.reference) {
                    sawReport += 1
                    markers += Array(general) + ["WM7"]
                }
                let leaked = response.text.leaked(markers)
                if !leaked.isEmpty { failures.append("\(route) \(path) shows \(leaked)") }
            }
            #expect(failures.isEmpty, "\(failures.count) leaks:\n\(failures.joined(separator: "\n"))")
            // The walk did reach the report: its page, the API, the lists, the case form.
            #expect(sawReport >= 5, "\(sawReport) answers showed the report")
        }
    }

    /// A practitioner report assigned to `agencyID`, with a pending referral to it from another agency.
    func seedReport(assignedTo agencyID: UUID, from otherAgency: UUID, services: AppServices) async throws -> (UUID, UUID) {
        let db = services.database.db
        let author = try #require(try await User.query(on: db).first())
        let report = Report()
        report.reference = ReportService.newReference()
        report.source = ReportSource.practitioner.rawValue
        report.language = "en"
        report.status = ReportStatus.assigned.rawValue
        report.urgency = Urgency.medium.rawValue
        report.triageRules = "[]"
        report.routingExplanation = ""
        report.dangerNow = false
        report.ageGroup = AgeGroup.adult.rawValue
        report.exploitationTypes = "labour"
        report.countyLines = false
        report.classified = true
        report.narrative = "Seeded for the access walk."
        for field in [\Report.$location, \.$occurred, \.$peopleText, \.$vehiclesText, \.$phonesText, \.$businessesText, \.$websitesText] {
            report[keyPath: field].value = ""
        }
        report.reporterType = ReporterType.practitioner.rawValue
        report.anonymous = true
        report.reportingAgencyID = agencyID
        report.assignedAgencyID = agencyID
        report.receivedAt = Date()
        report.dueAt = Date().addingTimeInterval(86400)
        report.updatedAt = Date()
        try await report.create(on: db)
        let referral = Referral()
        referral.reportID = report.id!
        referral.fromAgencyID = otherAgency
        referral.toAgencyID = agencyID
        referral.status = ReferralStatus.pending.rawValue
        referral.shared = "summary"
        referral.request = "Please look"
        referral.response = ""
        referral.createdByID = author.id!
        referral.createdAt = Date()
        referral.updatedAt = Date()
        try await referral.create(on: db)
        return (report.id!, referral.id!)
    }

    static func request(_ route: RouteSpec, path: String, browser: Browser, token: String?, client: any TestClientProtocol) async throws -> TestResponse {
        if path.hasPrefix("/api/v1/") && path != "/api/v1/openapi.yaml" {
            let body: String? = route.method == .get ? nil : "{}"
            return try await api(client, route.method, path, token: token, json: body)
        }
        if route.method == .get { return try await browser.get(path) }
        return try await browser.post(path, [])
    }

    @Test func permissionTableGrantsAdministrationOnlyToAdministrators() {
        for role in Role.allCases {
            #expect(AccessPolicy.allows([role], .manageUsers) == (role == .administrator))
            #expect(AccessPolicy.allows([role], .viewAuditLog) == (role == .administrator))
            #expect(AccessPolicy.allows([role], .signedIn))
        }
        #expect(!AccessPolicy.allows([], .signedIn))
        #expect(AccessPolicy.allows([], .everyone))
    }

    @Test func agencyMembersAreVisibleToOwnAgencyAndCoordinatorsOnly() async throws {
        try await withApp { client, built in
            let services = built.services
            let analyst = try #require(try await services.accounts.user(email: "analyst@demo.invalid"))
            let other = try #require(try await services.accounts.agencies().first { $0.id != analyst.$agency.id })
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let own = try await browser.get("/agencies/\(analyst.$agency.id.uuidString)")
            #expect(own.text.contains("analyst@demo.invalid"))
            let elsewhere = try await browser.get("/agencies/\(other.id!.uuidString)")
            #expect(elsewhere.status == .ok)
            #expect(!elsewhere.text.contains("@demo.invalid"))
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let seen = try await coordinator.get("/agencies/\(analyst.$agency.id.uuidString)")
            #expect(seen.text.contains("analyst@demo.invalid"))
            let audited = try await AuditEntry.query(on: services.database.db).filter(\.$action == "agency.members.viewed").count()
            #expect(audited == 2)
        }
    }

    @Test func openAPIDocumentAndOperationTableAgree() async throws {
        let text = try #require(String(data: try CairnAPIDocument.yaml(), encoding: .utf8))
        var documented = Set<String>()
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /api/") { currentPath = String(line.dropFirst(2).dropLast()) }
            else if !line.hasPrefix("   ") && !line.hasPrefix("  /") && !line.isEmpty && !line.hasPrefix("    ") { currentPath = nil }
            if let path = currentPath, let match = ["get", "post", "patch", "put", "delete"].first(where: { line == "    \($0):" }) {
                documented.insert("\(match.uppercased()) \(path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: ""))")
            }
        }
        let implemented = Set(APIOperation.allCases.map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented == implemented)
        #expect(documented.count == APIOperation.allCases.count)
    }
}
