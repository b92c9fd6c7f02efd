import Foundation
import Testing

@testable import Cairn

/// Failed sign-ins, public reports and status checks per address, on a clock the test moves.
@Suite struct AddressThrottleTests {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var now = 1_000_000.0
        func read() -> Double { lock.withLock { now } }
        func advance(_ seconds: Double) { lock.withLock { now += seconds } }
    }

    @Test func theLimitHoldsForTheWindowFromTheOldestEvent() {
        let clock = Clock()
        let throttle = AddressThrottle(limit: 3, window: 60, clock: clock.read)
        #expect(throttle.retryAfter("a") == nil)
        throttle.record("a")
        clock.advance(10)
        throttle.record("a")
        #expect(throttle.retryAfter("a") == nil)
        throttle.record("a")
        // Three in the window: wait until the first (10 s ago) leaves it.
        #expect(throttle.retryAfter("a") == 50)
        #expect(throttle.retryAfter("b") == nil)
        clock.advance(49)
        #expect(throttle.retryAfter("a") == 1)
        clock.advance(1)
        #expect(throttle.retryAfter("a") == nil)
        throttle.record("a")
        // The first left; the two from 10 s after the start are now the oldest.
        #expect(throttle.retryAfter("a") == 10)
    }

    @Test func aHighLimitCountsEveryEventInTheWindow() {
        let clock = Clock()
        let throttle = AddressThrottle(limit: 50_000, window: 3600, clock: clock.read)
        for _ in 0..<25_000 { throttle.record("bench") }
        clock.advance(1800)
        for _ in 0..<24_999 { throttle.record("bench") }
        #expect(throttle.retryAfter("bench") == nil)
        throttle.record("bench")
        #expect(throttle.retryAfter("bench") == 1800)
        // The first 25,000 leave the window; the rest still count.
        clock.advance(1800)
        #expect(throttle.retryAfter("bench") == nil)
        for _ in 0..<25_000 { throttle.record("bench") }
        #expect(throttle.retryAfter("bench") == 1800)
    }

    @Test func addressesWithNothingRecentAreDropped() {
        let clock = Clock()
        let throttle = AddressThrottle(limit: 2, window: 60, clock: clock.read)
        for n in 0..<10_001 { throttle.record("old-\(n)") }
        #expect(throttle.addressCount == 10_001)
        clock.advance(61)
        // An address whose events have all expired is dropped when checked.
        #expect(throttle.retryAfter("old-1") == nil)
        #expect(throttle.addressCount == 10_000)
        // The rest go once the table has doubled.
        for n in 0..<10_005 { throttle.record("new-\(n)") }
        #expect(throttle.addressCount < 10_100)
    }
}
