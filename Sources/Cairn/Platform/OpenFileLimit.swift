import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`): every connection is a file descriptor, and
/// at the limit the server can accept nobody. Most systems start a process with a soft limit
/// of 1,024 and allow raising it to the hard limit without privileges.
public enum OpenFileLimit {
    /// Descriptors kept back from connections for the database, log and event loops.
    static func reserve(_ openFiles: Int) -> Int { min(256, max(32, openFiles / 8)) }

    /// The current soft limit, or nil when there is none (or it cannot be read).
    public static var current: Int? {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return limit.rlim_cur > rlim_t(Int.max) ? nil : Int(limit.rlim_cur)
    }

    /// Raises the soft limit to the hard one (`cairn serve` does this at start). Returns the
    /// soft limit now in force, and the one before.
    @discardableResult
    public static func raiseToHardLimit() -> (now: Int?, before: Int?) {
        let before = current
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return (before, before) }
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        if setrlimit(resourceNoFile, &raised) != 0 {
            // Linux refuses more than fs.nr_open even when the hard limit says unlimited.
            raised.rlim_cur = min(limit.rlim_max, 1_048_576)
            _ = setrlimit(resourceNoFile, &raised)
        }
        return (current, before)
    }

    /// The connections to allow: the configured number, but never so many that the process
    /// runs out of descriptors for everything else.
    public static func connections(_ configured: Int, openFiles: Int?) -> Int {
        guard let openFiles else { return configured }
        return max(1, min(configured, openFiles - reserve(openFiles)))
    }

    #if canImport(Glibc)
    private static let resourceNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNoFile = RLIMIT_NOFILE
    #endif
}
