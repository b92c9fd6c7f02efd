import CairnCore
import Testing

struct BeforeAfterTests {
    static func m(_ year: Int, _ month: Int) -> MonthPeriod { MonthPeriod(year: year, month: month) ?? MonthPeriod(year: 2000, month: 1)! }

    @Test func windowsAreTheWholeMonthsEitherSideOfTheEvent() {
        // A campaign from March to April 2026, three months either side, counted in July.
        let counts: [MonthPeriod: Int] = [Self.m(2025, 11): 40, Self.m(2025, 12): 11, Self.m(2026, 1): 12, Self.m(2026, 2): 13,
                                          Self.m(2026, 3): 50, Self.m(2026, 4): 60, Self.m(2026, 5): 20, Self.m(2026, 6): 21,
                                          Self.m(2026, 7): 22, Self.m(2026, 8): 99]
        let w = BeforeAfter.windows(start: Self.m(2026, 3), end: Self.m(2026, 4), months: 3, counts: counts, current: Self.m(2026, 8), threshold: 10)
        #expect(w.before.first == Self.m(2025, 12) && w.before.last == Self.m(2026, 2))
        #expect(w.before.count == 36)
        #expect(w.after.first == Self.m(2026, 5) && w.after.last == Self.m(2026, 7))
        #expect(w.after.count == 63)
        #expect(w.before.complete && w.after.complete)
    }

    @Test func anAfterWindowStillRunningCountsSoFarAndOneNotBegunCountsNothing() {
        let counts: [MonthPeriod: Int] = [Self.m(2026, 5): 20, Self.m(2026, 6): 15]
        let running = BeforeAfter.windows(start: Self.m(2026, 4), end: Self.m(2026, 4), months: 3, counts: counts, current: Self.m(2026, 6), threshold: 10)
        #expect(running.after.count == 35)
        #expect(!running.after.complete && !running.after.future)
        let notYet = BeforeAfter.windows(start: Self.m(2026, 6), end: Self.m(2026, 6), months: 3, counts: counts, current: Self.m(2026, 6), threshold: 10)
        #expect(notYet.after.future && notYet.after.count == nil)
    }

    @Test func smallTotalsAndAWindowWithOneHiddenMonthAreHidden() {
        // Before: 30 + 4 + 30: the 4 is hidden, and so is the total, or 64 - 60 would give it away.
        // After: 3 + 4 + 30: two hidden months; the total 37 shows only that they add to 7.
        let counts: [MonthPeriod: Int] = [Self.m(2026, 1): 30, Self.m(2026, 2): 4, Self.m(2026, 3): 30,
                                          Self.m(2026, 5): 3, Self.m(2026, 6): 4, Self.m(2026, 7): 30]
        let w = BeforeAfter.windows(start: Self.m(2026, 4), end: Self.m(2026, 4), months: 3, counts: counts, current: Self.m(2026, 9), threshold: 10)
        #expect(w.before.hidden && w.before.count == nil)
        #expect(!w.after.hidden && w.after.count == 37)
        let few = BeforeAfter.windows(start: Self.m(2026, 4), end: Self.m(2026, 4), months: 1, counts: counts, current: Self.m(2026, 9), threshold: 10)
        #expect(few.before.count == 30 && few.after.hidden)
        let series = BeforeAfter.months(counts, MonthPeriod.range(Self.m(2026, 1), Self.m(2026, 4)), threshold: 10)
        #expect(series.map(\.count) == [30, nil, 30, 0])
    }

    @Test func theNumberOfMonthsIsKeptBetweenOneAndTwentyFour() {
        let w = BeforeAfter.windows(start: Self.m(2026, 4), end: Self.m(2026, 4), months: 500, counts: [:], current: Self.m(2026, 9), threshold: 10)
        #expect(w.before.first == Self.m(2024, 4))
        let one = BeforeAfter.windows(start: Self.m(2026, 4), end: Self.m(2026, 4), months: -3, counts: [:], current: Self.m(2026, 9), threshold: 10)
        #expect(one.before.first == Self.m(2026, 3) && one.before.count == 0)
    }
}
