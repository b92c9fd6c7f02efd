import CairnCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// `APIAuthorization` checks each operation's permission once, before the spec's checks and
/// the generated decoder read the request.
@Suite struct APIAuthorizationTests {
    /// Without the right, a body that is not JSON and parameters outside the spec still get
    /// 401 (nobody signed in) or 403 (the role lacks the permission): never a 400 or 422 that
    /// would describe what a valid request looks like.
    @Test func authorisationComesBeforeTheRequestIsRead() async throws {
        // A partnership's operations on its instance, a national instance's on one.
        for national in [false, true] {
        try await withApp(configure: { $0.national = national }) { client, built in
            var tokens: [String: String] = [:]
            var failures: [String] = []
            var forbiddenChecked = 0
            for operation in APIOperation.allCases where operation.permission != .everyone && operation.isNational == national {
                let path = operation.path.replacing(/:[A-Za-z]+/) { _ in String(repeating: "x", count: 300) } + "?page=-1&perPage=many&sort=nonsense"
                let body = operation.method == .get ? nil : "{\"not json"
                let anonymous = try await api(client, operation.method, path, token: nil, json: body)
                let detail = try jsonObject(anonymous)["detail"] as? String
                // The survivor's operations tell a survivor how to sign in, not how staff make a token.
                if anonymous.status != .unauthorized || (operation.permission != .survivor && detail != APIRequest.unauthenticated.detail) {
                    failures.append("anonymous \(operation): \(anonymous.status.code) \(anonymous.text.prefix(200))")
                }
                guard let lacking = DemoPartnership.accounts.first(where: { !AccessPolicy.allows($0.roles, operation.permission) }) else { continue }
                if tokens[lacking.email] == nil { tokens[lacking.email] = try await token(for: lacking.email, built) }
                let refused = try await api(client, operation.method, path, token: tokens[lacking.email], json: body)
                let title = try jsonObject(refused)["title"] as? String
                if refused.status != .forbidden || title != AppError.forbidden.title {
                    failures.append("\(lacking.email) \(operation): \(refused.status.code) \(refused.text.prefix(200))")
                }
                forbiddenChecked += 1
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            #expect(forbiddenChecked >= (national ? 1 : 30))
        }
        }
    }

    /// A handler run without the middleware, or asking for another operation's check, gets a
    /// 500 error, not the process stopped and not an unchecked identity.
    @Test func handlersOnlyReceiveWhatTheMiddlewareChecked() throws {
        #expect(throws: AppError.self) { try APIRequest.authorize(.getCurrentUser) }
        #expect(throws: AppError.self) { try APIRequest.open(.createPublicReport) }
        APIRequest.$authorized.withValue(.listAgencies) {
            #expect(throws: AppError.self) { try APIRequest.authorize(.listAgencies) }
            #expect(throws: AppError.self) { try APIRequest.authorize(.createAgency) }
        }
    }
}
