import CairnAPI
import CairnCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdOTP
import Testing

@testable import Cairn

/// API errors are openapi.yaml's `Problem` documents, and the bytes on the wire are those the
/// server has always sent: keys sorted, `type` about:blank, `errors` only when there are some.
@Suite struct ProblemDocumentTests {
    @Test func apiErrorsAreTheSpecsProblemDocument() async throws {
        try await withApp { client, built in
            let anonymous = try await api(client, .get, "/api/v1/me", token: nil)
            #expect(anonymous.text == #"{"detail":"Send an API token as \"Authorization: Bearer <token>\". Create one with `cairn token create --user EMAIL`.","instance":"\/api\/v1\/me","status":401,"title":"Sign-in required","type":"about:blank"}"#)

            let admin = try await token(for: "admin@demo.invalid", built)
            let viewer = try await token(for: "viewer@demo.invalid", built)
            let answers = [
                try await api(client, .get, "/api/v1/users", token: viewer),
                try await api(client, .get, "/api/v1/users/\(UUID().uuidString)", token: admin),
                try await api(client, .get, "/api/v1/users?perPage=100000&page=0", token: admin),
                try await api(client, .post, "/api/v1/agencies", token: admin, json: #"{"name": "   ", "type": "ngo", "area": "Überall/Ost \"Süd\""}"#),
                try await api(client, .post, "/api/v1/agencies", token: admin, json: #"{"name": "Broken""#),
                try await api(client, .delete, "/api/v1/agencies", token: admin),
            ]
            #expect(answers.map(\.status.code) == [403, 404, 400, 422, 400, 405])
            for answer in answers {
                #expect(answer.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(Components.Schemas.Problem.self, from: Data(buffer: answer.body))
                #expect(problem._type == "about:blank" && problem.status == Int(answer.status.code) && !problem.detail.isEmpty)
                // The bytes a dictionary serialised with sorted keys gives: the wire format clients had.
                let object = try JSONSerialization.jsonObject(with: Data(buffer: answer.body))
                let expected = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                #expect(Data(buffer: answer.body) == expected, "\(answer.text)")
            }
            #expect(answers[2].text.contains(#""errors":[{"field":"#))
            #expect(!answers[0].text.contains("errors"))
        }
    }

    /// The two-factor set-up URL comes from HummingbirdOTP; the secret it carries is the one
    /// the set-up page shows for typing in.
    @Test func theTwoFactorSetUpURLCarriesTheSecretThePageShows() {
        let secret = "0123456789abcdefghij"
        let url = AuthService.authenticatorURL(secret: secret, email: "someone@example.org")
        let shown = AuthService.displaySecret(secret).replacingOccurrences(of: " ", with: "")
        #expect(url == "otpauth://totp/Cairn:someone@example.org?secret=\(shown)&issuer=Cairn")
        #expect(url == TOTP(secret: secret).createAuthenticatorURL(label: "Cairn:someone@example.org", issuer: "Cairn"))
    }
}
