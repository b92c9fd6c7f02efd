import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, on a small pool of threads of its own. Hashing is deliberately slow (a quarter of a
/// second of one core at cost 12), so it must neither run on the event loops nor share
/// `NIOThreadPool.singleton`, which SQLite and static files use: 100 sign-ins at once there
/// kept every other request waiting for seconds. Here a flood of sign-ins takes at most
/// `threads` cores, and at most `queue` more checks wait; beyond that a sign-in is refused at
/// once (429 with `Retry-After`), before any other work is done for it, instead of making
/// everyone wait.
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
        /// Password checks made since start: a sign-in's path is judged by how many it makes.
        var verified = 0
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

    /// Too many password checks are admitted already: wait `retryAfter` seconds.
    public struct Busy: Error, Sendable {
        public let retryAfter: Int
        public var appError: AppError {
            AppError(.tooManyRequests, title: "Too many sign-ins at once",
                     "Many people are signing in right now. Wait \(retryAfter) second\(retryAfter == 1 ? "" : "s") and try again.",
                     retryAfter: retryAfter)
        }
    }

    /// Proof that a sign-in's password check was admitted (`admitted`).
    public struct Admission: Sendable {
        fileprivate init() {}
    }

    /// Admits one sign-in's password check before anything else is done for it — so a flood
    /// beyond the bound is refused before it costs a database query — runs `body`, then frees
    /// the place. Throws `Busy` when `threads + queue` are admitted already.
    public func admitted<T>(_ body: (Admission) async throws -> T) async throws -> T {
        try admit(bounded: true)
        defer { release() }
        return try await body(Admission())
    }

    /// Checks a password against a stored hash, for a sign-in already admitted.
    public func verify(_ password: String, hash: String, in _: Admission) async throws -> Bool {
        state.withLock { $0.verified += 1 }
        return try await onPool { Bcrypt.verify(password, hash: hash) }
    }

    /// How many password checks this process has made (every sign-in path of the survivor's
    /// view makes the same number, whichever passphrase it was).
    public var verifications: Int { state.withLock { $0.verified } }

    /// Checks a password against a stored hash; 429 (`AppError`) when the queue is full.
    public func verify(_ password: String, hash: String) async throws -> Bool {
        do {
            return try await admitted { try await verify(password, hash: hash, in: $0) }
        } catch let busy as Busy {
            throw busy.appError
        }
    }

    /// Hashes a new password at the configured cost. Only signed-in people (changing their own
    /// password) and administrators reach this, so it waits for a thread rather than refusing.
    public func hash(_ password: String) async throws -> String {
        let cost = UInt8(self.cost)
        return try await run(bounded: false) { Bcrypt.hash(password, cost: cost) }
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

    /// Runs `body` on the pool as one admitted piece of work (`bounded`: refused when full).
    func run<T: Sendable>(bounded: Bool, _ body: @escaping @Sendable () -> T) async throws -> T {
        try admit(bounded: bounded)
        defer { release() }
        return try await onPool(body)
    }

    /// Whether a sign-in would be refused now, and for how long; nothing is admitted. Lets a
    /// flood be answered before any work is done for it (`admitted` still decides).
    public func refusal() -> Busy? {
        state.withLock { state in state.admitted >= threads + queue ? Busy(retryAfter: wait(state)) : nil }
    }

    private func admit(bounded: Bool) throws {
        let refusal: Int? = state.withLock { state in
            if bounded, state.admitted >= threads + queue { return wait(state) }
            state.admitted += 1
            return nil
        }
        if let refusal { throw Busy(retryAfter: refusal) }
    }

    /// Seconds until a place is likely free: everything admitted finishes first, `threads` at a time.
    private func wait(_ state: State) -> Int {
        let waves = Double(state.admitted / threads + 1)
        return max(1, Int((waves * state.averageSeconds).rounded(.up)))
    }

    private func release() {
        state.withLock { $0.admitted -= 1 }
    }

    private func onPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await pool.runIfActive { [self] in
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
