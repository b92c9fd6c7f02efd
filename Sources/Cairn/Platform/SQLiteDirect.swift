import FluentKit
import FluentSQLiteDriver
import Foundation
import NIOCore
import NIOPosix
import SQLKit
import VaporCSQLite

/// A whole SQLite transaction run in one go on a thread-pool thread, on the connection Fluent
/// uses, for report intake and linking.
///
/// Through SQLiteNIO every statement is its own trip (the task hands it to the SQLite thread
/// pool, which hands the result to the connection's event loop, which resumes the task): three
/// thread wake-ups per statement, and a batch of reports is about nine statements. With both
/// cores busy each wake-up waits its turn, and intake's writer spent ~5 ms per batch mostly
/// waiting (measured in the 2026-12-02 profile in BENCHMARKS.md). Here the connection is leased
/// from Fluent's pool as usual, so nothing else can use it meanwhile, and every statement of the
/// transaction runs on the thread that holds it, with SQLite's C interface.
///
/// SQLiteNIO does not make its connection's `sqlite3` handle public; `handle(of:)` reads it by
/// reflection and answers `nil` if the library's layout ever changes, in which case callers use
/// their ordinary (slower) path. `StorageTests` fails if the direct path is not available, so
/// an upgrade that breaks it is noticed.
final class SQLiteDirect {
    private let handle: OpaquePointer
    /// Statements prepared while the connection is held, finalised when it is given back.
    private var prepared: [String: OpaquePointer] = [:]

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// A value read back from a row.
    enum Column: Sendable, Equatable {
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
        case null

        var int: Int? {
            switch self {
            case .integer(let i): Int(i)
            case .real(let d): Int(d)
            case .text(let s): Int(s)
            default: nil
            }
        }

        var string: String? {
            switch self {
            case .text(let s): s
            case .integer(let i): String(i)
            case .real(let d): String(d)
            case .blob(let b): String(decoding: b, as: UTF8.self)
            case .null: nil
            }
        }

        /// A UUID as FluentKit stores it on SQLite (its text).
        var uuid: UUID? { string.flatMap(UUID.init(uuidString:)) }
    }

    /// The `sqlite3` handle of an SQLiteNIO connection, or `nil` if it cannot be reached.
    static func handle(of connection: SQLiteConnection) -> OpaquePointer? {
        guard let raw = Mirror(reflecting: connection).descendant("handle", "raw") else { return nil }
        if let pointer = raw as? OpaquePointer { return pointer }
        if let optional = raw as? OpaquePointer?, let pointer = optional { return pointer }
        return nil
    }

