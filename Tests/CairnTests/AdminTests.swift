import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

@Suite struct AdminTests {
    @Test func administratorManagesAgenciesInTheWebUI() async throws {
        try await withApp { client, built in
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let empty = try await admin.post("/admin/agencies", [("name", ""), ("type", ""), ("area", "")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("There is a problem"))
            #expect(empty.text.contains("Enter name"))
            #expect(empty.text.contains("Choose the type of agency"))
            let created = try await admin.post("/admin/agencies", [("name", "Northfield Food Bank"), ("type", "ngo"), ("area", "Northfield"), ("firstResponder", "on")])
            #expect(created.status == .seeOther)
            let agency = try #require(try await Agency.query(on: built.services.database.db).filter(\.$name == "Northfield Food Bank").first())
            #expect(agency.firstResponder)
            let duplicate = try await admin.post("/admin/agencies", [("name", "Northfield Food Bank"), ("type", "ngo"), ("area", "x")])
            #expect(duplicate.status == .conflict)
            let edit = try await admin.post("/admin/agencies/\(agency.id!.uuidString)", [("name", "Northfield Community Food Bank"), ("type", "ngo"), ("area", "Northfield")])
            #expect(edit.status == .seeOther)
            let page = try await admin.get("/agencies/\(agency.id!.uuidString)")
            #expect(page.text.contains("Northfield Community Food Bank"))
            #expect(page.text.contains("HTCDS: NGO"))
            let list = try await admin.get("/admin/agencies?sort=type")
            #expect(list.text.contains("Northfield Community Food Bank"))
        }
    }

    @Test func administratorManagesPeople() async throws {
        try await withApp { client, built in
            let services = built.services
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let agency = try #require(try await services.accounts.agencies().first)
            let invalid = try await admin.post("/admin/users", [("email", "not-an-email"), ("displayName", ""), ("agencyId", ""), ("password", "short")])
            #expect(invalid.status == .unprocessableContent)
            for message in ["right format", "Enter name", "Choose the person", "Choose at least one role", "at least 12"] {
                #expect(invalid.text.contains(message), "missing: \(message)")
            }
            let ok = try await admin.post("/admin/users", [("email", "jo@demo.invalid"), ("displayName", "Jo Bloggs"), ("agencyId", agency.id!.uuidString), ("roles", "caseworker"), ("password", "correct horse battery")])
            #expect(ok.status == .created)
            let again = try await admin.post("/admin/users", [("email", "JO@demo.invalid"), ("displayName", "Jo Again"), ("agencyId", agency.id!.uuidString), ("roles", "viewer")])
            #expect(again.status == .conflict)
            #expect(again.text.contains("already exists"))
            let jo = try #require(try await services.accounts.user(email: "jo@demo.invalid"))
            // Search, filter and paginate.
            let search = try await admin.get("/admin/users?q=bloggs")
            #expect(search.text.contains("jo@demo.invalid"))
            #expect(!search.text.contains("viewer@demo.invalid"))
            let byRole = try await admin.get("/admin/users?role=caseworker")
            #expect(byRole.text.contains("caseworker2@demo.invalid"))
            #expect(!byRole.text.contains("trainer@demo.invalid"))
            // A person signed in loses access as soon as they are disabled.
            let joBrowser = Browser(client)
            try await joBrowser.signIn("jo@demo.invalid", password: "correct horse battery")
            #expect(try await joBrowser.get("/").status == .ok)
            let confirm = try await admin.get("/admin/users/\(jo.id!.uuidString)/disable")
            #expect(confirm.text.contains("Disable this account?"))
            #expect(try await services.accounts.user(jo.id!).disabled == false, "the confirmation page changes nothing")
            let disabled = try await admin.post("/admin/users/\(jo.id!.uuidString)/disable")
            #expect(disabled.status == .seeOther)
            #expect(try await joBrowser.get("/").status == .seeOther)
            #expect(try await Browser(client).signIn("jo@demo.invalid", password: "correct horse battery").status == .unauthorized)
            try await admin.post("/admin/users/\(jo.id!.uuidString)/enable")
            // Changing roles takes effect at once.
            let changed = try await admin.post("/admin/users/\(jo.id!.uuidString)", [("displayName", "Jo Bloggs"), ("agencyId", agency.id!.uuidString), ("roles", "viewer")])
            #expect(changed.status == .seeOther)
            #expect(try await services.accounts.user(jo.id!).roles == [.viewer])
            let me = try #require(try await services.accounts.user(email: "admin@demo.invalid"))
            let selfDemote = try await admin.post("/admin/users/\(me.id!.uuidString)", [("displayName", "Me"), ("agencyId", me.$agency.id.uuidString), ("roles", "viewer")])
            #expect(selfDemote.status == .conflict)
            let detail = try await admin.get("/admin/users/\(jo.id!.uuidString)")
            #expect(detail.text.contains("jo@demo.invalid"))
            let actions = try await AuditEntry.query(on: services.database.db).filter(\.$recordID == jo.id!.uuidString).all().map(\.action)
            #expect(actions.contains("user.created"))
            #expect(actions.contains("user.updated"))
            #expect(actions.contains("user.viewed"), "viewing a person's account is audited")
        }
    }

    @Test func resetPasswordAndTwoFactorShowResultsOnce() async throws {
        try await withApp { client, built in
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let viewer = try #require(try await built.services.accounts.user(email: "viewer@demo.invalid"))
            let reset = try await admin.post("/admin/users/\(viewer.id!.uuidString)/reset-password")
            #expect(reset.status == .ok)
            let temporary = try #require(reset.text.firstMatch(of: /id="temporary-password">([^<]+)</)?.1).description
            #expect(try await Browser(client).signIn("viewer@demo.invalid").status == .unauthorized)
            #expect(try await Browser(client).signIn("viewer@demo.invalid", password: temporary).location == "/account/password")
            let twoFactor = try await admin.post("/admin/users/\(viewer.id!.uuidString)/reset-two-factor")
            #expect(twoFactor.status == .seeOther)
            let missing = try await admin.get("/admin/users/\(UUID().uuidString)")
            #expect(missing.status == .notFound)
            let garbage = try await admin.get("/admin/users/not-a-uuid")
            #expect(garbage.status == .notFound)
        }
    }

    @Test func homePageShowsWhatToDoNextForEachRole() async throws {
        try await withApp { client, _ in
            for account in DemoPartnership.accounts {
                let browser = Browser(client)
                try await browser.signIn(account.email)
                let home = try await browser.get("/")
                #expect(home.status == .ok)
                #expect(home.text.contains("Set up two-factor authentication"))
                let isAdmin = account.roles.contains(.administrator)
                #expect(home.text.contains("href=\"/admin/users\"") == isAdmin, "\(account.email)")
                let seesFigures = isAdmin || AccessPolicy.allows(account.roles, .viewReports)
                #expect(home.text.contains("The partnership at a glance") == seesFigures, "\(account.email)")
                #expect(home.text.contains("href=\"/reports/new\"") == AccessPolicy.allows(account.roles, .createReport), "\(account.email)")
            }
        }
    }
}
