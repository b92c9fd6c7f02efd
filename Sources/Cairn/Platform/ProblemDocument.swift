import CairnAPI
import Foundation
import Hummingbird

extension AppError {
    /// The error as openapi.yaml's `Problem` schema (RFC 9457 problem details).
    func problem(instance: String) -> Components.Schemas.Problem {
        .init(_type: "about:blank", title: title, status: status.code, detail: detail, instance: instance,
              errors: fieldErrors.isEmpty ? nil : fieldErrors.map { .init(field: $0.field, message: $0.message) })
    }

    /// The API's answer: the `Problem` document as `application/problem+json`, keys sorted,
    /// with `Retry-After` and any headers the error carries.
    func problemResponse(instance: String) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(problem(instance: instance))) ?? Data()
        var response = Response(status: status, headers: [.contentType: "application/problem+json"], body: .init(byteBuffer: .init(bytes: data)))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        response.headers.append(contentsOf: headers)
        return response
    }
}
