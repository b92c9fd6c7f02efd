import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

@Suite struct APITests {
    @Test func currentUserAndAgencies() async throws {
        try await withApp { client, built in
            let token = try await token(for: "analyst@demo.invalid", built)
            let me = try await api(client, .get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(try jsonObject(me)["email"] as? String == "analyst@demo.invalid")
            let agencies = try await api(client, .get, "/api/v1/agencies?sort=area", token: token)
            let items = try jsonObject(agencies)["items"] as? [[String: Any]] ?? []
            #expect(items.count >= 15)
            #expect(Set(items.compactMap { $0["type"] as? String }).count >= 8)
            let none = try await api(client, .get, "/api/v1/me", token: nil)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.contentType] == "application/problem+json")
            let bogus = try await api(client, .get, "/api/v1/me", token: "cairn_not-a-real-token")
            #expect(bogus.status == .unauthorized)
            let forbidden = try await api(client, .get, "/api/v1/users", token: token)
            #expect(forbidden.status == .forbidden)
            #expect(try jsonObject(forbidden)["detail"] as? String != nil)
        }
    }

    @Test func administratorCreatesAndUpdatesThroughTheAPI() async throws {
        try await withApp { client, built in
            let token = try await token(for: "admin@demo.invalid", built)
            let created = try await api(client, .post, "/api/v1/agencies", token: token, json: #"{"name":"Eastgate Outreach","type":"ngo","area":"Eastgate","firstResponder":true}"#)
            #expect(created.status == .created)
            let agencyID = try #require(try jsonObject(created)["id"] as? String)
            #expect(try jsonObject(created)["htcdsOrganisationType"] as? String == "NGO")
            let patched = try await api(client, .patch, "/api/v1/agencies/\(agencyID)", token: token, json: #"{"area":"Eastgate and Westgate"}"#)
            #expect(try jsonObject(patched)["area"] as? String == "Eastgate and Westgate")
            #expect(try jsonObject(patched)["name"] as? String == "Eastgate Outreach")
            let user = try await api(client, .post, "/api/v1/users", token: token,
                                     json: #"{"email":"api.person@demo.invalid","displayName":"Api Person","agencyId":"\#(agencyID)","roles":["practitioner"]}"#)
            #expect(user.status == .created)
            let body = try jsonObject(user)
            #expect((body["temporaryPassword"] as? String)?.isEmpty == false)
            let userID = try #require((body["user"] as? [String: Any])?["id"] as? String)
            let updated = try await api(client, .patch, "/api/v1/users/\(userID)", token: token, json: #"{"roles":["practitioner","trainer"],"disabled":true}"#)
            #expect(updated.status == .ok)
            #expect(try jsonObject(updated)["disabled"] as? Bool == true)
            let page = try await api(client, .get, "/api/v1/users?q=api.person&perPage=5", token: token)
            #expect(try jsonObject(page)["total"] as? Int == 1)
            let missing = try await api(client, .get, "/api/v1/users/\(UUID().uuidString)", token: token)
            #expect(missing.status == .notFound)
        }
    }

    /// Every malformed request gets a clear 4xx problem document and changes nothing.
    @Test func badInputIsRefusedClearlyAndChangesNothing() async throws {
        try await withApp(configure: { $0.maxBodyBytes = 4096 }) { client, built in
            let token = try await token(for: "admin@demo.invalid", built)
            let db = built.services.database.db
            let agencies = try await Agency.query(on: db).count()
            let users = try await User.query(on: db).count()
            let agencyID = try #require(try await Agency.query(on: db).first()?.id?.uuidString)
            let long = String(repeating: "x", count: 500)
            let cases: [(String, String, [UInt8]?, HTTPResponse.Status, String)] = [
                ("/api/v1/agencies", #"{"name": "Broken""#, nil, .badRequest, "not valid JSON"),
                ("/api/v1/agencies", #"{"name": 42, "type": "ngo", "area": "x"}"#, nil, .badRequest, "'name' has the wrong type"),
                ("/api/v1/agencies", #"{"name": "Valid Name", "type": "spaceship", "area": "x"}"#, nil, .badRequest, "'type'"),
                ("/api/v1/agencies", #"{"name": "Valid Name", "area": "x"}"#, nil, .badRequest, "Missing field 'type'"),
                ("/api/v1/agencies", #"{"name": "Valid Name", "type": "ngo", "area": "x", "colour": "red"}"#, nil, .badRequest, "colour"),
                ("/api/v1/agencies", #"{"name": "\#(long)", "type": "ngo", "area": "x"}"#, nil, .unprocessableContent, "120 characters or fewer"),
                ("/api/v1/agencies", #"{"name": "   ", "type": "ngo", "area": "x"}"#, nil, .unprocessableContent, "Enter name"),
                ("/api/v1/agencies", "", [0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D], .badRequest, ""),
                ("/api/v1/agencies", #"{"name": "\#(String(repeating: "y", count: 5000))", "type": "ngo", "area": "x"}"#, nil, .contentTooLarge, "limit"),
                ("/api/v1/users", #"{"email": "admin@demo.invalid", "displayName": "Dup", "agencyId": "\#(agencyID)", "roles": ["viewer"]}"#, nil, .conflict, "already exists"),
                ("/api/v1/users", #"{"email": "x@demo.invalid", "displayName": "X", "agencyId": "\#(agencyID)", "roles": ["emperor"]}"#, nil, .badRequest, "'roles"),
                ("/api/v1/users", #"{"email": "x@demo.invalid", "displayName": "X", "agencyId": "\#(agencyID)", "roles": []}"#, nil, .unprocessableContent, "at least one role"),
                ("/api/v1/users", #"{"email": "x@demo.invalid", "displayName": "X", "agencyId": "\#(UUID().uuidString)", "roles": ["viewer"]}"#, nil, .unprocessableContent, "no such agency"),
                ("/api/v1/users", #"{"email": "x@demo.invalid", "displayName": "X", "agencyId": "\#(agencyID)", "roles": ["viewer"], "password": "short"}"#, nil, .unprocessableContent, "at least 12"),
                ("/api/v1/users", #"["not", "an", "object"]"#, nil, .badRequest, ""),
            ]
            for (path, json, raw, status, message) in cases {
                let response = try await api(client, .post, path, token: token, json: raw == nil ? json : nil, rawBody: raw)
                #expect(response.status == status, "\(json.prefix(60)) → \(response.status.code): \(response.text.prefix(200))")
                #expect(response.headers[.contentType] == "application/problem+json", "\(json.prefix(60))")
                let detail = try jsonObject(response)["detail"] as? String ?? ""
                #expect(!detail.isEmpty)
                if !message.isEmpty { #expect(detail.contains(message) || response.text.contains(message), "\(json.prefix(60)): \(detail)") }
            }
            #expect(try await Agency.query(on: db).count() == agencies)
            #expect(try await User.query(on: db).count() == users)
            let badQuery = try await api(client, .get, "/api/v1/users?perPage=100000", token: token)
            #expect(badQuery.status == .badRequest)
            let badID = try await api(client, .get, "/api/v1/agencies/not-a-uuid", token: token)
            #expect(badID.status == .notFound)
        }
    }

    @Test func specIsServed() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("operationId: createAgency"))
        }
    }
}