    /// Whether `transaction` can run on this database (SQLite, with a reachable handle).
    static func isAvailable(on db: any Database) async -> Bool {
        (try? await withConnection(on: db) { _ in true }) ?? false
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` … `COMMIT` on a leased connection, on the thread
    /// pool; rolls back if `body` or the commit throws. Answers `nil` without running anything
    /// when `db` is not SQLite, is already in a transaction, or its handle cannot be reached.
    static func transaction<T: Sendable>(on db: any Database, _ body: @escaping @Sendable (SQLiteDirect) throws -> T) async throws -> T? {
        try await withConnection(on: db) { direct in try direct.transaction(body) }
    }

    /// Leases the connection and runs `body` with it on a thread-pool thread; nothing else uses
    /// the connection until `body` returns. `body` may run several transactions one after the
    /// other (intake's writer does while reports keep arriving). Answers `nil` without running
    /// anything when `db` is not SQLite, is already in a transaction (the caller's statements
    /// must join it), or its handle cannot be reached.
    static func withConnection<T: Sendable>(on db: any Database, _ body: @escaping @Sendable (SQLiteDirect) throws -> T) async throws -> T? {
        guard !db.inTransaction, let sqlite = db as? any SQLiteDatabase else { return nil }
        // The lease and the hand-over to the thread pool stay on the connection's event loop
        // (futures, not tasks): four thread hand-offs in all.
        return try await sqlite.withConnection { (connection: SQLiteConnection) -> EventLoopFuture<T?> in
            guard let handle = handle(of: connection) else { return connection.eventLoop.makeSucceededFuture(nil) }
            let box = HandleBox(handle)
            return NIOThreadPool.singleton.runIfActive(eventLoop: connection.eventLoop) { () throws -> T? in
                let direct = SQLiteDirect(handle: box.handle)
                defer { direct.finalizeAll() }
                return try body(direct)
            }
        }.get()
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` … `COMMIT`; rolls back if `body` or the commit throws.
    func transaction<T>(_ body: (SQLiteDirect) throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if sqlite_nio_sqlite3_get_autocommit(handle) == 0 { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Carries the handle to the pool thread; only that thread uses it while the lease lasts.
    private final class HandleBox: @unchecked Sendable {
        let handle: OpaquePointer
        init(_ handle: OpaquePointer) { self.handle = handle }
    }

    // MARK: Statements

    /// Runs one statement, discarding any rows.
    func execute(_ sql: String, _ binds: [SQLValue] = []) throws {
        let statement = try statement(for: sql)
        try bind(binds, to: statement)
        while try step(statement) {}
    }

    /// Runs one statement and returns its rows.
    func rows(_ sql: String, _ binds: [SQLValue] = []) throws -> [[Column]] {
        let statement = try statement(for: sql)
        try bind(binds, to: statement)
        var rows: [[Column]] = []
        let count = sqlite_nio_sqlite3_column_count(statement)
        while try step(statement) {
            rows.append((0..<count).map { column(statement, $0) })
        }
        return rows
    }

    /// Inserts the rows one statement execution each (one prepared statement, re-bound per
    /// row), storing values as `SQLRows.insert` does.
    func insert(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let statement = try statement(for: SQLRows.insertStatement(table, columns: columns, rows: 1))
        for row in rows {
            precondition(row.count == columns.count, "a row for \(table) has \(row.count) values for \(columns.count) columns")
            try bind(row, to: statement)
            while try step(statement) {}
        }
    }

    private func statement(for sql: String) throws -> OpaquePointer {
        if let statement = prepared[sql] { return statement }
        var statement: OpaquePointer?
        let code = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, 0, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code) }
        prepared[sql] = statement
        return statement
    }

    /// Resets the statement (it may have run before) and binds `values` in order.
    private func bind(_ values: [SQLValue], to statement: OpaquePointer) throws {
        sqlite_nio_sqlite3_reset(statement)
        sqlite_nio_sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value.sqliteData {
            case .integer(let i): code = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(i))
            case .float(let d): code = sqlite_nio_sqlite3_bind_double(statement, index, d)
            case .text(let s):
                code = sqlite_nio_sqlite3_bind_text64(statement, index, s, UInt64(s.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            case .blob(let buffer):
                code = buffer.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient)
                }
            case .null: code = sqlite_nio_sqlite3_bind_null(statement, index)
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
    }

    /// Steps once: true while rows come back, false when done.
    private func step(_ statement: OpaquePointer) throws -> Bool {
        switch sqlite_nio_sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            // The statement's error is in the connection; reset clears it from the statement.
            let error = failure(code)
            sqlite_nio_sqlite3_reset(statement)
            throw error
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> Column {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite_nio_sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite_nio_sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private func failure(_ code: Int32) -> SQLiteDirectError {
        let extended = sqlite_nio_sqlite3_extended_errcode(handle)
        let message = sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "SQLite error \(code)"
        return SQLiteDirectError(code: extended != 0 ? extended : code, message: message)
    }

    private func finalizeAll() {
        for statement in prepared.values { sqlite_nio_sqlite3_finalize(statement) }
        prepared = [:]
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// An error from SQLite on the direct path; answers FluentKit's questions about it as the
/// SQLite driver's own error does, so callers handle both alike (a UNIQUE clash is a
/// constraint failure, for example).
struct SQLiteDirectError: Error, DatabaseError, CustomStringConvertible {
    /// The extended result code.
    let code: Int32
    let message: String

    var isConstraintFailure: Bool { code & 0xFF == SQLITE_CONSTRAINT }
    var isSyntaxError: Bool { code & 0xFF == SQLITE_ERROR && message.contains("syntax error") }
    var isConnectionClosed: Bool { code & 0xFF == SQLITE_MISUSE }
    var description: String { "SQLite error \(code): \(message)" }
}

/// The statements of one write transaction, as data, so the same writes run in one trip
/// through `SQLiteDirect` on SQLite and through SQLKit elsewhere (intake's rows, linking's
/// store). Inserts store values as `SQLRows.insert` does; `IN` lists are split as
/// `SQLRows.chunks` splits them.
struct SQLWriteSteps: Sendable {
    enum Step: Sendable {
        case insert(table: String, columns: [String], rows: [[SQLValue]])
        case delete(table: String, column: String, values: [SQLValue])
        case update(table: String, set: [(column: String, value: SQLValue)], column: String, values: [SQLValue])
    }

    private(set) var steps: [Step] = []

    mutating func insert(into table: String, columns: [String], rows: [[SQLValue]]) {
        if !rows.isEmpty { steps.append(.insert(table: table, columns: columns, rows: rows)) }
    }

    /// `DELETE FROM table WHERE column IN (values)`.
    mutating func delete(from table: String, where column: String, in values: [SQLValue]) {
        if !values.isEmpty { steps.append(.delete(table: table, column: column, values: values)) }
    }

    /// `UPDATE table SET a = …, b = … WHERE column IN (values)`.
    mutating func update(_ table: String, set: [(column: String, value: SQLValue)], where column: String, in values: [SQLValue]) {
        if !values.isEmpty { steps.append(.update(table: table, set: set, column: column, values: values)) }
    }

    /// Runs every step in order in one transaction of its own.
    func run(on db: any Database) async throws {
        guard !steps.isEmpty else { return }
        if try await SQLiteDirect.transaction(on: db, { direct in try run(in: direct) }) != nil { return }
        try await db.transaction { tx in try await run(in: try tx.sqlDatabase()) }
    }

    /// Runs every step in order within the caller's direct transaction.
    func run(in direct: SQLiteDirect) throws {
        for step in steps {
            switch step {
            case .insert(let table, let columns, let rows):
                try direct.insert(into: table, columns: columns, rows: rows)
            case .delete(let table, let column, let values):
                for chunk in SQLRows.chunks(values) {
                    try direct.execute("DELETE FROM \(SQLRows.quoted(table)) WHERE \(SQLRows.quoted(column)) IN (\(SQLRows.placeholders(chunk.count)))", chunk)
                }
            case .update(let table, let set, let column, let values):
                let assignments = set.map { "\(SQLRows.quoted($0.column)) = ?" }.joined(separator: ", ")
                for chunk in SQLRows.chunks(values) {
                    try direct.execute("UPDATE \(SQLRows.quoted(table)) SET \(assignments) WHERE \(SQLRows.quoted(column)) IN (\(SQLRows.placeholders(chunk.count)))",
                                       set.map(\.value) + chunk)
                }
            }
        }
    }

    /// Runs every step in order within the caller's SQLKit transaction.
    func run(in sql: any SQLDatabase) async throws {
        for step in steps {
            switch step {
            case .insert(let table, let columns, let rows):
                try await SQLRows.insert(into: table, columns: columns, rows: rows, on: sql)
            case .delete(let table, let column, let values):
                for chunk in SQLRows.chunks(values) {
                    try await sql.delete(from: table).where(SQLIdentifier(column), .in, SQLGroupExpression(chunk.map(\.expression))).run()
                }
            case .update(let table, let set, let column, let values):
                for chunk in SQLRows.chunks(values) {
                    let update = sql.update(table)
                    for (name, value) in set { update.set(SQLIdentifier(name), to: value.expression) }
                    try await update.where(SQLIdentifier(column), .in, SQLGroupExpression(chunk.map(\.expression))).run()
                }
            }
        }
    }
}
