import CairnAPI
import Foundation
import HTTPTypes
import Yams

/// What `openapi.yaml` says each operation accepts, read once at start-up so the server holds
/// clients to the document they were given: swift-openapi-generator checks types and enums
/// but not `maxLength`, `maximum`, `minimum`, `maxItems`, nor `null` where a field is not
/// nullable. `APISpecCheck` applies these rules to every request before the generated code
/// reads it; there is no second list of limits to keep in step with the spec.
struct APISpec: Sendable {
    /// The parts of a JSON Schema the server enforces (OpenAPI 3.1; `$ref`s resolved).
    final class Schema: Sendable {
        /// `string`, `integer`, `number`, `boolean`, `array` or `object`; `nil` if unstated.
        let type: String?
        /// OpenAPI 3.1 spells a nullable field as a type list that includes `"null"`.
        let allowsNull: Bool
        let maxLength: Int?
        let maximum: Double?
        let minimum: Double?
        let maxItems: Int?
        let enumValues: [String]?
        let properties: [String: Schema]
        let additionalProperties: Schema?
        let items: Schema?
        let required: Set<String>
        /// Where a field takes a listed value without an `enum` (validated by the service, with
        /// a 422 naming the field), the description lists the values.
        let description: String?

        init(type: String?, allowsNull: Bool, maxLength: Int?, maximum: Double?, minimum: Double?, maxItems: Int?, enumValues: [String]?,
             properties: [String: Schema], additionalProperties: Schema?, items: Schema?, required: Set<String>, description: String?) {
            self.type = type
            self.allowsNull = allowsNull
            self.maxLength = maxLength
            self.maximum = maximum
            self.minimum = minimum
            self.maxItems = maxItems
            self.enumValues = enumValues
            self.properties = properties
            self.additionalProperties = additionalProperties
            self.items = items
            self.required = required
            self.description = description
        }
    }

    struct Parameter: Sendable {
        enum Location: String, Sendable { case query, header, path }
        let name: String
        let location: Location
        let required: Bool
        let schema: Schema
    }

    struct Operation: Sendable {
        let id: String
        let method: HTTPRequest.Method
        /// As the spec writes it: `/api/v1/agencies/{agencyId}`.
        let path: String
        let parameters: [Parameter]
        /// The `application/json` request body, if the operation takes one.
        let body: Schema?
        let bodyRequired: Bool
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Keyed by `"METHOD /path/{name}"`.
    let operations: [String: Operation]
    /// `components/schemas`, by name.
    let components: [String: Schema]

    static func key(_ method: HTTPRequest.Method, _ path: String) -> String { "\(method.rawValue) \(path)" }

    func operation(_ method: HTTPRequest.Method, _ path: String) -> Operation? { operations[Self.key(method, path)] }

    /// The document the API was generated from (the copy served at `/api/v1/openapi.yaml`).
    static func load() throws -> APISpec {
        guard let text = String(data: try OpenAPIDocument.yaml(), encoding: .utf8) else { throw Invalid(description: "openapi.yaml is not UTF-8") }
        return try APISpec(yaml: text)
    }

    init(yaml text: String) throws {
        guard let root = try Yams.compose(yaml: text) else { throw Invalid(description: "openapi.yaml is empty") }
        let schemas = root["components"]?["schemas"]
        var resolving: [String] = []
        func schema(_ node: Node?) throws -> Schema {
            guard let node else { return Schema.any }
            if let ref = node["$ref"]?.string {
                let prefix = "#/components/schemas/"
                guard ref.hasPrefix(prefix), let target = schemas?[String(ref.dropFirst(prefix.count))] else {
                    throw Invalid(description: "openapi.yaml: cannot resolve \(ref)")
                }
                guard !resolving.contains(ref) else { throw Invalid(description: "openapi.yaml: \(ref) refers to itself; the checker does not follow cycles") }
                resolving.append(ref)
                defer { resolving.removeLast() }
                return try schema(target)
            }
            var type = node["type"]?.string
            var allowsNull = false
            if let list = node["type"]?.sequence {
                let names = list.compactMap(\.string)
                allowsNull = names.contains("null")
                type = names.first { $0 != "null" }
            }
            var properties: [String: Schema] = [:]
            for (key, value) in node["properties"]?.mapping ?? [:] {
                guard let name = key.string else { continue }
                properties[name] = try schema(value)
            }
            let additional = node["additionalProperties"]
            // A schema with no type and no shape admits any value, null included (the loosely
            // typed fields whose null must be sent, such as a hidden cell's `value`).
            if node["type"] == nil && properties.isEmpty && additional == nil && node["items"] == nil && node["enum"] == nil { allowsNull = true }
            return Schema(
                type: type, allowsNull: allowsNull, maxLength: node["maxLength"]?.int, maximum: node["maximum"]?.float,
                minimum: node["minimum"]?.float, maxItems: node["maxItems"]?.int, enumValues: node["enum"]?.sequence?.compactMap(\.string),
                properties: properties, additionalProperties: additional?.mapping == nil ? nil : try schema(additional),
                items: try node["items"].map { try schema($0) }, required: Set(node["required"]?.sequence?.compactMap(\.string) ?? []),
                description: node["description"]?.string)
        }
        func parameters(_ node: Node?) throws -> [Parameter] {
            try (node?.sequence ?? []).map { p in
                guard let name = p["name"]?.string, let location = p["in"]?.string.flatMap(Parameter.Location.init(rawValue:)) else {
                    throw Invalid(description: "openapi.yaml: a parameter without a name or with an unsupported location")
                }
                return Parameter(name: name, location: location, required: p["required"]?.bool ?? (location == .path), schema: try schema(p["schema"]))
            }
        }
        var operations: [String: Operation] = [:]
        for (pathKey, item) in root["paths"]?.mapping ?? [:] {
            guard let path = pathKey.string else { continue }
            let shared = try parameters(item["parameters"])
            for (methodKey, op) in item.mapping ?? [:] {
                guard let name = methodKey.string, name != "parameters", let method = HTTPRequest.Method(name.uppercased()) else { continue }
                let own = try parameters(op["parameters"])
                // An operation's own parameter replaces a path-level one of the same name and place.
                let merged = own + shared.filter { s in !own.contains { $0.name == s.name && $0.location == s.location } }
                let body = op["requestBody"]
                let operation = Operation(
                    id: op["operationId"]?.string ?? "\(name) \(path)", method: method, path: path, parameters: merged,
                    body: body?["content"]?["application/json"] == nil ? nil : try schema(body?["content"]?["application/json"]?["schema"]),
                    bodyRequired: body?["required"]?.bool ?? false)
                operations[Self.key(method, path)] = operation
            }
        }
        self.operations = operations
        var components: [String: Schema] = [:]
        for (key, value) in schemas?.mapping ?? [:] {
            if let name = key.string { components[name] = try schema(value) }
        }
        self.components = components
    }
}

extension APISpec.Schema {
    /// A schema that allows anything (an unstated one).
    static let any = APISpec.Schema(type: nil, allowsNull: true, maxLength: nil, maximum: nil, minimum: nil, maxItems: nil, enumValues: nil,
                                    properties: [:], additionalProperties: nil, items: nil, required: [], description: nil)
}
