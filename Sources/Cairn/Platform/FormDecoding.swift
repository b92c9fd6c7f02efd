import Foundation
import Hummingbird

/// A form's fields as a `Decodable` struct, read with Hummingbird's `URLEncodedFormDecoder`.
/// HTML sends a group of checkboxes as the same name repeated; such fields are named in `lists`
/// and declared as arrays. Fields the struct does not declare (such as `_csrf`) are ignored.
protocol FormInput: Decodable, Sendable {
    /// Fields that may repeat (checkbox groups, multiple selects).
    static var lists: Set<String> { get }
    /// The name a sent field is decoded under, or nil to ignore it. By default a name with
    /// brackets is ignored; a form whose own names have them (`persons[0].name`) maps them to
    /// names without.
    static func fieldName(_ sent: String) -> String?
}

extension FormInput {
    static var lists: Set<String> { [] }
    static func fieldName(_ sent: String) -> String? { sent.contains("[") || sent.contains("]") ? nil : sent }

    /// Decodes an `application/x-www-form-urlencoded` body. A body that is not valid UTF-8, a
    /// single-valued field sent twice, a missing field or a value of the wrong kind is a 400 with
    /// a message (naming the field wherever the decoder says which: it does not for a number or
    /// a yes/no given text).
    static func decode(body: String) throws -> Self { try decode(FormData(body)) }

    /// Decodes a form's fields, as `FormData` parsed them.
    static func decode(_ form: FormData) throws -> Self {
        var pairs: [String] = []
        var seen: Set<String> = []
        for (sent, value) in form.pairs {
            // Brackets mean arrays and dictionaries to the decoder: a key may not bring its own.
            guard let key = fieldName(sent), !key.contains("["), !key.contains("]") else { continue }
            if lists.contains(key) {
                pairs.append("\(Self.encode(key))[]=\(Self.encode(value))")
            } else {
                guard seen.insert(key).inserted else {
                    throw AppError.badRequest("The form could not be read: the field \u{201C}\(key.prefix(60))\u{201D} was sent more than once.")
                }
                pairs.append("\(Self.encode(key))=\(Self.encode(value))")
            }
        }
        do {
            return try URLEncodedFormDecoder().decode(Self.self, from: pairs.joined(separator: "&"))
        } catch let error as DecodingError {
            throw AppError.badRequest("The form could not be read: \(Self.describe(error))")
        } catch {
            throw AppError.badRequest("The form could not be read.")
        }
    }

    /// Reads and decodes the request's form body (at most `limit` bytes).
    static func read(_ request: Request, limit: Int = 1_048_576) async throws -> Self {
        try decode(try await FormData.read(request, limit: limit))
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    private static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.first.map { "the field \u{201C}\($0.stringValue)\u{201D}" } ?? "a field"
        }
        switch error {
        case .keyNotFound(let key, _): return "the field \u{201C}\(key.stringValue)\u{201D} is missing."
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(field(context.codingPath)) has a value of the wrong kind."
        @unknown default: return "it does not match the form."
        }
    }
}

/// A checkbox: ticked when sent as "on", "true", "yes" or "1" (whatever the `value` attribute),
/// and unticked when absent; declare it optional (`Checkbox?`) and read `.isOn`.
struct Checkbox: Decodable, Sendable {
    let isOn: Bool

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        isOn = ["on", "true", "yes", "1"].contains(text.lowercased())
    }
}

extension Optional where Wrapped == Checkbox {
    /// Whether the box was ticked (an absent box was not).
    var isOn: Bool { self?.isOn ?? false }
}
