import Foundation
import Testing

@testable import Cairn

/// Number conversions that used to trap on extreme or missing values.
@Suite struct ConversionTests {
    @Test func auditSearchDatesAnywhereInTimeBecomeMilliseconds() {
        #expect(AuditLog.milliseconds(Date(timeIntervalSince1970: 1.5)) == 1500)
        #expect(AuditLog.milliseconds(Date(timeIntervalSince1970: 1e300)) == 9_000_000_000_000_000_000)
        #expect(AuditLog.milliseconds(Date(timeIntervalSince1970: -1e300)) == -9_000_000_000_000_000_000)
        #expect(AuditLog.milliseconds(Date(timeIntervalSince1970: .infinity)) == .max)
    }

    @Test func oneInNIsReadableForEveryProbability() {
        #expect(IntelligenceController.oneIn(0.5) == "2")
        #expect(IntelligenceController.oneIn(1) == "1")
        #expect(IntelligenceController.oneIn(7) == "1")
        for odd in [0, -1, Double.nan, 1e-300] { #expect(IntelligenceController.oneIn(odd) == "more than 1000000000000") }
    }
}
