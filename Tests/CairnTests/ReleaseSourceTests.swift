import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// What releases read from reports and cases: categories per quarter, summing to the rows.
@Suite struct ReleaseSourceTests {
    @Test func reportRecordsSumToTheReportsReceivedInThePeriod() async throws {
        try await withServices(demo: true) { services, _ in
            let today = CalendarDate(Date(), in: .london)
            let period = ReleasePeriod(quarterOf: today)
            let records = try await services.reportDirectory.releaseRecords(period, areas: ["WM1", "WM2"])
            let window = MonthWindow(period.months)
            let expected = try await Report.query(on: services.database.db)
                .filter(\.$receivedAt >= window.start).filter(\.$receivedAt < window.end).count()
            #expect(records.reduce(0) { $0 + $1.count } == expected)
            #expect(expected > 0, "the demo has reports this quarter")
            #expect(records.allSatisfy { $0.quarter == period && $0.count > 0 })
            let areaKeys = Set(ReleaseDimension.area.categories(areas: ["WM1", "WM2"]).map(\.key))
            let typeKeys = Set(ReleaseDimension.exploitationType.categories(areas: []).map(\.key))
            let reporterKeys = Set(ReleaseDimension.reporterType.categories(areas: []).map(\.key))
            for record in records {
                #expect(record.values[.area].map(areaKeys.contains) == true)
                #expect(record.values[.exploitationType].map(typeKeys.contains) == true)
                #expect(record.values[.reporterType].map(reporterKeys.contains) == true)
            }
            // A year is its quarters.
            let year = try await services.reportDirectory.releaseRecords(.year(today.year), areas: ["WM1"])
            var quarters = 0
            for quarter in ReleasePeriod.year(today.year).quarters {
                quarters += try await services.reportDirectory.releaseRecords(quarter, areas: ["WM1"]).reduce(0) { $0 + $1.count }
            }
            #expect(year.reduce(0) { $0 + $1.count } == quarters)
        }
    }

    @Test func referralFactsCountEachReferralOnceWithItsOutcomeAsItStood() async throws {
        try await withServices(demo: true) { services, _ in
            let statistics = CaseStatistics(database: services.database)
            let today = CalendarDate(Date(), in: .london)
            let rows = try await CaseNRM.query(on: services.database.db).all()
            #expect(!rows.isEmpty, "the demo has NRM referrals")
            var total = 0
            for year in Set(rows.compactMap { try? CalendarDate(parsing: $0.referralDate).year }) {
                let facts = try await statistics.referralFacts(.year(year), asOf: today)
                total += facts.filter { $0.firstResponder != nil }.count
                #expect(facts.allSatisfy { $0.quarter.year == year })
            }
            #expect(total == rows.count)
            // Before any decision was made, every referral awaits its reasonable-grounds decision.
            let first = try #require(rows.compactMap { try? CalendarDate(parsing: $0.referralDate) }.min())
            let early = try await statistics.referralFacts(ReleasePeriod(quarterOf: first), asOf: first)
            #expect(early.filter { $0.firstResponder != nil }.allSatisfy { $0.outcome == .awaitingReasonableGrounds })
        }
    }
}
