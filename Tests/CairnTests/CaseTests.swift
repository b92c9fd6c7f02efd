import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

@Suite struct CaseTests {
    /// The contract: the demo caseworker is on a case team; caseworker2 and the analyst are not,
    /// and get 404 for every page and API operation of it; each access is audited.
    @Test func onlyTheCaseTeamSeesACase() async throws {
        try await withApp { client, built in
            let caseworker = try await token(for: "caseworker@demo.invalid", built)
            let list = try await send(client, .get, "/api/v1/cases", token: caseworker)
            #expect(list.status == .ok)
            let items = try jsonObject(list)["items"] as? [[String: Any]] ?? []
            #expect(items.count == 3)
            let id = try #require(items.first?["id"] as? String)
            #expect(try await send(client, .get, "/api/v1/cases/\(id)", token: caseworker).status == .ok)

            let outsider = try await token(for: "caseworker2@demo.invalid", built)
            let theirs = try jsonObject(try await send(client, .get, "/api/v1/cases", token: outsider))["items"] as? [[String: Any]]
            #expect(theirs?.isEmpty == true)
            #expect(try await send(client, .get, "/api/v1/cases/\(id)", token: outsider).status == .notFound)
            #expect(try await send(client, .get, "/api/v1/cases/\(UUID().uuidString)", token: outsider).status == .notFound)
            let analyst = try await token(for: "analyst@demo.invalid", built)
            #expect(try await send(client, .get, "/api/v1/cases", token: analyst).status == .forbidden)
            #expect(try await send(client, .get, "/api/v1/cases/\(id)", token: analyst).status == .forbidden)

            let browser = Browser(client)
            try await browser.signIn("caseworker2@demo.invalid")
            for path in ["/cases/\(id)", "/cases/\(id)/identity"] {
                #expect(try await browser.get(path).status == .notFound, "\(path)")
            }
            try await browser.get("/cases")
            for (path, fields) in [("/cases/\(id)/team", [("email", "caseworker2@demo.invalid")]), ("/cases/\(id)/status", [("status", "closed")])] {
                #expect(try await browser.post(path, fields).status == .notFound, "\(path)")
            }
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get("/cases/\(id)").status == .forbidden)

            let db = built.services.database.db
            let views = try await AuditEntry.query(on: db).filter(\.$recordID == id).filter(\.$action == "case.viewed").count()
            #expect(views == 1)
            let lists = try await AuditEntry.query(on: db).filter(\.$action == "case.listed").count()
            #expect(lists == 3)
        }
    }

    @Test func caseworkerOpensACaseIdentityIsSeparateAndAudited() async throws {
        try await withApp { client, built in
            let browser = Browser(client)
            try await browser.signIn("caseworker2@demo.invalid")
            try await browser.get("/cases/new")
            let invalid = try await browser.post("/cases", [("chosenName", ""), ("interpreterNeeded", "on"), ("dateOfBirth", "17/05/1999"), ("reportReference", "CRN-2222-22")])
            #expect(invalid.status == .unprocessableContent)
            for message in ["Enter the name they chose", "Say which language", "YYYY-MM-DD", "no report with that reference"] {
                #expect(invalid.text.contains(message), "\(message)")
            }
            #expect(try await SupportCase.query(on: built.services.database.db).count() == 3)

            let opened = try await browser.post("/cases", [("chosenName", "Lena"), ("language", "Vietnamese"), ("interpreterNeeded", "on"),
                                                           ("legalName", "Nguyen Thi Lan"), ("dateOfBirth", "2001-02-03")])
            #expect(opened.status == .seeOther)
            let page = try await browser.get(try #require(opened.location))
            #expect(page.text.contains("Interpreter needed: Vietnamese"))
            #expect(!page.text.contains("Nguyen Thi Lan"))
            let id = String(try #require(opened.location).dropFirst("/cases/".count))
            let shown = try await browser.get("/cases/\(id)/identity")
            #expect(shown.text.contains("Nguyen Thi Lan"))
            let db = built.services.database.db
            #expect(try await AuditEntry.query(on: db).filter(\.$recordID == id).filter(\.$action == "case.identity.viewed").count() == 1)
            // The identity is not in the case row, nor in the API.
            let caseworker2 = try await token(for: "caseworker2@demo.invalid", built)
            #expect(!(try await send(client, .get, "/api/v1/cases/\(id)", token: caseworker2)).text.contains("Nguyen"))

            // Adding to the team: only caseworkers; then the new member sees it.
            try await browser.get("/cases/\(id)")
            #expect(try await browser.post("/cases/\(id)/team", [("email", "analyst@demo.invalid")]).status == .unprocessableContent)
            try await browser.get("/cases/\(id)")
            #expect(try await browser.post("/cases/\(id)/team", [("email", "caseworker@demo.invalid")]).status == .seeOther)
            let caseworker = try await token(for: "caseworker@demo.invalid", built)
            #expect(try await send(client, .get, "/api/v1/cases/\(id)", token: caseworker).status == .ok)

            // Closing needs a reason and a follow-up plan; a closed case re-opens with a reason.
            try await browser.get("/cases/\(id)")
            #expect(try await browser.post("/cases/\(id)/status", [("status", "closed"), ("reason", "goals_met"), ("followUpPlan", "")]).status == .unprocessableContent)
            try await browser.get("/cases/\(id)")
            #expect(try await browser.post("/cases/\(id)/status", [("status", "closed"), ("reason", "goals_met"), ("followUpPlan", "Call monthly")]).status == .seeOther)
            try await browser.get("/cases/\(id)")
            #expect(try await browser.post("/cases/\(id)/status", [("status", "open"), ("reason", "")]).status == .unprocessableContent)
            try await browser.get("/cases/\(id)")
            #expect(try await browser.post("/cases/\(id)/status", [("status", "open"), ("reason", "Lost her accommodation")]).status == .seeOther)
            #expect(try await SupportCase.find(UUID(uuidString: id), on: db)?.caseStatus == .open)
        }
    }

    @Test func apiOpensCasesAndRefusesBadInput() async throws {
        try await withApp { client, built in
            let caseworker = try await token(for: "caseworker2@demo.invalid", built)
            let created = try await send(client, .post, "/api/v1/cases", token: caseworker,
                                         json: #"{"chosenName":"Sam","language":"Tigrinya","interpreterNeeded":true,"identity":{"nationality":"Eritrean"}}"#)
            #expect(created.status == .created)
            #expect((try jsonObject(created)["code"] as? String)?.hasPrefix("SC-") == true)
            for (json, status) in [(#"{}"#, HTTPResponse.Status.badRequest), (#"{"chosenName":" "}"#, .unprocessableContent),
                                   (#"{"chosenName":"A","surname":"B"}"#, .badRequest)] {
                #expect(try await send(client, .post, "/api/v1/cases", token: caseworker, json: json).status == status, "\(json)")
            }
            let practitioner = try await token(for: "practitioner@demo.invalid", built)
            #expect(try await send(client, .post, "/api/v1/cases", token: practitioner, json: #"{"chosenName":"X"}"#).status == .forbidden)
            #expect(try await SupportCase.query(on: built.services.database.db).count() == 4)
        }
    }
}
