import Foundation
import SQLKit

/// Multi-row inserts with bound parameters, for the write paths that must be fast (report
/// intake, the audit log). Rows are split so no statement exceeds a bind limit every
/// supported database accepts.
enum SQLRows {
    /// Binds per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
    static let maxBinds = 10_000

    /// A bound value, or SQL NULL for nil (as FluentSQL writes optional fields).
    static func value<T: Encodable & Sendable>(_ value: T?) -> any SQLExpression {
        guard let value else { return SQLLiteral.null }
        return SQLBind(value)
    }

    /// Splits values for `IN (…)` lists so no statement has too many parameters.
    static func chunks<T>(_ values: [T], size: Int = 500) -> [[T]] {
        stride(from: 0, to: values.count, by: size).map { Array(values[$0..<min(values.count, $0 + size)]) }
    }

    static func insert(into table: String, columns: [String], rows: [[any SQLExpression]], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, maxBinds / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            var builder = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] {
                precondition(row.count == columns.count, "a row for \(table) has \(row.count) values for \(columns.count) columns")
                builder = builder.values(row)
            }
            try await builder.run()
            start = end
        }
    }
}
