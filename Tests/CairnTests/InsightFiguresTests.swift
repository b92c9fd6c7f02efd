import CairnCore
import FluentKit
import Foundation
import Testing
@testable import Cairn

/// The dashboard's survivor-support and intelligence figures, against rows the tests make
/// through the services, on both databases.
@Suite struct InsightFiguresTests {
    static func instant(_ text: String) -> Date { PeriodBuckets.instant((try? CalendarDate(parsing: text)) ?? .first) }
    static func day(_ text: String) -> CalendarDate { (try? CalendarDate(parsing: text)) ?? .first }

    @Test func survivorFiguresCountTheCasesMadeAndSuppressSmallNumbers() async throws {
        try await withServices(demo: true) { services, _ in
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let later = Self.instant("2025-06-01")
            // 14 cases opened in January 2024 (the demo's cases open today, outside the period).
            var ids: [UUID] = []
            for n in 0 ..< 14 {
                let opened = try await services.cases.open(.init(chosenName: "Insight \(n)", ageGroup: AgeGroup.possibleChild.rawValue),
                                                           identity: caseworker, address: "test", now: Self.instant("2024-01-10"))
                ids.append(try opened.requireID())
            }
            func authorised(_ n: Int) async throws -> AuthorisedCase { try await services.cases.authorise(ids[n], identity: caseworker) }
            var expectedRG: [Double] = []
            for n in 0 ..< 14 {
                var input = CaseSupportService.NRMInput(referralDate: "2024-02-01", firstResponder: "Safe Harbour")
                if n < 11 {
                    input.rgDecision = n < 9 ? "positive" : "negative"
                    input.rgDate = Self.day("2024-02-01").adding(days: n + 1).description
                    expectedRG.append(Double(n + 1))
                }
                if n < 3 {
                    input.cgDecision = "positive"
                    input.cgDate = "2024-06-01"
                }
                _ = try await services.support.saveNRM(try await authorised(n), input, address: "test", now: later)
            }
            // Housing rated at intake and six months on: 3 better, 2 the same, 1 worse; one case
            // only at intake, one reviewed again after the period.
            let sixMonths = ["mostly", "mostly", "mostly", "a_little", "a_little", "not_at_all"]
            for n in 0 ..< 8 {
                _ = try await services.support.recordReview(try await authorised(n), point: "intake", date: "2024-01-15",
                                                            ratings: ["secure_suitable_housing": "a_little"], note: "", address: "test", now: later)
            }
            for (n, rating) in sixMonths.enumerated() {
                _ = try await services.support.recordReview(try await authorised(n), point: "6_months", date: "2024-07-15",
                                                            ratings: ["secure_suitable_housing": rating], note: "", address: "test", now: later)
            }
            _ = try await services.support.recordReview(try await authorised(7), point: "6_months", date: "2025-01-15",
                                                        ratings: ["secure_suitable_housing": "fully"], note: "", address: "test", now: later)
            for (n, sign, date) in [(0, "missed_contacts", "2024-02-10"), (1, "new_debt", "2024-05-05"), (2, "new_debt", "2024-05-06"), (3, "going_missing", "2025-01-05")] {
                _ = try await services.support.recordWarning(try await authorised(n), sign: sign, observedOn: date, note: "", address: "test", now: later)
            }

            let figures = try await services.caseInsight.survivorSupport(from: Self.day("2024-01-01"), to: Self.day("2024-12-31"), threshold: 3)
            // Stages at the end of 2024: 3 awaiting RG, 6 in the recovery period, 2 negative RG, 3 positive CG.
            let stages = [3, 6, 2, 3, 0, 0, 0, 0]
            #expect(figures.stages.keys == NRMStage.allCases.map(\.rawValue) + ["duty_to_notify", "neither"])
            #expect(figures.stages.counts.items.map(\.raw) == stages)
            #expect(figures.stages.counts.total.count == 14)
            // 2 is small; the next smallest (3 awaiting) is withheld so it cannot be worked out.
            #expect(figures.stages.counts.items.map(\.reason) == [.secondary, nil, .primary, nil, nil, nil, nil, nil])
            #expect(figures.stages.counts == CellSuppression.list(stages, threshold: 3))

            #expect(figures.nrm.referrals.count == 14)
            #expect(figures.nrm.decisions.counts.cells.map { $0.map(\.raw) } == [[9, 2], [3, 0]])
            #expect(figures.nrm.decisions.counts == CellSuppression.table([[9, 2], [3, 0]], threshold: 3))
            #expect(figures.nrm.decisions.counts.cells[0][1].reason == .primary)
            #expect(figures.nrm.daysToReasonableGrounds == .init(days: expectedRG.sorted()[expectedRG.count / 2], over: 11))
            #expect(figures.nrm.daysToConclusiveGrounds == .init(days: Double(Self.day("2024-02-01").days(to: Self.day("2024-06-01"))), over: 3))
            // Every positive RG (9) ended its 30 days in the period and the cases stayed open.
            #expect(figures.recovery.cases.counts.items.map(\.raw) == [9, 0])

            let housing = try #require(CoreOutcome.allCases.firstIndex(of: .secureSuitableHousing))
            #expect(figures.movement.counts.cells[housing].map(\.raw) == [3, 2, 1])
            #expect(figures.movement.counts.cells.enumerated().allSatisfy { $0.offset == housing || $0.element.allSatisfy { $0.raw == 0 } })
            #expect(figures.movement.counts.cells[housing].map(\.reason) == [nil, .primary, .primary])

            #expect(figures.warnings.rowKeys == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"])
            let signs = WarningSign.allCases
            var expected = [[Int]](repeating: [Int](repeating: 0, count: signs.count), count: 4)
            expected[0][try #require(signs.firstIndex(of: .missedContacts))] = 1
            expected[1][try #require(signs.firstIndex(of: .newDebt))] = 2
            #expect(figures.warnings.counts.cells.map { $0.map(\.raw) } == expected)
            #expect(figures.warnings.counts == CellSuppression.table(expected, threshold: 3))

            // Another lead agency's cases: none of these.
            let other = try await DemoReports.identity("caseworker2@demo.invalid", services)
            let filtered = try await services.caseInsight.survivorSupport(from: Self.day("2024-01-01"), to: Self.day("2024-12-31"), agency: other.agencyID)
            #expect(filtered.stages.counts.total.raw == 0 && filtered.nrm.referrals.raw == 0)
            let mine = try await services.caseInsight.survivorSupport(from: Self.day("2024-01-01"), to: Self.day("2024-12-31"), agency: caseworker.agencyID)
            #expect(mine.stages.counts.total.raw == 14 && mine.nrm.referrals.raw == 14)
            // The default rule (`SmallNumbers`) withholds every small count here.
            let plain = try await services.caseInsight.survivorSupport(from: Self.day("2024-01-01"), to: Self.day("2024-12-31"))
            #expect(plain.threshold == SmallNumbers.threshold)
            #expect(plain.nrm.daysToConclusiveGrounds.days == nil)
        }
    }

    @Test func intelligenceFiguresCountTheReportsSubmittedAndLinked() async throws {
        try await withServices(demo: true) { services, _ in
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            // Two networks: three reports sharing a phone (one from the public, so its links are
            // cross-agency), and two sharing another.
            _ = try await IntelligenceTests.report(services, by: practitioner, text: "Workers collected at dawn.", phone: "07700 900111")
            _ = try await IntelligenceTests.report(services, by: practitioner, text: "Same van again.", phone: "07700 900111")
            _ = try await IntelligenceTests.report(services, by: nil, text: "A neighbour worries.", phone: "07700 900111")
            _ = try await IntelligenceTests.report(services, by: practitioner, text: "Car wash staff.", phone: "07700 900222")
            _ = try await IntelligenceTests.report(services, by: practitioner, text: "Car wash staff again.", phone: "07700 900222")
            _ = try await IntelligenceTests.report(services, by: practitioner, text: "Nothing shared.", phone: "07700 900333")

            let today = CalendarDate(Date(), in: .london)
            let from = today.adding(days: -400)
            let figures = try await services.intelligenceInsight.figures(from: from, to: today)
            // Independently: every report and link as stored, by the month its later report came in.
            let reports = try await Report.query(on: services.database.db).all()
            let received = Dictionary(uniqueKeysWithValues: reports.map { ($0.id!, $0.receivedAt) })
            let source = Dictionary(uniqueKeysWithValues: reports.map { ($0.id!, $0.reportingAgencyID?.uuidString ?? "public") })
            let links = try await ReportLink.query(on: services.database.db).all()
            let start = PeriodBuckets.instant(from), end = PeriodBuckets.instant(today.adding(days: 1))
            let inPeriod = { (d: Date) in start <= d && d < end }
            func month(_ d: Date) -> MonthPeriod { MonthPeriod(CalendarDate(d, in: .london)) }
            #expect(figures.months.map(\.received).reduce(0, +) == reports.filter { inPeriod($0.receivedAt) }.count)
            for m in figures.months {
                let linkedLater = Set(links.filter { received[$0.laterReportID].map { inPeriod($0) && month($0) == m.month } ?? false }.map(\.laterReportID))
                #expect(m.linkedToEarlier == linkedLater.count, "\(m.month)")
                let cross = links.filter { l in received[l.laterReportID].map { inPeriod($0) && month($0) == m.month } ?? false }
                    .filter { source[$0.earlierReportID] != source[$0.laterReportID] }
                #expect(m.crossAgencyLinks == cross.count, "\(m.month)")
                #expect(m.received == reports.filter { inPeriod($0.receivedAt) && month($0.receivedAt) == m.month }.count)
            }
            #expect(figures.months.last?.month == MonthPeriod(today))
            #expect(figures.months.map(\.crossAgencyLinks).reduce(0, +) >= 2)
            // Networks with a report in the period, by size.
            let members = try await ReportNetwork.query(on: services.database.db).all()
            let sizes = Dictionary(grouping: members, by: \.networkID).filter { $0.value.contains { received[$0.id!].map(inPeriod) ?? false } }.mapValues(\.count)
            var bands = [0, 0, 0, 0]
            for size in sizes.values { bands[size == 2 ? 0 : size <= 5 ? 1 : size <= 10 ? 2 : 3] += 1 }
            #expect(figures.networkSizes.map(\.networks) == bands)
            #expect(bands[0] >= 1 && bands[1] >= 1)
            // Nothing before the reports.
            let empty = try await services.intelligenceInsight.figures(from: Self.day("2001-01-01"), to: Self.day("2001-12-31"))
            #expect(empty.networkSizes.allSatisfy { $0.networks == 0 } && empty.months.count == 12 && empty.months.allSatisfy { $0.received == 0 })
        }
    }
}
