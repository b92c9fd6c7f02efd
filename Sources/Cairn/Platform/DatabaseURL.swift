import Foundation

/// Where Cairn keeps its data: an embedded SQLite file or a PostgreSQL server.
public enum DatabaseURL: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultValue = DatabaseURL.sqlite(path: "cairn.sqlite")

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw Invalid(description: "database URL \"sqlite://\" has no file path; use e.g. sqlite://cairn.sqlite")
            }
            self = .sqlite(path: path)
        } else if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty else {
                throw Invalid(description: "database URL is not a valid PostgreSQL URL; expected postgres://user:password@host:port/database")
            }
            let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard !database.isEmpty else {
                throw Invalid(description: "PostgreSQL database URL names no database; expected postgres://user:password@\(host):5432/database")
            }
            guard components.user != nil else {
                throw Invalid(description: "PostgreSQL database URL names no user; expected postgres://user:password@\(host):5432/\(database)")
            }
            self = .postgres(url: trimmed)
        } else {
            let scheme = trimmed.split(separator: ":").first.map(String.init) ?? trimmed
            throw Invalid(description: "database URL scheme \"\(scheme)\" is not supported; use sqlite://PATH or postgres://user:password@host:port/database")
        }
    }

    public var isSQLite: Bool { if case .sqlite = self { true } else { false } }

    /// Safe to print: the password is never shown.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "****" }
            return components.string ?? "postgres://…"
        }
    }
}
