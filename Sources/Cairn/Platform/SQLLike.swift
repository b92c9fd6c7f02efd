import FluentKit
import SQLKit

/// `LIKE` that means what the person typed, the same on SQLite and PostgreSQL:
/// - `%`, `_` and `\` in their text match themselves (escaped, with `ESCAPE '\'`; the audit
///   search used to delete them instead);
/// - letters A–Z match either case and every other character matches exactly. SQLite's
///   `LIKE` and `LOWER` fold ASCII only (there is no ICU in its build); PostgreSQL's `LIKE` is
///   case-sensitive, so the column is lowered under the "C" collation, which folds ASCII only
///   too. The audit actor search was case-insensitive on SQLite and case-sensitive on PostgreSQL.
struct SQLLike: SQLExpression {
    enum Match: Sendable { case contains, prefix, exactly }

    let column: any SQLExpression
    let pattern: String

    init(_ column: any SQLExpression, _ match: Match, _ text: String) {
        self.column = column
        let escaped = Self.escape(Self.foldASCII(text))
        switch match {
        case .contains: pattern = "%\(escaped)%"
        case .prefix: pattern = "\(escaped)%"
        case .exactly: pattern = escaped
        }
    }

    /// A column of the query's own table.
    init(column name: String, _ match: Match, _ text: String) {
        self.init(SQLColumn(name), match, text)
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("LOWER(")
        column.serialize(to: &serializer)
        if serializer.dialect.name == "postgresql" { serializer.write(" COLLATE \"C\"") }
        serializer.write(") LIKE ")
        SQLBind(pattern).serialize(to: &serializer)
        serializer.write(" ESCAPE '\\'")
    }

    /// The filter for a Fluent query.
    var filter: DatabaseQuery.Filter { .custom(self) }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if character == "\\" || character == "%" || character == "_" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// A–Z to a–z; nothing else changes (what SQLite's LOWER does).
    static func foldASCII(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar(UInt8(truncatingIfNeeded: $0.value) | 0x20) : $0 }))
    }
}
