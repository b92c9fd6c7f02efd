import CairnCore
import Crypto
import Disclosure
import FluentKit
import Foundation
import HummingbirdTesting
import Testing

@testable import Cairn

/// A national instance: partnerships registered with their keys, releases received over HTTP
/// and checked, refused ones leaving nothing behind, and national tables summed from
/// published cells only.
@Suite struct NationalTests {
    /// Signed releases from a fictional partnership, made by the same core as the demo's.
    static func chain(_ id: String, seed: UInt64, periods: [String]) throws -> (key: Curve25519.Signing.PrivateKey, releases: [SignedRelease]) {
        let key = Curve25519.Signing.PrivateKey()
        var generator = SeededGenerator(seed: seed)
        let records = periods.filter { $0.count == 7 }.flatMap { DemoNational.people(50, quarter: $0, using: &generator) }
        var chain = DemoNational.Chain(partnership: id, key: key)
        return (key, try periods.map { try chain.next(period: $0, records: records) })
    }

    static func json(_ release: SignedRelease) throws -> String { String(decoding: try JSONEncoder().encode(release), as: UTF8.self) }

    static func count(_ services: AppServices) async throws -> Int { try await NationalRelease.query(on: services.database.db).count() }

    static func register(_ id: String, region: String, key: Curve25519.Signing.PrivateKey, _ services: AppServices) async throws {
        _ = try await services.national.register(.init(id: id, name: id.capitalized, region: region,
                                                       publicKey: key.publicKey.rawRepresentation.base64EncodedString()),
                                                 actor: .system, address: "test")
    }

    @Test func releasesAreVerifiedAndRefusedOnesLeaveNothing() async throws {
        try await withApp(configure: { $0.national = true; $0.demo = false }) { client, built in
            let services = built.services
            let a = try Self.chain("alderley", seed: 5, periods: ["2025-Q1", "2025-Q2", "2025-Q3"])
            let b = try Self.chain("brookvale", seed: 9, periods: ["2025-Q1"])
            let admin = try await token(for: "admin@demo.invalid", built)
            let viewer = try await token(for: "viewer@demo.invalid", built)
            // Registering: administrators only, through the API; a bad key is a 422.
            let body = #"{"id":"alderley","name":"Alderley","region":"North West","publicKey":"\#(a.key.publicKey.rawRepresentation.base64EncodedString())"}"#
            #expect(try await api(client, .post, "/api/v1/national/partnerships", token: viewer, json: body).status == .forbidden)
            #expect(try await api(client, .post, "/api/v1/national/partnerships", token: admin,
                                  json: #"{"id":"alderley","name":"A","region":"R","publicKey":"bm90IGEga2V5"}"#).status == .unprocessableContent)
            #expect(try await api(client, .post, "/api/v1/national/partnerships", token: admin, json: body).status == .created)
            #expect(try await api(client, .post, "/api/v1/national/partnerships", token: admin, json: body).status == .conflict)
            try await Self.register("brookvale", region: "North West", key: b.key, services)

            let first = try await api(client, .post, "/api/v1/national/releases", token: nil, json: try Self.json(a.releases[0]))
            #expect(first.status == .created, "\(String(buffer: first.body))")
            let receipt = try jsonObject(first)
            #expect(receipt["sequence"] as? Int == 1 && receipt["hash"] as? String == a.releases[0].hash && receipt["exposed"] as? Int == 0)

            // Each way a release can be wrong, refused with its reason, and nothing stored.
            let second = try Self.json(a.releases[1])
            let digit = try #require(second.range(of: #""value":[1-9]"#, options: .regularExpression))
            var tampered = second
            let last = tampered.index(before: digit.upperBound)
            tampered.replaceSubrange(last...last, with: tampered[last] == "9" ? "8" : "9")
            var unsigned = a.releases[1]
            unsigned.signature = ""
            let wrongKey = try a.releases[1].signed(with: b.key)
            var stranger = a.releases[0]
            stranger.partnership = "castleton"
            let cases: [(String, String)] = [
                (tampered, "does not match"), (try Self.json(a.releases[0]), "already been accepted"),
                (try Self.json(a.releases[2]), "out of order"), (try Self.json(unsigned), "not signed"),
                (try Self.json(wrongKey), "does not match"), (try Self.json(try stranger.signed(with: a.key)), "not registered"),
                (try Self.json(b.releases[0]).replacingOccurrences(of: "\"period\":\"2025-Q1\"", with: "\"period\":\"2025-Q9\""), "does not match"),
            ]
            for (json, reason) in cases {
                let response = try await api(client, .post, "/api/v1/national/releases", token: nil, json: json)
                #expect(response.status == .unprocessableContent, "\(reason): \(response.status)")
                #expect(String(buffer: response.body).contains(reason), "\(String(buffer: response.body))")
                #expect(try await Self.count(services) == 1)
            }
            #expect(try await api(client, .post, "/api/v1/national/releases", token: nil, json: "{\"not\":\"a release\"}").status == .badRequest)
            var search = AuditLog.Search()
            search.action = "national.release_rejected"
            #expect(try await services.audit.search(search).total == cases.count)

            // The rest in order; the tables add the partnerships up.
            for release in a.releases.dropFirst() + b.releases {
                #expect(try await api(client, .post, "/api/v1/national/releases", token: nil, json: try Self.json(release)).status == .created)
            }
            #expect(try await Self.count(services) == 4)
            let table = try jsonObject(try await api(client, .get, "/api/v1/national/tables?period=2025-Q1&table=People%20referred%20by%20exploitation%20type",
                                                     token: viewer))
            #expect(table["regions"] as? [String] == ["North West"])
            let rows = try #require(table["rows"] as? [[String: Any]])
            let total = try #require(rows.first { ($0["key"] as? [String: String])?.isEmpty == true })
            let cells = try #require(total["cells"] as? [[String: Any]])
            let published = [a.releases[0], b.releases[0]].compactMap { r in
                r.tables.first { $0.name == "People referred by exploitation type" }?.cells.first { $0.key.isEmpty }?.value
            }
            #expect(cells.last?["state"] as? String == "published")
            #expect(cells.last?["value"] as? Int == published.reduce(0, +))
            #expect(try await api(client, .get, "/api/v1/national/tables?period=1999", token: viewer).status == .notFound)
            #expect(try await api(client, .get, "/api/v1/national/tables", token: nil).status == .unauthorized)
        }
    }

