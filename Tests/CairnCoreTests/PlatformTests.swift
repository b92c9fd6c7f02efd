import Foundation
import Testing

@testable import CairnCore

@Suite struct PlatformTests {
    @Test func timeOrderedIDsCarryTheirMillisecondAndSortByIt() {
        var generator = SeededGenerator(seed: 7)
        let ms: UInt64 = 1_764_633_600_123
        let id = UUID.timeOrdered(milliseconds: ms, using: &generator)
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        #expect(bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } == ms)
        #expect(bytes[6] >> 4 == 7)            // version 7
        #expect(bytes[8] >> 6 == 0b10)         // RFC 9562 variant
        // Later milliseconds sort later, in the text form databases index.
        var previous = id
        for step in 1...200 {
            let next = UUID.timeOrdered(milliseconds: ms + UInt64(step), using: &generator)
            #expect(previous.uuidString < next.uuidString)
            previous = next
        }
        // From the clock: now, and distinct.
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let fromClock = (0..<1000).map { _ in UUID.timeOrdered() }
        #expect(Set(fromClock).count == 1000)
        let stamp = withUnsafeBytes(of: fromClock[0].uuid) { Array($0) }[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(stamp >= now && stamp < now + 60_000)
    }

    @Test func pooledRandomnessIsNeverRepeatedAcrossRefills() {
        var generator = PooledRandomNumberGenerator()
        // Several refills of the 512-number pool.
        let values = (0..<5000).map { _ in generator.next() }
        #expect(Set(values).count == values.count)
        // Every bit position varies.
        let ored = values.reduce(UInt64(0), |)
        let anded = values.reduce(UInt64.max, &)
        #expect(ored == .max)
        #expect(anded == 0)
    }
}
