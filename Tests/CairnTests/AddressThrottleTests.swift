import Foundation
import Testing

@testable import Cairn

/// The per-address limits' rule, on a clock the test moves, through the one interface both
/// stores share: in the process (SQLite) and in the shared table (PostgreSQL, when the tests
/// run against it).
@Suite struct AddressThrottleTests {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var now: Int64 = 1_000_000 * 1_000_000_000
        func read() -> Int64 { lock.withLock { now } }
        func advance(_ seconds: Int64) { lock.withLock { now += seconds * 1_000_000_000 } }
    }

    /// Runs `body` with the in-process store, and with the shared one on PostgreSQL.
    static func withStores(_ body: (any RateLimitStore) async throws -> Void) async throws {
        try await body(ProcessRateLimits())
        guard TestDatabase.isPostgres else { return }
        try await withServices { services, _ in
            try await body(SharedRateLimits(database: services.database))
        }
    }

    /// An IPv6 client can use every address of its /64, so the /64 shares one allowance; IPv4
    /// addresses (also written IPv4-mapped) each have their own.
    @Test func anIPv6NetworkSharesOneAllowance() async throws {
        try await Self.withStores { (store: any RateLimitStore) async throws in
            let clock = Clock()
            let throttle = AddressThrottle(scope: "v6", rule: RateRule(limit: 2, window: .seconds(60)), store: store, clock: clock.read)
            #expect(try await throttle.take("2001:db8:1:2::1") == nil)
            #expect(try await throttle.take("2001:db8:1:2:ffff:ffff:ffff:fffe") == nil)
            #expect(try await throttle.take("2001:db8:1:2:abcd::9") != nil, "a third address in the same /64 is refused")
            #expect(try await throttle.take("2001:db8:1:3::1") == nil, "the next /64 is another subscriber")
            #expect(try await throttle.take("192.0.2.1") == nil)
            #expect(try await throttle.take("192.0.2.1") == nil)
            #expect(try await throttle.take("192.0.2.2") == nil, "IPv4 addresses are counted one by one")
            #expect(try await throttle.take("::ffff:192.0.2.1") != nil, "IPv4-mapped is the same IPv4 address")
        }
        #expect(AddressThrottle.key("2001:DB8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(AddressThrottle.key("unknown") == "unknown")
    }

    @Test func theAllowanceIsTakenAtOnceAndRefillsEvenly() async throws {
        try await Self.withStores { (store: any RateLimitStore) async throws in
            let clock = Clock()
            let throttle = AddressThrottle(scope: "test", rule: RateRule(limit: 3, window: .seconds(60)), store: store, clock: clock.read)
            #expect(try await throttle.take("a") == nil)
            #expect(try await throttle.take("a") == nil)
            #expect(try await throttle.take("a") == nil)
            // Three in a row: the next waits for one event's share of the window (20 s).
            #expect(try await throttle.take("a") == 20)
            #expect(try await throttle.take("b") == nil, "another address has its own allowance")
            clock.advance(19)
            #expect(try await throttle.take("a") == 1)
            clock.advance(1)
            #expect(try await throttle.take("a") == nil)
            #expect(try await throttle.take("a") == 20, "a refused attempt is not counted")
            // Handing one back (a sign-in that succeeded) makes room for one more.
            await throttle.giveBack("a")
            #expect(try await throttle.take("a") == nil)
            // After a whole window the full allowance is back, and no more.
            clock.advance(3600)
            for _ in 0..<3 { #expect(try await throttle.take("a") == nil) }
            #expect(try await throttle.take("a") == 20)
        }
    }

    @Test func fiftyAtOnceAgainstALimitOfTenLetExactlyTenThrough() async throws {
        try await Self.withStores { (store: any RateLimitStore) async throws in
            let throttle = AddressThrottle(scope: "burst", rule: RateRule(limit: 10, window: .seconds(3600)), store: store)
            let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 { group.addTask { try await throttle.take("203.0.113.9") == nil } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(allowed == 10)
        }
    }

    @Test func aHighLimitCountsEveryEvent() async throws {
        let clock = Clock()
        let throttle = AddressThrottle(limit: 50_000, window: .seconds(3600), clock: clock.read)
        for _ in 0..<50_000 { #expect(try await throttle.take("bench") == nil) }
        #expect(try await throttle.take("bench") != nil)
        // Half the window gives back half the allowance.
        clock.advance(1800)
        for _ in 0..<25_000 { _ = try await throttle.take("bench") }
        #expect(try await throttle.take("bench") != nil)
    }

    @Test func addressesWhoseAllowanceIsFullAgainAreDropped() async throws {
        let clock = Clock()
        let throttle = AddressThrottle(limit: 2, window: .seconds(60), clock: clock.read)
        for n in 0..<10_000 { _ = try await throttle.take("old-\(n)") }
        #expect(throttle.addressCount == 10_000)
        clock.advance(61)
        // The table is pruned once it passes 10,000 addresses: the old ones have nothing left to say.
        for n in 0..<5 { _ = try await throttle.take("new-\(n)") }
        #expect(try #require(throttle.addressCount) < 100)
        // A window and a limit that do not divide evenly still allow exactly the limit.
        let uneven = AddressThrottle(limit: 7, window: .seconds(3600), clock: clock.read)
        for _ in 0..<7 { #expect(try await uneven.take("x") == nil) }
        #expect(try await uneven.take("x") != nil)
    }
}
