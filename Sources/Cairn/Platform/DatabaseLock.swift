import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An SQLite database is served by one process at a time. `cairn serve` holds an exclusive
/// `flock` on `<database>.lock` for its whole life, and `cairn restore` takes the same lock
/// before replacing the file: a restore under a running server used to succeed, and the server
/// went on acknowledging reports into the replaced file, which vanished at the next restart. A
/// second server on the same file is refused the same way. The kernel releases the lock when
/// the process ends, however it ends, so a killed server leaves nothing to clean up.
/// PostgreSQL takes no lock: several instances on one database is a normal deployment.
public final class DatabaseLock: Sendable {
    /// What the lock file says about its holder, for the message.
    public enum Purpose: String, Sendable {
        case serve, restore
    }

    public struct Busy: Error, CustomStringConvertible {
        public let database: String
        public let holder: String
        public var description: String { "\(holder) is using \(database); stop it first" }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let descriptor: Int32
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// The lock file beside an SQLite database, or `nil` for PostgreSQL.
    public static func lockPath(for database: DatabaseURL) -> String? {
        guard case .sqlite(let path) = database else { return nil }
        // The same file however the path was written (relative, through a link).
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.deletingLastPathComponent().resolvingSymlinksInPath()
        return folder.appendingPathComponent(url.lastPathComponent).path + ".lock"
    }

    /// Takes the lock without waiting: `nil` for PostgreSQL; throws `Busy` naming the holder
    /// if another process has it. Keep the returned lock for as long as the database must be
    /// yours; it is released when it is deinitialised or the process ends.
    public static func acquire(_ database: DatabaseURL, for purpose: Purpose) throws -> DatabaseLock? {
        guard let path = lockPath(for: database) else { return nil }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Failure(description: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            let holder = describeHolder(fd)
            close(fd)
            if error == EWOULDBLOCK {
                throw Busy(database: database.description, holder: holder)
            }
            throw Failure(description: "cannot lock \(path): \(String(cString: strerror(error)))")
        }
        // Say who holds it, for anyone refused.
        let note = Array("\(purpose.rawValue) \(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return DatabaseLock(descriptor: fd, path: path)
    }

    /// "a Cairn server (pid 123)" or "cairn restore (pid 123)", from the holder's note.
    static func describeHolder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let text = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
        let parts = text.split(whereSeparator: \.isWhitespace)
        let pid = parts.count > 1 ? Int(parts[1]) : nil
        let what = parts.first == "restore" ? "cairn restore" : "a Cairn server"
        return pid.map { "\(what) (pid \($0))" } ?? what
    }
}
