import CairnCore
import Crypto
import Disclosure
import FluentKit
import Foundation
import HummingbirdTesting
import Testing

@testable import Cairn

/// Statistical releases: defined by a coordinator, computed and checked, approved and signed
/// by an administrator, then open to everyone exactly as signed.
@Suite struct ReleaseTests {
    static var lastQuarter: ReleasePeriod { ReleasePeriod(quarterOf: CalendarDate(Date(), in: .london).adding(months: -3)) }

    @Test func aReleaseIsComputedCheckedApprovedSignedAndPublished() async throws {
        try await withApp { client, built in
            let services = built.services
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let admin = try await DemoReports.identity("admin@demo.invalid", services)
            // The demo's own releases (of an earlier year) come first in the chain.
            let demo = try await services.releases.publishedSummaries()
            var last: SignedRelease?
            if let newest = demo.last { last = try await services.releases.published(newest.id) }
            let id = try await services.releases.create(
                .init(period: Self.lastQuarter.description, tables: ["reports:exploitation_type", "reports:reporter_type"]),
                identity: coordinator, address: "test")
            // A draft is not published: the public and the API without a token see nothing of it.
            #expect(try await api(client, .get, "/api/v1/releases/\(id)", token: nil).status == .notFound)
            #expect(try jsonObject(try await api(client, .get, "/api/v1/releases", token: nil))["total"] as? Int == demo.count)
            await #expect(throws: AppError.self) { try await services.releases.approve(id, identity: admin, address: "test") }

            try await services.releases.propose(id, identity: coordinator, address: "test")
            let proposed = try await services.releases.detail(id, identity: coordinator)
            #expect(proposed.summary.status == .proposed)
            #expect(proposed.safe)
            let hidden = proposed.tables.flatMap(\.cells).filter { $0.value == nil }
            #expect(hidden.count == proposed.checks.count)
            #expect(proposed.checks.allSatisfy { $0.protected })
            // Published counts are rounded to 5 and at least k.
            for value in proposed.tables.flatMap({ $0.cells }).compactMap({ $0.value }) { #expect(value == 0 || (value >= 10 && value % 5 == 0)) }

            try await services.releases.approve(id, identity: admin, address: "test")
            let release = try await services.releases.published(id)
            #expect(release.sequence == demo.count + 1 && release.previous == last?.hash && release.partnership == "westmere")
            let keyResponse = try jsonObject(try await api(client, .get, "/api/v1/releases/key", token: nil))
            let keyText = try #require(keyResponse["publicKey"] as? String)
            let keyBytes = try #require(Data(base64Encoded: keyText))
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: keyBytes)
            try ReleaseVerifier.verify(release, key: key, last: last.map { ($0.sequence, $0.hash) }, seenHashes: [])

            // The API gives it exactly as signed, with null for hidden cells.
            let response = try await api(client, .get, "/api/v1/releases/\(id)", token: nil)
            #expect(response.status == .ok)
            let object = try jsonObject(response)
            #expect(object["previous"] as? String == last?.hash)
            let cells = (object["tables"] as? [[String: Any]])?.flatMap { ($0["cells"] as? [[String: Any]]) ?? [] } ?? []
            #expect(cells.count == release.tables.flatMap(\.cells).count)
            #expect(cells.allSatisfy { $0["value"] != nil && $0["error95"] is NSNull })
            #expect(cells.filter { $0["value"] is NSNull }.count == hidden.count)
            let decoded = try JSONDecoder().decode(SignedRelease.self, from: Data(String(buffer: response.body).utf8))
            try ReleaseVerifier.verify(decoded, key: key, last: last.map { ($0.sequence, $0.hash) }, seenHashes: [])
            let list = try jsonObject(try await api(client, .get, "/api/v1/releases", token: nil))
            #expect((list["items"] as? [[String: Any]])?.first?["status"] as? String == "approved")

            // A published release is never withdrawn, and the next is chained to it.
            await #expect(throws: AppError.self) { try await services.releases.withdraw(id, identity: coordinator, address: "test") }
            let second = try await services.releases.create(.init(period: Self.lastQuarter.description, tables: ["reports:exploitation_type"]),
                                                            identity: coordinator, address: "test")
            try await services.releases.propose(second, identity: coordinator, address: "test")
            try await services.releases.approve(second, identity: admin, address: "test")
            let next = try await services.releases.published(second)
            #expect(next.sequence == demo.count + 2 && next.previous == release.hash)
            try ReleaseVerifier.verify(next, key: key, last: (release.sequence, release.hash), seenHashes: [release.hash])

            let actions = try await AuditEntry.query(on: services.database.db).filter(\.$recordType == "statistics_release")
                .filter(\.$recordID ~~ [id.uuidString, second.uuidString]).all().map(\.action)
            #expect(actions.filter { $0 == "release.approved" }.count == 2)
            #expect(actions.contains("release.created") && actions.contains("release.proposed"))
        }
    }

