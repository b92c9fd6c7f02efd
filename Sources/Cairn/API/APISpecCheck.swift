import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Holds each request to its operation in `openapi.yaml` before the generated code reads it,
/// after `APIAuthorization` has let it through, and makes an empty body count as no body: the
/// spec makes some bodies optional (a consent withdrawal's note), but the Hummingbird
/// transport always passes one, which the generated code then fails to decode.
struct APISpecCheck: ServerMiddleware {
    /// Keyed by `operationId`.
    let operations: [String: APISpec.Operation]
    /// Report intake checks every field's length itself and reports all problems at once in
    /// the reporter's language (`ReportInput`); `SpecTests` checks it enforces each limit.
    static var lengthsCheckedByHandler: Set<String> { ["createPublicReport", "createReport"] }

    init(spec: APISpec) {
        operations = Dictionary(spec.operations.values.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let operation = operations[operationID] else {
            throw AppError(.internalServerError, title: "Something went wrong", "openapi.yaml has no operation \(operationID). It has been logged.")
        }
        // BodyLimitMiddleware has already collected the body within the configured limit.
        var bytes: [UInt8] = []
        if let body { bytes = try await [UInt8](collecting: body, upTo: .max) }
        try operation.check(request, pathParameters: metadata.pathParameters, body: bytes,
                            lengthsCheckedByHandler: Self.lengthsCheckedByHandler.contains(operation.id))
        var (response, responseBody) = try await next(request, bytes.isEmpty ? nil : HTTPBody(bytes), metadata)
        // The generated code percent-encodes header values (URI style); these two are sent as
        // the handler wrote them (a hub file's name and policy).
        for name in [HTTPField.Name.contentDisposition, .contentSecurityPolicy] {
            if let value = response.headerFields[name], let decoded = value.removingPercentEncoding { response.headerFields[name] = decoded }
        }
        return (response, responseBody)
    }
}

/// A JSON value as the client sent it, for checking against a schema.
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}

extension APISpec.Operation {
    /// Throws naming every parameter or field outside what the spec allows: 400 for a
    /// parameter, a `null`, or a value not in an enum (as the generated code answers a wrong
    /// type); 422 with field errors for a body value past a limit (as the services answer the
    /// same limits). `lengthsCheckedByHandler` leaves body lengths to an operation whose own
    /// validation reports them with everything else, in the caller's language (intake).
    func check(_ request: HTTPRequest, pathParameters: [String: Substring], body: [UInt8], lengthsCheckedByHandler: Bool = false) throws {
        var malformed: [AppError.FieldError] = []
        let query = Self.queryItems(request.path ?? "")
        for parameter in parameters {
            let values: [String]
            let label: String
            switch parameter.location {
            case .query:
                values = query.filter { $0.0 == parameter.name }.map(\.1)
                label = "Query parameter '\(parameter.name)'"
            case .header:
                values = HTTPField.Name(parameter.name).map { request.headerFields[values: $0] } ?? []
                label = "Header '\(parameter.name)'"
            case .path:
                values = pathParameters[parameter.name].map { [String($0).removingPercentEncoding ?? String($0)] } ?? []
                label = "Path parameter '\(parameter.name)'"
            }
            for value in values {
                if let message = Self.problem(text: value, parameter.schema) {
                    malformed.append(.init(parameter.name, "\(label) \(message)."))
                }
            }
        }
        var invalid: [AppError.FieldError] = []
        if let schema = self.body, !body.isEmpty {
            let value: JSONValue
            do {
                value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
            } catch {
                throw AppError.badRequest("The request body is not valid JSON.")
            }
            var walk = BodyWalk(lengths: !lengthsCheckedByHandler)
            walk.visit(value, schema, at: "")
            malformed += walk.malformed
            invalid = walk.invalid
        } else if self.body != nil, bodyRequired, body.isEmpty {
            throw AppError.badRequest("This operation needs a JSON body.")
        }
        if !malformed.isEmpty {
            let shown = Array(malformed.prefix(20))
            throw AppError(.badRequest, title: "Bad request",
                           shown.count == 1 ? shown[0].message : "\(malformed.count) problems: " + shown.map(\.message).joined(separator: " "),
                           fieldErrors: shown)
        }
        if !invalid.isEmpty { throw AppError.invalid(Array(invalid.prefix(20))) }
    }

