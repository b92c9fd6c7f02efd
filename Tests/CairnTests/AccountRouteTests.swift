import CairnCore
import FluentKit
import Foundation
import HummingbirdTesting
import Testing

@testable import Cairn

/// Accounts' and Operations' typed routes (`SignInRoute`, `AccountRoute`, `AgencyDirectoryRoute`,
/// `AdminRoute`, `OperationsRoute`) and their forms (`SignInForm`, `PasswordForm`, `AgencyForm`, …).
@Suite struct AccountRouteTests {
    /// The addresses people and scrapers use did not move when the routes became types: each
    /// endpoint is pinned with its method and permission (only the parameters' names changed,
    /// which nobody sees).
    @Test func theAddressesAreWhereTheyWere() {
        func specs<R: PageRoute>(_ type: R.Type) -> [String] { R.endpoints.map { "\($0.method.rawValue) \($0.path) \($0.permission)" } }
        #expect(specs(SignInRoute.self) == [
            "GET /sign-in everyone", "POST /sign-in everyone", "GET /sign-in/two-factor everyone", "POST /sign-in/two-factor everyone",
            "POST /sign-out everyone",
        ])
        #expect(specs(AccountRoute.self) == [
            "GET /account signedIn", "GET /account/password everyone", "POST /account/password everyone", "GET /account/two-factor everyone",
            "POST /account/two-factor everyone", "POST /account/two-factor/remove signedIn", "POST /account/recovery-codes signedIn",
            "POST /account/sign-out-everywhere signedIn",
        ])
        #expect(specs(AgencyDirectoryRoute.self) == ["GET /agencies signedIn", "GET /agencies/:agencyId signedIn"])
        #expect(specs(AdminRoute.self) == [
            "GET /admin/agencies manageAgencies", "GET /admin/agencies/new manageAgencies", "POST /admin/agencies manageAgencies",
            "GET /admin/agencies/:agencyId/edit manageAgencies", "POST /admin/agencies/:agencyId manageAgencies",
            "GET /admin/users manageUsers", "GET /admin/users/new manageUsers", "POST /admin/users manageUsers",
            "GET /admin/users/:userId manageUsers", "POST /admin/users/:userId manageUsers",
            "GET /admin/users/:userId/disable manageUsers", "POST /admin/users/:userId/disable manageUsers",
            "GET /admin/users/:userId/enable manageUsers", "POST /admin/users/:userId/enable manageUsers",
            "GET /admin/users/:userId/reset-password manageUsers", "POST /admin/users/:userId/reset-password manageUsers",
            "GET /admin/users/:userId/reset-two-factor manageUsers", "POST /admin/users/:userId/reset-two-factor manageUsers",
            "GET /admin/security manageSecurityPolicy", "POST /admin/security manageSecurityPolicy",
        ])
        #expect(specs(OperationsRoute.self) == ["GET /health everyone", "GET /metrics viewMetrics", "GET /api/v1/openapi.yaml everyone"])
        // Where each stage of signing in sends a person.
        #expect([AuthService.Stage.complete, .twoFactor, .twoFactorSetup, .changePassword].map(SignInController.pathFor)
            == ["/", "/sign-in/two-factor", "/account/two-factor", "/account/password"])
        let id = UUID()
        #expect(AdminRoute.act(.resetTwoFactor, .value(id)).path == "/admin/users/\(id.uuidString)/reset-two-factor")
        #expect(AgencyDirectoryRoute.agency(.value(id)).path == "/agencies/\(id.uuidString)")
    }

    /// A form with a single field sent twice is a 400 that says so, and nothing happens: no
    /// session, no agency, no account, no password changed.
    @Test func malformedAccountFormsAreBadRequestsAndChangeNothing() async throws {
        try await withApp { client, built in
            let services = built.services
            func refused(_ response: TestResponse, _ field: String) {
                #expect(response.status == .badRequest)
                #expect(response.text.contains("the field \u{201C}\(field)\u{201D} was sent more than once"), "\(response.text.prefix(300))")
            }
            let visitor = Browser(client)
            try await visitor.get("/sign-in")
            refused(try await visitor.post("/sign-in", [("email", "admin@demo.invalid"), ("email", "other@demo.invalid"), ("password", DemoPartnership.password)]), "email")
            #expect(visitor.cookies["cairn_session"] == nil)
            #expect(try await visitor.get("/account").location?.hasPrefix("/sign-in") == true)

            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            let agencies = try await services.accounts.agencies().count
            refused(try await admin.post("/admin/agencies", [("name", "Twice Over"), ("name", "Again"), ("type", "ngo"), ("area", "x")]), "name")
            #expect(try await services.accounts.agencies().count == agencies)
            let agency = try #require(try await services.accounts.agencies().first)
            refused(try await admin.post("/admin/users", [("email", "twice@demo.invalid"), ("displayName", "Twice"), ("agencyId", agency.id!.uuidString),
                                                          ("agencyId", agency.id!.uuidString), ("roles", "viewer"), ("password", "")]), "agencyId")
            #expect(try await services.accounts.user(email: "twice@demo.invalid") == nil)
            // Checkbox groups may repeat; a name that is not a role is still refused by name.
            #expect(try await admin.post("/admin/security", [("twoFactorRoles", "analyst"), ("twoFactorRoles", "viewer")]).status == .seeOther)
            #expect(try await services.auth.twoFactorRequired(for: [.viewer]))

            let person = Browser(client)
            try await person.signIn("caseworker@demo.invalid")
            let changed = "a much longer passphrase"
            refused(try await person.post("/account/password", [("current", DemoPartnership.password), ("password", changed), ("password", changed),
                                                                ("confirm", changed)]), "password")
            #expect(try await Browser(client).signIn("caseworker@demo.invalid").location == "/")
        }
    }
}
