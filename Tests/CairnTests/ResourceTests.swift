import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Cairn

/// The resource hub over HTTP, on SQLite or PostgreSQL (`CAIRN_TEST_DATABASE_URL`): uploads by
/// page and API, types from bytes, the size limit, download headers, visibility, versions,
/// access per role, audit entries and malformed uploads.
@Suite("Resource hub")
struct ResourceTests {
    static let boundary = "----CairnTestBoundary7MA4YWxk"

    static func multipart(_ fields: [(String, String)], file: (name: String, bytes: [UInt8])?) -> [UInt8] {
        var parts = fields.map { ($0.0, String?.none, Array($0.1.utf8)) }
        if let file { parts.append(("file", file.name, file.bytes)) }
        return ResourceSniffTests.body(boundary, parts)
    }

    /// Posts a multipart form as the browser would, with its CSRF token.
    @discardableResult
    static func upload(_ browser: Browser, _ path: String, _ fields: [(String, String)], file: (name: String, bytes: [UInt8])?) async throws -> TestResponse {
        try await send(browser, path, body: multipart(fields + [("_csrf", browser.csrf)], file: file))
    }

    static func send(_ browser: Browser, _ path: String, body: [UInt8], contentType: String = "multipart/form-data; boundary=\(boundary)") async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        if !browser.cookies.isEmpty { headers[.cookie] = browser.cookieHeader }
        return try await browser.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    static func apiUpload(_ client: any TestClientProtocol, token: String?, _ fields: [(String, String)], file: (name: String, bytes: [UInt8])?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/api/v1/resources", method: .post, headers: headers, body: ByteBuffer(bytes: multipart(fields, file: file)))
    }

    static func count(_ built: BuiltApplication) async throws -> (resources: Int, files: Int, blobs: Int) {
        let db = built.services.database.db
        return (try await ResourceRecord.query(on: db).count(), try await ResourceFileRecord.query(on: db).count(), try await ResourceBlob.query(on: db).count())
    }

    static func fields(_ title: String, language: String = "ro", visibility: String = "public") -> [(String, String)] {
        [("title", title), ("language", language), ("visibility", visibility), ("kind", "leaflet"), ("summary", "Test")]
    }

    /// The trainer uploads a Romanian leaflet through the form; it is listed on the Romanian
    /// public page, which marks English-only resources "Only in English" in Romanian.
    @Test func trainerUploadsALeafletThatTheRomanianPageLists() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            #expect(try await browser.get("/hub/new").status == .ok)
            let response = try await Self.upload(browser, "/hub", Self.fields("Drepturile tale la muncă"), file: ("Drepturi.pdf", DemoResources.pdf("Drepturi")))
            #expect(response.status == .seeOther)
            let location = try #require(response.location)
            #expect(location.hasPrefix("/hub/"))
            let page = try await browser.get(location)
            #expect(page.text.contains("Drepturile tale la muncă") && page.text.contains("Romanian"))

