import Foundation
import Synchronization

/// How many events one address may cause: up to `limit` at once, and the allowance refills
/// evenly, one event every `window / limit` (a token bucket). It is kept as one number per
/// address, the time at which the allowance would be full again (the generic cell rate
/// algorithm), so the same rule costs the same in the process and in a database row.
public struct RateRule: Sendable, Equatable {
    public let limit: Int
    /// Nanoseconds for a full allowance to refill.
    public let window: Int64
    /// Nanoseconds one event takes from the allowance; `limit` of them never exceed `window`.
    public let interval: Int64

    public init(limit: Int, window: Duration) {
        self.limit = max(1, limit)
        let nanos = window.components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self.window = nanos.overflow ? Int64.max / 4 : max(1, nanos.partialValue + window.components.attoseconds / 1_000_000_000)
        interval = max(1, self.window / Int64(self.limit))
    }

    /// The new full-again time if one more event is allowed at `now`, or nil when it is not.
    @inline(__always)
    func next(after fullAt: Int64, now: Int64) -> Int64? {
        let next = max(fullAt, now) + interval
        return next - now <= window ? next : nil
    }

    /// Nanoseconds until one more event is allowed.
    @inline(__always)
    func wait(fullAt: Int64, now: Int64) -> Int64 { max(1, max(fullAt, now) + interval - window - now) }
}

/// Where the counts live. Either way, checking and counting are one step: of 50 requests at
/// once against a limit of 10, exactly 10 get through.
protocol RateLimitStore: Sendable {
    /// Counts one event for `key` and returns nil when the rule allows it; otherwise counts
    /// nothing and returns the nanoseconds to wait.
    func take(scope: String, key: String, rule: RateRule, now: Int64) async throws -> Int64?
    /// Returns one event's share (an attempt that turned out not to count).
    func giveBack(scope: String, key: String, rule: RateRule, now: Int64) async throws
}

/// One limit per client address: failed sign-ins (so guessing across accounts is slowed),
/// public reports, failed status checks. On SQLite (one instance) the counts live in this
/// process; on PostgreSQL in a table every instance shares (`SharedRateLimits`).
///
/// Call `take` before the work and `giveBack` when it turns out not to count (a sign-in that
/// succeeded, a report that was a replay or invalid), so a burst cannot slip past the limit
/// between a check and the count.
public final class AddressThrottle: Sendable {
    public let scope: String
    public let rule: RateRule
    let store: any RateLimitStore
    /// Nanoseconds since the reference date; tests move it by hand.
    let clock: @Sendable () -> Int64

    init(scope: String, rule: RateRule, store: any RateLimitStore, clock: @escaping @Sendable () -> Int64 = AddressThrottle.wallClock) {
        self.scope = scope
        self.rule = rule
        self.store = store
        self.clock = clock
    }

    /// An in-process throttle (SQLite, tests).
    convenience init(scope: String = "local", limit: Int = 30, window: Duration = .seconds(15 * 60),
                     clock: @escaping @Sendable () -> Int64 = AddressThrottle.wallClock) {
        self.init(scope: scope, rule: RateRule(limit: limit, window: window), store: ProcessRateLimits(), clock: clock)
    }

    @Sendable static func wallClock() -> Int64 {
        Int64((Date().timeIntervalSinceReferenceDate * 1e9).rounded())
    }

    /// Counts one event for the address; returns the seconds to wait, without counting, when
    /// the address has used its allowance.
    public func take(_ address: String) async throws -> Int? {
        guard let wait = try await store.take(scope: scope, key: Self.key(address), rule: rule, now: clock()) else { return nil }
        return max(1, Int((wait + 999_999_999) / 1_000_000_000))
    }

    /// Hands back what `take` counted, for an attempt that turned out not to count.
    public func giveBack(_ address: String) async {
        try? await store.giveBack(scope: scope, key: Self.key(address), rule: rule, now: clock())
    }

    /// Whose allowance an address uses: an IPv4 address its own (however written); an IPv6 address its /64 (one
    /// subscriber's network, whose every address the subscriber can use, so counting single
    /// IPv6 addresses would let a client step round any limit); anything else as written.
    static func key(_ address: String) -> String {
        guard let ip = IPAddress(address) else { return address }
        if ip.isIPv4 { return ip.description }
        return IPAddress(bytes: IPRange.mask(ip.bytes, bits: 64)).description + "/64"
    }

    /// Addresses held in the process (tests); nil for a shared store.
    var addressCount: Int? { (store as? ProcessRateLimits)?.count }
}

/// The counts in this process: one number per address, under a lock. The table drops
/// addresses whose allowance is full again once it has grown past `pruneAt`.
final class ProcessRateLimits: RateLimitStore {
    private struct State {
        var fullAt: [String: Int64] = [:]
        var pruneAt = 10_000
    }
    private let state = Mutex(State())

    func take(scope: String, key: String, rule: RateRule, now: Int64) -> Int64? {
        state.withLock { state in
            let fullAt = state.fullAt[key] ?? now
            guard let next = rule.next(after: fullAt, now: now) else { return rule.wait(fullAt: fullAt, now: now) }
            state.fullAt[key] = next
            if state.fullAt.count > state.pruneAt {
                state.fullAt = state.fullAt.filter { $0.value > now }
                state.pruneAt = max(10_000, state.fullAt.count * 2)
            }
            return nil
        }
    }

    func giveBack(scope: String, key: String, rule: RateRule, now: Int64) {
        state.withLock { state in
            guard let fullAt = state.fullAt[key] else { return }
            let back = fullAt - rule.interval
            state.fullAt[key] = back > now ? back : nil
        }
    }

    var count: Int { state.withLock { $0.fullAt.count } }
}