    /// The query's name–value pairs, percent-decoded (`+` left as it is, as the generated code does).
    static func queryItems(_ path: String) -> [(String, String)] {
        guard let mark = path.firstIndex(of: "?") else { return [] }
        return path[path.index(after: mark)...].split(separator: "&").map { part in
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).removingPercentEncoding ?? String(s) }
            return (decode(pair[0]), pair.count > 1 ? decode(pair[1]) : "")
        }
    }

    /// What is wrong with a parameter's text, or `nil`: the message finishes "Query parameter 'x' …".
    static func problem(text: String, _ schema: APISpec.Schema) -> String? {
        switch schema.type {
        case "integer":
            // A whole number too long for Int is still compared with the bounds, as a Double.
            let digits = text.drop { $0 == "-" }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Double(text) else {
                return "must be a whole number"
            }
            return bounds(number, schema) ?? (Int(text) == nil ? "is too large" : nil)
        case "number":
            guard let number = Double(text), number.isFinite else { return "must be a number" }
            return bounds(number, schema)
        case "boolean":
            return ["true", "false"].contains(text) ? nil : "must be true or false"
        default:
            return stringProblem(text, schema)
        }
    }

    static func bounds(_ number: Double, _ schema: APISpec.Schema) -> String? {
        if let minimum = schema.minimum, number < minimum { return "must be \(format(minimum)) or more" }
        if let maximum = schema.maximum, number > maximum { return "must be \(format(maximum)) or less" }
        return nil
    }

    static func stringProblem(_ text: String, _ schema: APISpec.Schema) -> String? {
        // JSON Schema counts code points.
        if let maxLength = schema.maxLength, text.unicodeScalars.count > maxLength {
            return "must be \(maxLength) characters or fewer (it is \(text.unicodeScalars.count))"
        }
        if let allowed = schema.enumValues, !allowed.contains(text) {
            return "must be one of: \(allowed.joined(separator: ", "))"
        }
        return nil
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

/// Checks a body value against its schema. Type mismatches are left to the generated
/// decoder, which names them; this adds what it does not check.
struct BodyWalk {
    let lengths: Bool
    var malformed: [AppError.FieldError] = []
    var invalid: [AppError.FieldError] = []

    mutating func visit(_ value: JSONValue, _ schema: APISpec.Schema, at path: String) {
        guard malformed.count + invalid.count < 50 else { return }
        let name = path.isEmpty ? "The request body" : "Field '\(path)'"
        let field = path.isEmpty ? "body" : path
        switch value {
        case .null:
            if !schema.allowsNull {
                malformed.append(.init(field, path.isEmpty ? "The request body must not be null." : "\(name) must not be null: leave it out, or give a value."))
            }
        case .string(let text):
            guard schema.type == nil || schema.type == "string" else { return }
            if let allowed = schema.enumValues, !allowed.contains(text) {
                malformed.append(.init(field, "\(name) must be one of: \(allowed.joined(separator: ", "))."))
            } else if lengths, let maxLength = schema.maxLength, text.unicodeScalars.count > maxLength {
                invalid.append(.init(field, "\(name) must be \(maxLength) characters or fewer (it is \(text.unicodeScalars.count))."))
            }
        case .number(let number):
            guard schema.type == "integer" || schema.type == "number" else { return }
            if let message = APISpec.Operation.bounds(number, schema) { invalid.append(.init(field, "\(name) \(message).")) }
        case .bool:
            return
        case .array(let items):
            guard schema.type == nil || schema.type == "array" else { return }
            if let maxItems = schema.maxItems, items.count > maxItems {
                invalid.append(.init(field, "\(name) must have \(maxItems) items or fewer (it has \(items.count))."))
            }
            if let itemSchema = schema.items {
                for (index, item) in items.enumerated() { visit(item, itemSchema, at: "\(path)[\(index)]") }
            }
        case .object(let members):
            guard schema.type == nil || schema.type == "object" else { return }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let child = schema.properties[key] ?? schema.additionalProperties {
                    visit(member, child, at: path.isEmpty ? key : "\(path).\(key)")
                }
            }
        }
    }
}