            let anonymous = Browser(client)
            let list = try await anonymous.get("/resources?lang=ro")
            #expect(list.status == .ok)
            #expect(list.text.contains("Drepturile tale la muncă"))
            #expect(list.text.contains("lang=\"ro\""))
            // The demo's poster has no Romanian file: offered in English, marked in Romanian.
            #expect(list.text.contains("Spot the signs of modern slavery") && list.text.contains("Doar în engleză"))
            // Partners-only and withdrawn resources are not on the public page.
            #expect(!list.text.contains("Hotel staff: spotting exploitation") && !list.text.contains("Helpline poster (2024 edition)"))
            let arabic = try await anonymous.get("/resources?lang=ar")
            #expect(arabic.text.contains("dir=\"rtl\"") && arabic.text.contains("بالإنجليزية فقط"))
            // The report form links to the page in its language.
            #expect(try await anonymous.get("/report?lang=pl").text.contains("/resources?lang=pl"))
            #expect(try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "resource.uploaded").count() >= 1)
        }
    }

    /// The API contract: multipart upload → 201 {"id"}; the file streams with its sniffed type
    /// and the headers that keep a browser from running it.
    @Test func theAPIUploadsAndServesFiles() async throws {
        try await withApp { client, built in
            let trainer = try await token(for: "trainer@demo.invalid", built)
            let created = try await Self.apiUpload(client, token: trainer, Self.fields("Poster", language: "en"), file: ("poster.pdf", DemoResources.png(width: 2, height: 2, rgb: (9, 9, 9))))
            #expect(created.status == .created)
            let id = try #require(try jsonObject(created)["id"] as? String)
            let file = try await api(client, .get, "/api/v1/resources/\(id)/file", token: nil)
            #expect(file.status == .ok)
            // Named .pdf, but its bytes are a PNG: served as one.
            #expect(file.headers[.contentType] == "image/png")
            #expect(file.headers[.contentDisposition]?.hasPrefix("inline; filename=\"poster.png\"") == true)
            #expect(file.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(file.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            #expect(Array(file.body.readableBytesView) == DemoResources.png(width: 2, height: 2, rgb: (9, 9, 9)))

            let docx = try await Self.apiUpload(client, token: trainer, Self.fields("Guide", language: "pl", visibility: "partners"), file: ("guide.docx", ResourceSniffTests.docx))
            #expect(docx.status == .created)
            let docxID = try #require(try jsonObject(docx)["id"] as? String)
            #expect(try await api(client, .get, "/api/v1/resources/\(docxID)/file", token: nil).status == .notFound)
            let viewer = try await token(for: "viewer@demo.invalid", built)
            let partners = try await api(client, .get, "/api/v1/resources/\(docxID)/file", token: viewer)
            #expect(partners.status == .ok)
            #expect(partners.headers[.contentType] == ResourceFileType.docx.mediaType)
            #expect(partners.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"guide.docx\"") == true)
            #expect(try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "resource.downloaded").filter(\.$recordID == docxID.uppercased()).count() == 1)

            // The page download serves the same way, by file id.
            let fileID = try #require(try await ResourceFileRecord.query(on: built.services.database.db).filter(\.$resourceID == UUID(uuidString: id)!).first()?.id)
            let page = try await client.execute(uri: "/resources/files/\(fileID.uuidString)", method: .get)
            #expect(page.status == .ok && page.headers[.contentType] == "image/png")

            let list = try await api(client, .get, "/api/v1/resources?lang=pl", token: nil)
            #expect(list.status == .ok)
            let items = try #require(try jsonObject(list)["items"] as? [[String: Any]])
            #expect(items.contains { $0["fallback"] as? Bool == true } && items.contains { $0["language"] as? String == "pl" })
            #expect(!list.text.contains("Guide"))

            // Without a token, or without the permission, nothing is saved.
            let before = try await Self.count(built)
            #expect(try await Self.apiUpload(client, token: nil, Self.fields("X"), file: ("x.txt", Array("x".utf8))).status == .unauthorized)
            let practitioner = try await token(for: "practitioner@demo.invalid", built)
            #expect(try await Self.apiUpload(client, token: practitioner, Self.fields("X"), file: ("x.txt", Array("x".utf8))).status == .forbidden)
            let coordinator = try await token(for: "coordinator@demo.invalid", built)
            #expect(try await Self.apiUpload(client, token: coordinator, Self.fields("X"), file: ("x.txt", Array("x".utf8))).status == .created)
            #expect(try await Self.count(built).resources == before.resources + 1)
        }
    }

    /// HTML or a program renamed .pdf, a plain ZIP, a missing file or field: refused with a
    /// message, nothing saved.
    @Test func theTypeComesFromTheBytes() async throws {
        try await withApp { client, built in
            let trainer = try await token(for: "trainer@demo.invalid", built)
            let before = try await Self.count(built)
            for bytes in [ResourceSniffTests.html, ResourceSniffTests.elf, ResourceSniffTests.pe, ResourceSniffTests.zip(["a.txt"])] {
                let response = try await Self.apiUpload(client, token: trainer, Self.fields("Renamed"), file: ("leaflet.pdf", bytes))
                #expect(response.status == .unsupportedMediaType)
                #expect(response.text.contains("whatever its name says") || response.text.contains("ZIP archive"))
            }
            let missing = try await Self.apiUpload(client, token: trainer, [("title", "No file"), ("language", "en"), ("visibility", "public")], file: nil)
            #expect(missing.status == .badRequest || missing.status == .unprocessableContent)
            let badLanguage = try await Self.apiUpload(client, token: trainer, Self.fields("X", language: "xx"), file: ("x.txt", Array("x".utf8)))
            #expect(badLanguage.status == .unprocessableContent && badLanguage.text.contains("language"))
            #expect(try await Self.count(built) == before)

            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            try await browser.get("/hub/new")
            let page = try await Self.upload(browser, "/hub", Self.fields("Renamed page"), file: ("leaflet.pdf", ResourceSniffTests.html))
            #expect(page.status == .unsupportedMediaType)
            #expect(page.text.contains("error-summary") && page.text.contains("whatever its name says") && page.text.contains("Renamed page"))
            #expect(try await Self.count(built) == before)
        }
    }

    /// A file over the configured limit is 413 with the limit in the message; nothing is
    /// saved. Other routes keep the ordinary body limit.
    @Test func filesOverTheLimitAre413() async throws {
        try await withApp(configure: { $0.resourceMaxBytes = 2048; $0.maxBodyBytes = 4096 }) { client, built in
            let trainer = try await token(for: "trainer@demo.invalid", built)
            let before = try await Self.count(built)
            let big = Array(repeating: UInt8(ascii: "a"), count: 3000)
            let response = try await Self.apiUpload(client, token: trainer, Self.fields("Big"), file: ("big.txt", big))
            #expect(response.status == .contentTooLarge)
            #expect(response.text.contains("up to 2 KB"))
            let huge = Array(repeating: UInt8(ascii: "a"), count: 200_000)
            let refused = try await Self.apiUpload(client, token: trainer, Self.fields("Huge"), file: ("huge.txt", huge))
            #expect(refused.status == .contentTooLarge)

            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            try await browser.get("/hub/new")
            let page = try await Self.upload(browser, "/hub", Self.fields("Big page"), file: ("big.txt", big))
            #expect(page.status == .contentTooLarge && page.text.contains("up to 2 KB"))
            #expect(try await Self.count(built) == before)
            // Not an upload route: the ordinary limit still applies.
            let goal = try await browser.post("/plan/goals", [("title", String(repeating: "g", count: 10_000))])
            #expect(goal.status == .contentTooLarge)
        }
    }

    /// A new version replaces the current one; the older stays downloadable for partners only.
    @Test func versionsKeepTheOlderFileForPartners() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            try await browser.get("/hub/new")
            let created = try await Self.upload(browser, "/hub", Self.fields("Versions", language: "en"), file: ("v1.txt", Array("version one".utf8)))
            let location = try #require(created.location)
            let id = try #require(UUID(uuidString: String(location.dropFirst("/hub/".count))))
            try await browser.get("/hub/\(id.uuidString)/versions/new?language=en")
            let added = try await Self.upload(browser, "/hub/\(id.uuidString)/versions", [("language", "en")], file: ("v2.txt", Array("version two".utf8)))
            #expect(added.status == .seeOther)
            let files = try await ResourceFileRecord.query(on: built.services.database.db).filter(\.$resourceID == id).sort(\.$version).all()
            #expect(files.map(\.version) == [1, 2] && files.map(\.current) == [false, true])
            let old = try files[0].requireID(), current = try files[1].requireID()
            let anonymous = Browser(client)
            #expect(try await anonymous.get("/resources/files/\(old.uuidString)").status == .notFound)
            #expect(try await anonymous.get("/resources/files/\(current.uuidString)").text == "version two")
            #expect(try await browser.get("/resources/files/\(old.uuidString)").text == "version one")
            let show = try await browser.get("/hub/\(id.uuidString)")
            #expect(show.text.contains("Earlier versions") && show.text.contains("/resources/files/\(old.uuidString)"))
            #expect(try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "resource.version.added").filter(\.$recordID == id.uuidString).count() == 1)

            // Edit, then withdraw after confirming: off the public page, audited.
            try await browser.get("/hub/\(id.uuidString)/edit")
            let edited = try await browser.post("/hub/\(id.uuidString)", [("title", "Versions edited"), ("kind", "guide"), ("visibility", "public")])
            #expect(edited.status == .seeOther)
            let invalid = try await browser.post("/hub/\(id.uuidString)", [("title", ""), ("kind", "nonsense"), ("visibility", "public")])
            #expect(invalid.status == .unprocessableContent && invalid.text.contains("Enter a title"))
            #expect(try await anonymous.get("/resources?lang=en").text.contains("Versions edited"))
            let confirm = try await browser.get("/hub/\(id.uuidString)/withdraw")
            #expect(confirm.status == .ok && confirm.text.contains("Withdraw the resource"))
            #expect(try await browser.post("/hub/\(id.uuidString)/withdraw").status == .seeOther)
            #expect(!(try await anonymous.get("/resources?lang=en").text.contains("Versions edited")))
            #expect(try await anonymous.get("/resources/files/\(current.uuidString)").status == .notFound)
            let db = built.services.database.db
            for action in ["resource.uploaded", "resource.updated", "resource.withdrawn"] {
                #expect(try await AuditEntry.query(on: db).filter(\.$action == action).filter(\.$recordID == id.uuidString).count() == 1)
            }
        }
    }

    /// Every signed-in role reads the hub; only trainers and coordinators change it.
    @Test func accessPerRole() async throws {
        try await withApp { client, _ in
            for (email, manages) in [("trainer@demo.invalid", true), ("coordinator@demo.invalid", true), ("viewer@demo.invalid", false),
                                     ("practitioner@demo.invalid", false), ("analyst@demo.invalid", false)] {
                let browser = Browser(client)
                try await browser.signIn(email)
                let hub = try await browser.get("/hub")
                #expect(hub.status == .ok && hub.text.contains("Resource hub"))
                #expect(hub.text.contains("Know your rights at work"))
                #expect(hub.text.contains("href=\"/hub/new\"") == manages)
                #expect(try await browser.get("/hub/new").status == (manages ? .ok : .forbidden))
            }
            let anonymous = Browser(client)
            #expect(try await anonymous.get("/hub").status != .ok)
            #expect(try await anonymous.get("/resources").status == .ok)
            #expect(AccessPolicy.allows([.trainer], .manageResources) && !AccessPolicy.allows([.viewer], .manageResources))
        }
    }

    /// Malformed uploads are 400 with a message and change nothing.
    @Test func malformedUploadsAre400() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            try await browser.get("/hub/new")
            let before = try await Self.count(built)
            let truncated = Array(Self.multipart(Self.fields("T") + [("_csrf", browser.csrf)], file: ("a.txt", Array("a".utf8))).dropLast(10))
            let response = try await Self.send(browser, "/hub", body: truncated)
            #expect(response.status == .badRequest && response.text.contains("could not be read"))
            let noBoundary = try await Self.send(browser, "/hub", body: Array("x".utf8), contentType: "multipart/form-data")
            #expect(noBoundary.status.code >= 400 && noBoundary.status.code < 500)
            let form = try await browser.post("/hub", [("title", "Not multipart")])
            #expect(form.status == .badRequest && form.text.contains("multipart/form-data"))
            let trainer = try await token(for: "trainer@demo.invalid", built)
            var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(Self.boundary)", .authorization: "Bearer \(trainer)"]
            let api = try await client.execute(uri: "/api/v1/resources", method: .post, headers: headers, body: ByteBuffer(bytes: truncated))
            #expect(api.status == .badRequest)
            headers[.contentType] = "application/json"
            let json = try await client.execute(uri: "/api/v1/resources", method: .post, headers: headers, body: ByteBuffer(string: "{\"title\":\"x\"}"))
            #expect(json.status.code >= 400 && json.status.code < 500)
            #expect(try await Self.count(built) == before)
            #expect(try await client.execute(uri: "/resources/files/not-an-id", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/resources/\(UUID().uuidString)/file", method: .get).status == .notFound)
        }
    }
}