    @Test func badDefinitionsAreRefusedAndNothingIsSaved() async throws {
        try await withServices(demo: true) { services, _ in
            let demoReleases = try await StatisticsRelease.query(on: services.database.db).count()
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let cases: [(ReleaseService.Input, String)] = [
                (.init(period: "2026-Q5", tables: ["reports:exploitation_type"]), "period"),
                (.init(period: Self.lastQuarter.description, tables: []), "tables"),
                (.init(period: Self.lastQuarter.description, tables: ["reports:age_group"]), "tables"),
                (.init(period: Self.lastQuarter.description, tables: ["reports:area+area"]), "tables"),
                (.init(period: Self.lastQuarter.description, tables: ["people:area"]), "tables"),
                (.init(period: Self.lastQuarter.description, tables: ["reports:area"], threshold: "1"), "threshold"),
                (.init(period: Self.lastQuarter.description, tables: ["reports:area"], roundingBase: "x"), "roundingBase"),
                (.init(period: Self.lastQuarter.description, method: "dp-laplace", tables: ["reports:area"], parameter: "50"), "parameter"),
                (.init(period: Self.lastQuarter.description, method: "magic", tables: ["reports:area"]), "method"),
                (.init(period: Self.lastQuarter.description, tables: ["reports:area"], revises: UUID().uuidString, revisionNote: "x"), "revises"),
            ]
            for (input, field) in cases {
                do {
                    _ = try await services.releases.create(input, identity: coordinator, address: "test")
                    Issue.record("accepted \(input)")
                } catch let error as AppError {
                    #expect(error.status == .unprocessableContent, "\(input)")
                    #expect(error.fieldErrors.contains { $0.field == field }, "\(field): \(error.fieldErrors)")
                }
            }
            #expect(try await StatisticsRelease.query(on: services.database.db).count() == demoReleases)
            // Only coordinators define releases; only administrators approve them.
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            await #expect(throws: AppError.self) {
                _ = try await services.releases.create(.init(period: Self.lastQuarter.description, tables: ["reports:area"]), identity: analyst, address: "test")
            }
            let id = try await services.releases.create(.init(period: Self.lastQuarter.description, tables: ["reports:area"]), identity: coordinator, address: "test")
            try await services.releases.propose(id, identity: coordinator, address: "test")
            do {
                try await services.releases.approve(id, identity: coordinator, address: "test")
                Issue.record("a coordinator approved")
            } catch let error as AppError { #expect(error.status == .forbidden) }
            #expect(try await services.releases.detail(id, identity: coordinator).summary.status == .proposed)
            // A year cut into more pieces than the check takes on while one waits is refused, and stays a draft.
            let big = try await services.releases.create(
                .init(period: "\(Self.lastQuarter.year)", tables: ["reports:reporter_type+exploitation_type", "reports:exploitation_type+area"]),
                identity: coordinator, address: "test")
            do {
                try await services.releases.propose(big, identity: coordinator, address: "test")
                Issue.record("a check too large to run was started")
            } catch let error as AppError { #expect(error.status == .conflict && error.detail.contains("pieces")) }
            #expect(try await services.releases.detail(big, identity: coordinator).summary.status == .draft)
        }
    }

    @Test func noiseIsRefusedPastTheYearsBudgetAndTheLedgerRecordsEverySpend() async throws {
        try await withServices(demo: true) { services, _ in
            let demoReleases = try await StatisticsRelease.query(on: services.database.db).count()
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let admin = try await DemoReports.identity("admin@demo.invalid", services)
            let year = Self.lastQuarter.year
            // ε = 1 Laplace costs ρ = 0.5 a table in the ρ ledger (cap 0.5): one table fits, two do not.
            do {
                _ = try await services.releases.create(.init(period: Self.lastQuarter.description, method: "dp-laplace",
                                                             tables: ["reports:area", "reports:exploitation_type"], parameter: "1"),
                                                       identity: coordinator, address: "test")
                Issue.record("a release past the cap was accepted")
            } catch let error as AppError { #expect(error.status == .conflict) }
            #expect(try await StatisticsRelease.query(on: services.database.db).count() == demoReleases)
            let id = try await services.releases.create(.init(period: Self.lastQuarter.description, method: "dp-laplace",
                                                              tables: ["reports:exploitation_type"], parameter: "1"), identity: coordinator, address: "test")
            let other = try await services.releases.create(.init(period: Self.lastQuarter.description, method: "dp-laplace",
                                                                 tables: ["reports:area"], parameter: "1"), identity: coordinator, address: "test")
            try await services.releases.propose(id, identity: coordinator, address: "test")
            try await services.releases.propose(other, identity: coordinator, address: "test")
            #expect(try await services.releases.detail(id, identity: coordinator).tables.isEmpty, "no noisy figure is drawn before approval")
            try await services.releases.approve(id, identity: admin, address: "test")
            let release = try await services.releases.published(id)
            #expect(release.tables.flatMap(\.cells).allSatisfy { ($0.value ?? -1) >= 0 && $0.error95 != nil })
            #expect(try await services.releases.budget(year: year).spent == 500_000)
            // The second now exceeds the cap: refused, nothing published, nothing spent.
            do {
                try await services.releases.approve(other, identity: admin, address: "test")
                Issue.record("spent past the cap")
            } catch let error as AppError { #expect(error.status == .conflict) }
            #expect(try await services.releases.budget(year: year).spent == 500_000)
            #expect(try await PrivacySpend.query(on: services.database.db).count() == 1)
            #expect(try await services.releases.detail(other, identity: coordinator).summary.status == .proposed)
        }
    }

    @Test func theReleasePagesWalkFromDraftToPublished() async throws {
        try await withApp { client, built in
            let coordinator = Browser(client)
            #expect(try await coordinator.signIn("coordinator@demo.invalid").status == .seeOther)
            // The demo's releases are listed; this one is not there yet.
            let before = try await coordinator.get("/statistics").text
            #expect(before.contains(ReleasePeriod.year(DemoReleases.year(now: Date())).label) && !before.contains(Self.lastQuarter.label))
            let form = try await coordinator.get("/statistics/new")
            #expect(form.status == .ok)
            let refused = try await coordinator.post("/statistics", [("period", "nonsense"), ("method", "suppression")])
            #expect(refused.status == .unprocessableContent)
            let created = try await coordinator.post("/statistics", [("period", Self.lastQuarter.description), ("method", "suppression"),
                                                                      ("tables", "reports:exploitation_type"), ("threshold", "10"), ("roundingBase", "5")])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(try await coordinator.post(location + "/propose").status == .seeOther)
            let page = try await coordinator.get(location)
            #expect(page.text.contains("The attacker check") && page.text.contains("Proposed for approval"))
            let admin = Browser(client)
            #expect(try await admin.signIn("admin@demo.invalid").status == .seeOther)
            #expect(try await admin.get(location + "/approve").status == .ok)
            #expect(try await admin.post(location + "/approve").status == .seeOther)
            let csv = try await client.execute(uri: location + "/release.csv", method: .get)
            #expect(csv.status == .ok && String(buffer: csv.body).hasPrefix("table,dimensions,cell,value,error95"))
            let json = try await client.execute(uri: location + "/release.json", method: .get)
            #expect(json.status == .ok)
            _ = built
        }
    }
}

extension ReleaseTests {
    /// Newest period first, and a year before its own fourth quarter (they end the same day),
    /// not after its first quarter as the text of the periods would sort.
    @Test func theListPutsAYearBeforeItsQuarters() async throws {
        try await withServices(demo: true) { services, _ in
            let (items, total) = try await services.releases.list(identity: nil, page: 1, perPage: 100)
            let periods = items.map(\.period.description)
            let year = DemoReleases.year(now: Date())
            #expect(total == items.count && total >= 6)
            let annual = try #require(periods.firstIndex(of: "\(year)"))
            let fourth = try #require(periods.firstIndex(of: "\(year)-Q4"))
            let first = try #require(periods.lastIndex(of: "\(year)-Q1"))
            #expect(annual < fourth && fourth < first, "\(periods)")
            // The revision of the third quarter comes before its first release.
            let thirds = items.filter { $0.period.description == "\(year)-Q3" }
            #expect(thirds.count == 2 && thirds.first?.revises != nil && thirds.last?.revises == nil)
            // Pages past the end are empty, not an error.
            #expect(try await services.releases.list(identity: nil, page: 50, perPage: 25).items.isEmpty)
        }
    }
}
