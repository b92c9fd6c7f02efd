import FluentKit
import SQLKit

/// A text search that means what the person typed, the same on SQLite and PostgreSQL:
/// - every character matches itself: `%`, `_`, `\`, `*`, `?`, `[` and the like are not
///   wildcards (the audit search used to delete `%` and `_` instead);
/// - every letter matches in either case, in any script: "ștefan" finds "Ștefan", "łukasz"
///   finds "Łukasz", "nguyễn" finds "NGUYỄN".
///
/// Neither database can be asked for that directly: SQLite's `LIKE` and `LOWER` fold A–Z only
/// (its build has no ICU), and PostgreSQL's `LOWER` and `ILIKE` follow the database's locale
/// (ASCII only under the "C" locale). So the pattern spells the cases out: each letter with
/// a different upper or lower case becomes a class of both (`[Șș]`), matched by SQLite's
/// `GLOB` and PostgreSQL's regular-expression operator `~`, which compare code points exactly.
struct SQLLike: SQLExpression {
    enum Match: Sendable { case contains, prefix, exactly }

    let column: any SQLExpression
    let text: String
    let match: Match

    init(_ column: any SQLExpression, _ match: Match, _ text: String) {
        self.column = column
        self.text = text
        self.match = match
    }

    /// A column of the query's own table.
    init(column name: String, _ match: Match, _ text: String) {
        self.init(SQLColumn(name), match, text)
    }

    func serialize(to serializer: inout SQLSerializer) {
        column.serialize(to: &serializer)
        if serializer.dialect.name == "postgresql" {
            serializer.write(" ~ ")
            SQLBind(Self.regex(text, match)).serialize(to: &serializer)
        } else {
            serializer.write(" GLOB ")
            SQLBind(Self.glob(text, match)).serialize(to: &serializer)
        }
    }

    /// The filter for a Fluent query.
    var filter: DatabaseQuery.Filter { .custom(self) }

    /// The character and its other cases, when each is a single code point (a class matches
    /// one code point); otherwise just the character.
    static func cases(_ character: Character) -> [Unicode.Scalar] {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first else { return Array(scalars) }
        var found = [scalar]
        for other in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping, scalar.properties.titlecaseMapping] {
            let mapped = other.unicodeScalars
            if mapped.count == 1, let single = mapped.first, !found.contains(single) { found.append(single) }
        }
        return found
    }

    /// SQLite `GLOB`: `*` any run, `?` one character, `[…]` a class; a special character is
    /// written as a class of itself.
    static func glob(_ text: String, _ match: Match) -> String {
        var out = match == .contains ? "*" : ""
        for character in text {
            let variants = cases(character)
            if variants.count > 1 {
                out += "[" + variants.map(String.init).joined() + "]"
            } else if character == "*" || character == "?" || character == "[" {
                out += "[\(character)]"
            } else {
                out.append(character)
            }
        }
        if match != .exactly { out += "*" }
        return out
    }

    /// PostgreSQL regular expression (ARE): anchored for a prefix or an exact match, every
    /// character that means something to it escaped with a backslash.
    static func regex(_ text: String, _ match: Match) -> String {
        var out = match == .contains ? "" : "^"
        for character in text {
            let variants = cases(character)
            if variants.count > 1 {
                out += "[" + variants.map(String.init).joined() + "]"
            } else if "\\.^$|?*+()[]{}".contains(character) {
                out += "\\\(character)"
            } else {
                out.append(character)
            }
        }
        if match == .exactly { out += "$" }
        return out
    }
}
