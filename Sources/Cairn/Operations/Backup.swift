import FluentKit
import Foundation
import Logging
import SQLKit

/// Online backup and restore of the embedded SQLite database. PostgreSQL deployments use
/// `pg_dump` / `pg_restore`, which already do this properly.
public enum Backup {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let postgresAdvice = "this database is PostgreSQL: back it up with `pg_dump --format=custom --file=cairn.dump DATABASE_URL` and restore with `pg_restore --clean --if-exists --dbname=DATABASE_URL cairn.dump`"

    /// Writes a consistent copy of the live database to `file`, safe while Cairn is serving:
    /// `VACUUM INTO` reads one snapshot in a single transaction and never blocks writers in WAL mode.
    public static func backup(_ database: CairnDatabase, to file: String, overwrite: Bool = false) async throws {
        guard database.isSQLite else { throw Failure(description: postgresAdvice) }
        let target = URL(fileURLWithPath: file).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: target) {
            guard overwrite else { throw Failure(description: "\(file) already exists; choose another name or pass --force to replace it") }
            try FileManager.default.removeItem(atPath: target)
        }
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: folder) else { throw Failure(description: "cannot write to the folder \(folder)") }
        try await database.sql.raw("VACUUM INTO \(bind: target)").run()
    }

    /// Replaces the database at `destination` with the backup `file`, after checking the backup
    /// is a Cairn database whose audit chain is intact. Refuses while a server holds the
    /// database (`DatabaseLock`), and holds the lock itself until done, so no server starts on
    /// the file half-way.
    public static func restore(from file: String, to destination: DatabaseURL, force: Bool, logger: Logger) async throws -> Int {
        guard case .sqlite(let path) = destination else { throw Failure(description: postgresAdvice) }
        let lock: DatabaseLock?
        do {
            lock = try DatabaseLock.acquire(destination, for: .restore)
        } catch let busy as DatabaseLock.Busy {
            throw Failure(description: "\(busy), then restore")
        }
        defer { withExtendedLifetime(lock) {} }
        guard FileManager.default.isReadableFile(atPath: file) else { throw Failure(description: "cannot read the backup file \(file)") }
        let header = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: file)).read(upToCount: 16)) ?? Data()
        guard header == Data("SQLite format 3\0".utf8) else { throw Failure(description: "\(file) is not a SQLite database") }
        // Check the backup in place before touching the live file.
        let staging = path + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: file, toPath: staging)
        let checked: Int
        do {
            let candidate = try CairnDatabase(url: .sqlite(path: staging), logger: logger)
            do {
                guard try await candidate.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_entries'").first() != nil else {
                    throw Failure(description: "\(file) is not a Cairn backup (it has no audit log)")
                }
                let verification = try await AuditLog(database: candidate).verify()
                guard verification.isIntact else {
                    throw Failure(description: "the backup's audit log is not intact (\(verification.reason ?? "")); refusing to restore it")
                }
                checked = verification.checked
                await candidate.shutdown()
            } catch {
                await candidate.shutdown()
                throw error
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        if FileManager.default.fileExists(atPath: path), !force {
            try? FileManager.default.removeItem(atPath: staging)
            throw Failure(description: "\(path) already exists and would be replaced; stop Cairn, then run again with --force")
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        // rename(2) is atomic: the live path holds either the old database or the restored one.
        guard rename(staging, path) == 0 else {
            throw Failure(description: "could not move the restored database into place at \(path)")
        }
        return checked
    }
}
