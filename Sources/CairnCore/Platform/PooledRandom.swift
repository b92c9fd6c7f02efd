import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Random numbers from the operating system's generator, fetched 4 KiB at a time. The standard
/// `SystemRandomNumberGenerator` makes one system call per number, and a report at intake needs
/// a dozen (ids, reference, passphrase): those calls showed in profiles. The numbers are the
/// kernel's, as unpredictable as before; they are handed out once each, under a lock.
public struct PooledRandomNumberGenerator: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }

    private static let pool = Mutex(Pool())

    private struct Pool: ~Copyable {
        var words = [UInt64](repeating: 0, count: 512)
        var index = 512

        mutating func next() -> UInt64 {
            if index == words.count {
                words.withUnsafeMutableBytes(Self.fill)
                index = 0
            }
            defer {
                words[index] = 0  // handed out once; not kept in memory afterwards
                index += 1
            }
            return words[index]
        }

        static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
            #if canImport(Glibc)
            // The kernel's generator, as `getrandom` reads it (Glibc's module does not export that).
            let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if fd >= 0, let base = buffer.baseAddress {
                defer { close(fd) }
                var filled = 0
                while filled < buffer.count {
                    let n = read(fd, base + filled, buffer.count - filled)
                    if n > 0 { filled += n } else if n < 0, errno == EINTR { continue } else { break }
                }
                if filled == buffer.count { return }
            }
            #endif
            var system = SystemRandomNumberGenerator()
            for offset in stride(from: 0, to: buffer.count, by: 8) {
                buffer.storeBytes(of: system.next() as UInt64, toByteOffset: offset, as: UInt64.self)
            }
        }
    }
}
