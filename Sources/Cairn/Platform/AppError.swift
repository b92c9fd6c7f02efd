import Foundation
import HTTPTypes
import Hummingbird

/// A problem reported to the person (web) or the client (API, as RFC 9457 problem+json).
public struct AppError: Error, Sendable, CustomStringConvertible {
    public struct FieldError: Sendable, Codable, Equatable {
        public var field: String
        public var message: String
        public init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }
    }

    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var fieldErrors: [FieldError]
    /// Seconds a client should wait (429).
    public var retryAfter: Int?
    /// Headers the answer must carry, such as `Allow` with a 405.
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, title: String? = nil, _ detail: String, fieldErrors: [FieldError] = [], retryAfter: Int? = nil,
                headers: HTTPFields = [:]) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.retryAfter = retryAfter
        self.headers = headers
    }

    public var description: String { "\(status.code) \(title): \(detail)" }

    public static let unauthenticated = AppError(.unauthorized, title: "Sign-in required", "You need to sign in to do this.")
    public static let forbidden = AppError(.forbidden, title: "Not allowed", "Your role does not allow you to do this.")
    public static func notFound(_ what: String = "page") -> AppError {
        AppError(.notFound, title: "Not found", "There is no such \(what), or you do not have access to it.")
    }
    public static func badRequest(_ detail: String) -> AppError { AppError(.badRequest, title: "Bad request", detail) }
    public static func invalid(_ errors: [FieldError]) -> AppError {
        AppError(.unprocessableContent, title: "Invalid input",
                 errors.count == 1 ? errors[0].message : "\(errors.count) fields need attention: " + errors.map(\.message).joined(separator: "; "),
                 fieldErrors: errors)
    }
    public static func conflict(_ detail: String, field: String? = nil) -> AppError {
        AppError(.conflict, title: "Conflict", detail, fieldErrors: field.map { [FieldError($0, detail)] } ?? [])
    }
}

/// Collects field errors in the order a form shows them.
public struct Validator: Sendable {
    public private(set) var errors: [AppError.FieldError] = []
    public init() {}

    public mutating func add(_ field: String, _ message: String) { errors.append(.init(field, message)) }

    /// Trims and checks a required, bounded text field; returns the cleaned value.
    @discardableResult
    public mutating func text(_ value: String?, field: String, label: String, required: Bool = true, max: Int = 200) -> String {
        let cleaned = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if required && cleaned.isEmpty {
            add(field, "Enter \(label.lowercased())")
        } else if cleaned.count > max {
            add(field, "\(label) must be \(max) characters or fewer (it is \(cleaned.count))")
        } else if cleaned.unicodeScalars.contains(where: Validator.isDisallowedControl) {
            add(field, "\(label) contains control characters")
        }
        return cleaned
    }

    /// A control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) other than
    /// tab, line feed and carriage return. Compared by value: this runs on every text field.
    public static func isDisallowedControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v == 0x09 || v == 0x0A || v == 0x0D { return false }
        return v < 0x20 || (v >= 0x7F && v <= 0x9F)
    }

    public func check() throws {
        if !errors.isEmpty { throw AppError.invalid(errors) }
    }

    public func message(for field: String) -> String? { errors.first { $0.field == field }?.message }
}
