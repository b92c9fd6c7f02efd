/// One problem with submitted data, named by the field it concerns so a form can show it in place.
public struct ValidationIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Dotted path of the field, e.g. `reasonableGrounds.date`.
    public let field: String
    /// A sentence the person who typed the data can act on.
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Thrown where a value cannot be built at all from data with problems.
public struct ValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public let issues: [ValidationIssue]

    public init(_ issues: [ValidationIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}
