import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Synchronization

/// Owns the connection pools and hands out `Database` handles. Same behaviour on SQLite and
/// PostgreSQL; the few places where the dialects differ ask `isSQLite`.
public final class CairnDatabase: Sendable {
    public let url: DatabaseURL
    public let databases: Databases
    let logger: Logger
    /// SQLite allows one writer at a time, so every query goes through one connection on one
    /// event loop; PostgreSQL spreads across loops and pools.
    private let pinnedLoop: (any EventLoop)?
    public let poolSize: Int
    private let checkpoints = Mutex<Task<Void, Never>?>(nil)
    /// The default database on each event loop, made once: `db` and `sql` hand these out, so
    /// neither can fail after `init` has succeeded.
    private let handles: [ObjectIdentifier: Handle]
    private let firstHandle: Handle

    private struct Handle: @unchecked Sendable {
        let db: any Database
        let sql: any SQLDatabase
    }

    public init(url: DatabaseURL, poolSize: Int = 4, logger: Logger) throws {
        self.url = url
        self.logger = logger
        let group = MultiThreadedEventLoopGroup.singleton
        self.databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        switch url {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DatabaseURL.Invalid(description: "the folder for the SQLite database \(path) does not exist")
            }
            // One writer: a burst queues for the connection rather than failing after 10 s.
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace), as: .sqlite)
            // A second connection for reads that may see the last commit rather than wait for the
            // writer's connection (see `reader`).
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace),
                          as: Self.readerID, isDefault: false)
            pinnedLoop = group.next()
            self.poolSize = 1
        case .postgres(let text):
            databases.use(
                try .postgres(url: text, maxConnectionsPerEventLoop: poolSize, connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace),
                as: .psql)
            pinnedLoop = nil
            self.poolSize = poolSize * System.coreCount
        }
        var handles: [ObjectIdentifier: Handle] = [:]
        var first: Handle?
        for loop in pinnedLoop.map({ [$0] }) ?? Array(group.makeIterator()) {
            guard let db = databases.database(logger: logger, on: loop), let sql = db as? any SQLDatabase else {
                throw DatabaseURL.Invalid(description: "the database driver for \(url) does not offer SQL")
            }
            let handle = Handle(db: db, sql: sql)
            handles[ObjectIdentifier(loop)] = handle
            first = first ?? handle
        }
        guard let first else { throw DatabaseURL.Invalid(description: "no event loop to run the database on") }
        self.handles = handles
        firstHandle = first
    }

    private var handle: Handle {
        guard pinnedLoop == nil else { return firstHandle }
        return handles[ObjectIdentifier(databases.eventLoopGroup.any())] ?? firstHandle
    }

    public var isSQLite: Bool { url.isSQLite }

    public var db: any Database { handle.db }

    public var sql: any SQLDatabase { handle.sql }

    static let readerID = DatabaseID(string: "sqlite-reader")

    /// For reads outside a transaction that only need what is committed, by work that runs
    /// alongside intake (linking): on SQLite a connection of its own, so these reads neither wait
    /// for nor hold up the one connection that writes (with WAL, a reader sees the last commit
    /// and never blocks the writer); on PostgreSQL the ordinary pool.
    public var reader: any SQLDatabase {
        guard let pinnedLoop, let reader = databases.database(Self.readerID, logger: logger, on: pinnedLoop) as? any SQLDatabase else {
            return sql
        }
        return reader
    }

    /// Opens the database and checks it answers, so a bad URL or an unreachable server fails
    /// at start-up with its reason rather than at the first request.
    public func connect() async throws {
        if isSQLite {
            // WAL lets readers (and online backups) proceed while a write is in progress.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA synchronous=FULL").run()
            try await sql.raw("PRAGMA foreign_keys=ON").run()
            // Page cache: the reading connection (linking's look-ups, all over a growing file) gets
            // 64 MiB, where each miss was a read system call (a tenth of linking's time once the
            // database passed 100 MB). The writing connection gets 8 MiB: at each commit SQLite
            // walks its cache's whole hash table, which at 64 MiB was 4% of the server's time
            // under sustained intake (0.7% at 8 MiB, with no more reads to speak of).
            try await sql.raw("PRAGMA cache_size=-8192").run()
            try await reader.raw("PRAGMA cache_size=-65536").run()
            // Statement journals (a multi-row insert inside a transaction keeps one, to undo just
            // that statement if it fails) stay in memory instead of spilling to a temporary file.
            try await sql.raw("PRAGMA temp_store=MEMORY").run()
        }
        try await ping()
    }

    static let maintenanceID = DatabaseID(string: "sqlite-maintenance")

    /// SQLite only: checkpoints the write-ahead log from a second connection in the background,
    /// so that a commit never stops to copy the log back into the database file (measured as
    /// 100–200 ms pauses for the unlucky request). A passive checkpoint never blocks the writer
    /// or readers. SQLite's own checkpoint stays as a backstop for a log that grows past ~32 MB.
    /// Does nothing on PostgreSQL. `shutdown` stops it.
    public func startBackgroundCheckpoints(every interval: Duration = .milliseconds(250)) async throws {
        guard case .sqlite(let path) = url else { return }
        databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace),
                      as: Self.maintenanceID, isDefault: false)
        guard let maintenance = databases.database(Self.maintenanceID, logger: logger, on: databases.eventLoopGroup.any()) as? any SQLDatabase else {
            return
        }
        try await maintenance.raw("PRAGMA synchronous=FULL").run()
        try await sql.raw("PRAGMA wal_autocheckpoint=8000").run()
        let logger = self.logger
        let task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                do {
                    try await maintenance.raw("PRAGMA wal_checkpoint(PASSIVE)").run()
                } catch {
                    logger.warning("WAL checkpoint failed", metadata: ["error": "\(String(describing: type(of: error)))"])
                }
            }
        }
        checkpoints.withLock { $0 = task }
    }

    public func ping() async throws {
        try await sql.raw("SELECT 1").run()
    }

    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(CairnMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: pinnedLoop ?? databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    public func shutdown() async {
        // Background checkpoints stop first, so none runs against a closed database.
        if let task = checkpoints.withLock({ $0 }) {
            task.cancel()
            await task.value
        }
        await databases.shutdownAsync()
    }
}
