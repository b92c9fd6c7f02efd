import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, on a small pool of threads of its own. Hashing is deliberately slow (a quarter of a
/// second of one core at cost 12), so it must neither run on the event loops nor share
/// `NIOThreadPool.singleton`, which SQLite and static files use: 100 sign-ins at once there
/// kept every other request waiting for seconds. Here a flood of sign-ins takes at most
/// `threads` cores, and at most `queue` more checks wait; beyond that `verify` refuses at once
/// (429 with `Retry-After`) instead of making everyone wait.
public final class PasswordHasher: Sendable {
    /// Threads hashing at once.
    public let threads: Int
    /// Checks allowed to wait for a thread, beyond those running.
    public let queue: Int
    /// The configured bcrypt cost, used for new hashes and for the decoy.
    public let cost: Int
    private let pool: NIOThreadPool

    private struct State {
        /// Checks admitted and not finished (running or waiting).
        var admitted = 0
        /// Recent seconds per hash (a moving average), for `Retry-After`.
        var averageSeconds: Double
        var decoy: String?
        var running = true
    }
    private let state: Mutex<State>

    public init(threads: Int, queue: Int, cost: Int) {
        self.threads = max(1, threads)
        self.queue = max(0, queue)
        self.cost = min(31, max(4, cost))
        // A first guess until hashes are measured: cost 12 takes about a quarter of a second.
        state = Mutex(State(averageSeconds: 0.25 * pow(2, Double(self.cost - 12))))
        pool = NIOThreadPool(numberOfThreads: self.threads)
        pool.start()
    }

    /// Too many password checks are waiting already.
    public static func busy(retryAfter seconds: Int) -> AppError {
        AppError(.tooManyRequests, title: "Too many sign-ins at once",
                 "Many people are signing in right now. Wait \(seconds) second\(seconds == 1 ? "" : "s") and try again.", retryAfter: seconds)
    }

    /// Hashes a new password at the configured cost. Only signed-in people (changing their own
    /// password) and administrators reach this, so it waits for a thread rather than refusing.
    public func hash(_ password: String) async throws -> String {
        let cost = UInt8(self.cost)
        return try await run(bounded: false) { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a stored hash; throws `busy` (429) when the queue is full.
    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await run(bounded: true) { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash of a password nobody knows, at the configured cost, for sign-ins that have no
    /// real hash to check (an unknown address): the same work as a real check, so the answer's
    /// timing says nothing about whether the account exists.
    public func decoyHash() async throws -> String {
        if let decoy = state.withLock({ $0.decoy }) { return decoy }
        let cost = UInt8(self.cost)
        let secret = Secrets.token()
        let made = try await run(bounded: false) { Bcrypt.hash(secret, cost: cost) }
        return state.withLock { state in
            if let decoy = state.decoy { return decoy }
            state.decoy = made
            return made
        }
    }

    /// Runs `body` on the pool. Bounded work is refused when `threads + queue` are admitted already.
    func run<T: Sendable>(bounded: Bool, _ body: @escaping @Sendable () -> T) async throws -> T {
        let refusal: Int? = state.withLock { state in
            if bounded, state.admitted >= threads + queue {
                // Everything admitted must finish first, `threads` at a time.
                let waves = Double(state.admitted / threads + 1)
                return max(1, Int((waves * state.averageSeconds).rounded(.up)))
            }
            state.admitted += 1
            return nil
        }
        if let refusal { throw Self.busy(retryAfter: refusal) }
        defer { state.withLock { $0.admitted -= 1 } }
        return try await pool.runIfActive { [self] in
            let start = ContinuousClock.now
            let result = body()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.withLock { $0.averageSeconds = $0.averageSeconds * 0.8 + seconds * 0.2 }
            return result
        }
    }

    /// Checks admitted and not yet finished (tests, metrics).
    public var admitted: Int { state.withLock { $0.admitted } }

    /// Stops the threads once the work already admitted has finished.
    public func shutdown() async {
        let wasRunning = state.withLock { state in
            defer { state.running = false }
            return state.running
        }
        if wasRunning { try? await pool.shutdownGracefully() }
    }

    deinit {
        // Services that were never shut down (a command that only reads) still stop their threads.
        if state.withLock({ $0.running }) { pool.shutdownGracefully { _ in } }
    }
}
