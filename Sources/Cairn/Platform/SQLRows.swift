import FluentSQLiteDriver
import Foundation
import SQLKit

/// A value for `SQLRows.insert`, stored exactly as FluentKit stores the same Swift value on
/// each database (on SQLite: a UUID as its upper-case text, a date as seconds since 1970, a
/// Bool as 0 or 1; on PostgreSQL: the native types). `nil` is SQL NULL.
enum SQLValue: Sendable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case bool(Bool)
    case uuid(UUID)
    case date(Date)
    case null

    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: UUID?) { self = value.map(SQLValue.uuid) ?? .null }
    init(_ value: Date?) { self = value.map(SQLValue.date) ?? .null }
    init(_ value: Bool) { self = .bool(value) }
    init(_ value: Int) { self = .integer(Int64(value)) }
    init(_ value: Int64) { self = .integer(value) }
    init(_ value: Double) { self = .real(value.isFinite ? value : 0) }

    /// What SQLite's driver (sqlite-kit's encoder) sends for the same Swift value.
    var sqliteData: SQLiteData {
        switch self {
        case .text(let s): .text(s)
        case .integer(let i): .integer(Int(i))
        case .real(let d): .float(d)
        case .bool(let b): .integer(b ? 1 : 0)
        case .uuid(let u): .text(u.text)
        case .date(let d): .float(d.timeIntervalSince1970)
        case .null: .null
        }
    }

    /// The same value as an SQLKit expression (PostgreSQL, and anything but SQLite).
    var expression: any SQLExpression {
        switch self {
        case .text(let s): SQLBind(s)
        case .integer(let i): SQLBind(i)
        case .real(let d): SQLBind(d)
        case .bool(let b): SQLBind(b)
        case .uuid(let u): SQLBind(u)
        case .date(let d): SQLBind(d)
        case .null: SQLLiteral.null
        }
    }
}

/// Multi-row inserts with bound parameters, for the write paths that must be fast (report
/// intake, the audit log, linking). Rows are split so no statement exceeds a bind limit every
/// supported database accepts.
enum SQLRows {
    /// Binds per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
    static let maxBinds = 10_000

    /// Splits values for `IN (…)` lists so no statement has too many parameters.
    static func chunks<T>(_ values: [T], size: Int = 500) -> [[T]] {
        stride(from: 0, to: values.count, by: size).map { Array(values[$0..<min(values.count, $0 + size)]) }
    }

    /// Inserts the rows (each with a value per column, in order). On SQLite the statement goes
    /// straight to the connection with its values already converted: building it through SQLKit
    /// (an expression tree per value, then an `Encodable` look-up per bind) cost more than
    /// SQLite's own work for intake and linking. Elsewhere it is an ordinary SQLKit insert.
    static func insert(into table: String, columns: [String], rows: [[SQLValue]], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        for row in rows {
            precondition(row.count == columns.count, "a row for \(table) has \(row.count) values for \(columns.count) columns")
        }
        let perStatement = max(1, maxBinds / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            let slice = rows[start..<end]
            if let sqlite = sql as? any SQLiteDatabase {
                var binds: [SQLiteData] = []
                binds.reserveCapacity(slice.count * columns.count)
                for row in slice { for value in row { binds.append(value.sqliteData) } }
                _ = try await sqlite.query(insertStatement(table, columns: columns, rows: slice.count), binds)
            } else {
                var builder = sql.insert(into: table).columns(columns)
                for row in slice { builder = builder.values(row.map(\.expression)) }
                try await builder.run()
            }
            start = end
        }
    }

    /// An identifier in double quotes, as SQLKit quotes for SQLite. Only for fixed names from
    /// the code, never input.
    static func quoted(_ name: String) -> String {
        precondition(!name.contains("\""), "identifiers are fixed names")
        return "\"\(name)\""
    }

    /// `?, ?, ?`: `count` positional parameters, as SQLite writes them.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// `INSERT INTO "table" ("a", "b") VALUES (?, ?), (?, ?)`, quoted as SQLKit quotes for SQLite.
    static func insertStatement(_ table: String, columns: [String], rows: Int) -> String {
        let placeholders = "(" + Self.placeholders(columns.count) + ")"
        var text = "INSERT INTO \(quoted(table)) (" + columns.map(quoted).joined(separator: ", ") + ") VALUES "
        text.reserveCapacity(text.utf8.count + rows * (placeholders.utf8.count + 2))
        for n in 0..<rows {
            if n > 0 { text += ", " }
            text += placeholders
        }
        return text
    }
}

extension UUID {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Whether `uuidString` of this id sorts before that of `other` (the bytes in order, as the
    /// text is their hex digits in order), without making either string.
    func sortsBefore(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { a in
            withUnsafeBytes(of: other.uuid) { b in
                for i in 0..<16 where a[i] != b[i] { return a[i] < b[i] }
                return false
            }
        }
    }

    /// The same text as `uuidString` (upper-case hex with hyphens), written directly: Foundation
    /// formats it through `snprintf`, which showed in profiles of linking.
    var text: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                    out[o] = Self.hexDigits[Int(byte >> 4)]
                    out[o + 1] = Self.hexDigits[Int(byte & 0x0F)]
                    o += 2
                }
                return o
            }
        }
    }
}
