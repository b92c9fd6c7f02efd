import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Cairn

/// `POST /api/v1/resources/{id}/versions`: a new version by API with the same checks as the
/// hub's page (bytes sniffed, size limit, permissions, unknown id), a note kept with the
/// version, and uploads of the same resource and language at once all kept with distinct
/// version numbers, never a 500 — on SQLite and PostgreSQL.
@Suite struct ResourceVersionAPITests {
    static func post(_ client: any TestClientProtocol, _ id: String, token: String?, _ fields: [(String, String)],
                     file: (name: String, bytes: [UInt8])?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(ResourceTests.boundary)"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/api/v1/resources/\(id)/versions", method: .post, headers: headers,
                                        body: ByteBuffer(bytes: ResourceTests.multipart(fields, file: file)))
    }

    static func resource(_ client: any TestClientProtocol, token: String) async throws -> String {
        let created = try await ResourceTests.apiUpload(client, token: token, ResourceTests.fields("API versions", language: "en"), file: ("v1.txt", Array("one".utf8)))
        #expect(created.status == .created)
        return try #require(try jsonObject(created)["id"] as? String)
    }

    @Test func aTrainerAddsAVersionByAPI() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let trainer = try await token(for: "trainer@demo.invalid", built)
            let id = try await Self.resource(client, token: trainer)
            let added = try await Self.post(client, id, token: trainer, [("language", "EN"), ("note", "New helpline number")], file: ("v2.txt", Array("two".utf8)))
            #expect(added.status == .created)
            let body = try jsonObject(added)
            #expect(body["version"] as? Int == 2)
            let fileID = try #require((body["id"] as? String).flatMap(UUID.init(uuidString:)))
            let stored = try #require(try await ResourceFileRecord.find(fileID, on: db))
            #expect(stored.version == 2 && stored.current && stored.language == "en" && stored.note == "New helpline number")
            let file = try await api(client, .get, "/api/v1/resources/\(id)/file", token: nil)
            #expect(String(buffer: file.body) == "two")
            // A first file in another language is its version 1.
            let polish = try await Self.post(client, id, token: trainer, [("language", "pl")], file: ("pl.txt", Array("dwa".utf8)))
            let polishVersion = try jsonObject(polish)["version"] as? Int
            #expect(polish.status == .created && polishVersion == 1)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "resource.version.added").filter(\.$recordID == id).count() == 2)
            // The hub page shows the note.
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            #expect(try await browser.get("/hub/\(id)").text.contains("New helpline number"))
        }
    }

    @Test func refusalsChangeNothing() async throws {
        try await withApp(configure: { $0.resourceMaxBytes = 2048; $0.maxBodyBytes = 4096 }) { client, built in
            let trainer = try await token(for: "trainer@demo.invalid", built)
            let id = try await Self.resource(client, token: trainer)
            let before = try await ResourceTests.count(built)
            let big = try await Self.post(client, id, token: trainer, [("language", "en")], file: ("big.txt", Array(repeating: UInt8(ascii: "a"), count: 3000)))
            #expect(big.status == .contentTooLarge && big.text.contains("up to 2 KB"))
            let exe = try await Self.post(client, id, token: trainer, [("language", "en")], file: ("x.pdf", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]))
            #expect(exe.status == .unsupportedMediaType)
            let noFile = try await Self.post(client, id, token: trainer, [("language", "en")], file: nil)
            #expect(noFile.status == .badRequest)  // the spec requires the part
            let badLanguage = try await Self.post(client, id, token: trainer, [("language", "xx")], file: ("v.txt", Array("v".utf8)))
            #expect(badLanguage.status == .unprocessableContent)
            let longNote = try await Self.post(client, id, token: trainer, [("language", "en"), ("note", String(repeating: "n", count: 501))], file: ("v.txt", Array("v".utf8)))
            #expect([.unprocessableContent, .badRequest].contains(longNote.status))
            #expect(try await Self.post(client, UUID().uuidString, token: trainer, [("language", "en")], file: ("v.txt", Array("v".utf8))).status == .notFound)
            #expect(try await Self.post(client, "not-a-uuid", token: trainer, [("language", "en")], file: ("v.txt", Array("v".utf8))).status == .notFound)
            let viewer = try await token(for: "viewer@demo.invalid", built)
            #expect(try await Self.post(client, id, token: viewer, [("language", "en")], file: ("v.txt", Array("v".utf8))).status == .forbidden)
            #expect(try await Self.post(client, id, token: nil, [("language", "en")], file: ("v.txt", Array("v".utf8))).status == .unauthorized)
            var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(trainer)"]
            let json = try await client.execute(uri: "/api/v1/resources/\(id)/versions", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(json.status.code >= 400 && json.status.code < 500)
            headers[.contentType] = "multipart/form-data; boundary=\(ResourceTests.boundary)"
            let truncated = Array(ResourceTests.multipart([("language", "en")], file: ("v.txt", Array("v".utf8))).dropLast(20))
            let cut = try await client.execute(uri: "/api/v1/resources/\(id)/versions", method: .post, headers: headers, body: ByteBuffer(bytes: truncated))
            #expect(cut.status == .badRequest)
            #expect(try await ResourceTests.count(built) == before)
        }
    }

    /// Two uploads of a new version of one resource and language at once: both kept, numbers
    /// 2 and 3, exactly one current; never a 500. Then five at once through the service.
    @Test func concurrentVersionsAreAllKeptWithDistinctNumbers() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let trainer = try await token(for: "trainer@demo.invalid", built)
            let id = try await Self.resource(client, token: trainer)
            async let a = Self.post(client, id, token: trainer, [("language", "en")], file: ("a.txt", Array("version a".utf8)))
            async let b = Self.post(client, id, token: trainer, [("language", "en")], file: ("b.txt", Array("version b".utf8)))
            let (first, second) = try await (a, b)
            #expect(first.status == .created && second.status == .created, "\(first.status) \(first.text) / \(second.status) \(second.text)")
            let versions = Set([try jsonObject(first)["version"] as? Int, try jsonObject(second)["version"] as? Int])
            #expect(versions == [2, 3])
            guard let resource = UUID(uuidString: id) else { Issue.record("bad id"); return }
            var files = try await ResourceFileRecord.query(on: db).filter(\.$resourceID == resource).filter(\.$language == "en").all()
            #expect(files.map(\.version).sorted() == [1, 2, 3] && files.filter(\.current).map(\.version) == [3])

            let services = built.services
            let identity = try await DemoReports.identity("coordinator@demo.invalid", services)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<5 {
                    group.addTask {
                        try await services.resources.addVersion(resource, language: "en", upload: .init(fileName: "n.txt", bytes: Array("n\(n)".utf8)),
                                                                identity: identity, address: "test").version
                    }
                }
                var numbers: [Int] = []
                for try await number in group { numbers.append(number) }
                #expect(numbers.sorted() == [4, 5, 6, 7, 8])
            }
            files = try await ResourceFileRecord.query(on: db).filter(\.$resourceID == resource).filter(\.$language == "en").all()
            #expect(files.count == 8 && files.filter(\.current).map(\.version) == [8])
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "resource.version.added").filter(\.$recordID == id).count() == 7)
        }
    }

    @Test func aClashThatKeepsHappeningIs409() async throws {
        let error = ResourceService.versionClash(language: "ro")
        #expect(error.status == .conflict && error.detail.contains("Romanian") && error.detail.contains("upload it again"))
    }
}
