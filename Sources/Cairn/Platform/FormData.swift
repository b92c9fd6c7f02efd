import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body as its (name, value) pairs: what `FormInput`
/// decodes forms from, and what the CSRF check reads its token field from.
public struct FormData: Sendable {
    public private(set) var pairs: [(String, String)] = []

    public init(_ body: String) {
        for part in body.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0])
            let value = kv.count > 1 ? Self.decode(kv[1]) : ""
            pairs.append((key, value))
        }
    }

    static func decode(_ s: Substring) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(s) }
        return String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    public subscript(_ key: String) -> String? { pairs.first { $0.0 == key }?.1 }

    public static func read(_ request: Request, limit: Int = 1_048_576) async throws -> FormData {
        var request = request
        let body = try await request.collectBody(upTo: limit)
        guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw AppError.badRequest("The form could not be read: it is not valid UTF-8.")
        }
        return FormData(text)
    }
}