    @Test func theNationalPagesShowOnlyTheNationalSide() async throws {
        try await withApp(configure: { $0.national = true }) { client, built in
            let browser = Browser(client)
            #expect(try await browser.get("/").status == .seeOther)
            _ = try await browser.signIn("viewer@demo.invalid")
            let page = try await browser.get("/national")
            #expect(page.status == .ok)
            #expect(page.text.contains("West Midlands") && page.text.contains("East of England"))
            #expect(page.text.contains("id=\"national-trend\""))
            let csv = try await browser.get("/national/table.csv?period=2025&table=People+referred+by+age+group")
            #expect(csv.status == .ok && csv.text.hasPrefix("period,table,cell,region"))
            let partnership = try await browser.get("/national/partnerships/westmere")
            #expect(partnership.status == .ok && partnership.text.contains("Revision"))
            let releaseLink = try #require(partnership.text.range(of: #"/national/releases/[0-9A-F-]{36}"#, options: .regularExpression))
            #expect(try await browser.get(String(partnership.text[releaseLink])).status == .ok)
            // A viewer cannot register; nothing of a partnership's own is served here.
            #expect(try await browser.get("/national/partnerships/new").status == .forbidden)
            for path in ["/reports", "/cases", "/statistics", "/partnership", "/insight"] {
                #expect(try await browser.get(path).status == .notFound, "\(path)")
            }
            let token = try await token(for: "admin@demo.invalid", built)
            #expect(try await api(client, .get, "/api/v1/reports", token: token).status == .notFound)
            #expect(try await api(client, .get, "/api/v1/releases", token: nil).status == .notFound)
            // The administrator registers through the form; a bad key is shown beside its field.
            let admin = Browser(client)
            _ = try await admin.signIn("admin@demo.invalid")
            #expect(try await admin.get("/national/partnerships/new").status == .ok)
            let refused = try await admin.post("/national/partnerships", [("id", "Not An Id!"), ("name", "X"), ("region", "Y"), ("publicKey", "abc")])
            #expect(refused.status == .unprocessableContent && refused.text.contains("publicKey-error") && refused.text.contains("id-error"))
            let key = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString()
            let made = try await admin.post("/national/partnerships", [("id", "southmoor"), ("name", "Southmoor"), ("region", "South West"), ("publicKey", key)])
            #expect(made.status == .seeOther)
            #expect(try await NationalPartnership.find("southmoor", on: built.services.database.db)?.region == "South West")
        }
    }

    @Test func aPartnershipInstanceServesNoNationalSide() async throws {
        try await withApp(demo: false) { client, _ in
            let receive = try await api(client, .post, "/api/v1/national/releases", token: nil, json: "{}")
            #expect(receive.status == .notFound)
            let page = try await Browser(client).get("/national")
            #expect(page.status == .notFound)
        }
    }
}

/// The statistics settings are read from the environment and refused when wrong.
@Suite struct StatisticsSettingsTests {
    @Test func theStatisticsAndNationalSettingsAreReadAndChecked() throws {
        let config = try AppConfig.load(environment: ["CAIRN_PARTNERSHIP_ID": "Eastbrook", "CAIRN_RELEASE_AREAS": "EB1, eb2",
                                                      "CAIRN_PRIVACY_BUDGET": "epsilon:2", "CAIRN_NATIONAL": "true", "CAIRN_NATIONAL_THRESHOLD": "11"])
        #expect(config.partnershipID == "eastbrook" && config.releaseAreas == ["EB1", "EB2"])
        #expect(config.privacyMeasure == "epsilon" && config.privacyCapMicros == 2_000_000)
        #expect(config.national && config.nationalThreshold == 11)
        let defaults = try AppConfig.load(environment: [:])
        #expect(defaults.partnershipID == "westmere" && !defaults.national && defaults.nationalThreshold == 10)
        for (name, bad) in [("CAIRN_PARTNERSHIP_ID", "no spaces"), ("CAIRN_RELEASE_AREAS", "NOT A DISTRICT"), ("CAIRN_PRIVACY_BUDGET", "delta:1"),
                            ("CAIRN_NATIONAL", "perhaps"), ("CAIRN_NATIONAL_THRESHOLD", "1")] {
            #expect(throws: AppConfig.Invalid.self, "\(name)=\(bad)") { try AppConfig.load(environment: [name: bad]) }
        }
    }
}
