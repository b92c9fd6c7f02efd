import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// The insight dashboard's report figures equal counts made here from the rows themselves, on
/// SQLite and PostgreSQL, before and after the counts are kept, and after older reports change.
@Suite struct InsightTests {
    /// Counts of the reports received in the period, made from the rows without Insight's code.
    static func expected(_ services: AppServices, _ period: InsightPeriod, _ filters: InsightFilters = .init(),
                         by: InsightService.Breakdown) async throws -> [String: Int] {
        let start = InsightService.instant(period.from), end = InsightService.instant(period.to.adding(days: 1))
        var counts: [String: Int] = [:]
        for report in try await Report.query(on: services.database.db).all() where report.receivedAt >= start && report.receivedAt < end {
            if let district = filters.district, report.postcodeDistrict != district { continue }
            if let type = filters.type, !report.types.contains(type) { continue }
            if let agency = filters.agencyID, report.assignedAgencyID != agency { continue }
            switch by {
            case .month: counts[MonthPeriod(CalendarDate(report.receivedAt, in: .london)).description, default: 0] += 1
            case .type:
                if report.types.isEmpty { counts["none", default: 0] += 1 }
                for type in report.types { counts[type.rawValue, default: 0] += 1 }
            case .source: counts[report.reporterType, default: 0] += 1
            case .area: counts[report.postcodeDistrict ?? "none", default: 0] += 1
            }
        }
        return counts
    }

    static func actual(_ services: AppServices, _ period: InsightPeriod, _ filters: InsightFilters = .init(), by: InsightService.Breakdown,
                       identity: Identity) async throws -> [String: Int] {
        Dictionary(try await services.insight.reportCounts(period, filters, by: by, identity: identity).filter { $0.count > 0 }.map { ($0.key, $0.count) },
                   uniquingKeysWith: +)
    }

    /// Reports spread over the last year and a half, of several types, places and reporters.
    static func addReports(_ services: AppServices, now: Date) async throws -> [Report] {
        let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
        var made: [Report] = []
        let shapes: [(days: Int, type: ExploitationType?, postcode: String, reporter: ReporterType)] = [
            (3, .labour, "WM1 1AA", .practitioner), (40, .sexual, "WM1 2BB", .memberOfPublic), (75, .labour, "HV2 3CC", .hotel),
            (130, .criminal, "WM4 4DD", .memberOfPublic), (200, nil, "WM1 5EE", .landlord), (330, .domesticServitude, "HV2 6FF", .practitioner),
            (420, .labour, "WM1 7GG", .memberOfPublic), (0, .labour, "WM1 8HH", .practitioner),
        ]
        for (index, shape) in shapes.enumerated() {
            var input = ReportInput()
            input.description = "Insight check \(index): workers collected at dawn"
            input.postcode = shape.postcode
            input.reporterType = shape.reporter.rawValue
            if let type = shape.type {
                input.exploitationTypes = [type.rawValue]
                input.ageGroup = (index % 2 == 0 ? AgeGroup.adult : .child).rawValue
            }
            let at = now.addingTimeInterval(-Double(shape.days) * 86_400 - 3600)
            made.append(try await services.reports.submit(input, source: index % 3 == 0 ? .practitioner : .public, identity: index % 3 == 0 ? analyst : nil,
                                                          address: "test", idempotencyKey: nil, requireFormAnswers: false, now: at).report)
        }
        await services.reports.settle()
        return made
    }

    @Test func figuresEqualTheRowsBeforeAndAfterTheyAreKeptAndAfterOlderReportsChange() async throws {
        try await withServices(demo: true) { services, _ in
            let now = Date()
            let today = CalendarDate(now, in: .london)
            let made = try await Self.addReports(services, now: now)
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let periods = [InsightPeriod(.last12Months, today: today), InsightPeriod(.last5Years, today: today),
                           try InsightPeriod(from: today.adding(days: -100).description, to: today.adding(days: -2).description, today: today)]
            let filters = [InsightFilters(), InsightFilters(district: "WM1", type: .labour)]
            // First read (counted and kept), then again (from what was kept).
            for round in 0..<2 {
                for period in periods {
                    for filter in filters {
                        for by in InsightService.Breakdown.allCases {
                            let want = try await Self.expected(services, period, filter, by: by)
                            let got = try await Self.actual(services, period, filter, by: by, identity: coordinator)
                            #expect(got == want, "round \(round), \(period.from)–\(period.to), \(filter.key), by \(by)")
                        }
                    }
                }
            }
            let sql = services.database.sql
            let kept = try await sql.raw("SELECT period FROM insight_tallies WHERE filter_key = \(bind: InsightFilters().key)").all()
                .map { try $0.decode(column: "period", as: String.self) }
            let thisMonth = MonthPeriod(today)
            #expect(kept.contains("M\(thisMonth.adding(months: -1))"), "an ended month is kept whole")
            #expect(!kept.contains("M\(thisMonth)") && !kept.contains("D\(today)"), "the current month is never kept whole, today never")

            // A report from an ended month changes (it is re-classified and closed): the figures
            // that count it follow at once, though its month was kept.
            let old = made[2]  // 75 days ago, labour, HV2
            let month = "M\(MonthPeriod(CalendarDate(old.receivedAt, in: .london)))"
            #expect(kept.contains(month))
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            _ = try await services.reports.reclassify(try old.requireID(), types: [ExploitationType.sexual.rawValue], countyLines: false,
                                                      ageGroup: AgeGroup.adult.rawValue, labourSector: "", dangerNow: false, indicators: [],
                                                      identity: analyst, address: "test")
            _ = try await RetentionFixture.close(try old.requireID(), .premisesVisited, at: Date(), services)
            let year = periods[0]
            #expect(try await Self.actual(services, year, by: .type, identity: coordinator) == (try await Self.expected(services, year, by: .type)))
            let figures = try await services.insight.view(year, .init(), identity: coordinator, deadlines: .standard, drill: nil)
            let outcomes = try #require(figures.reports.first { $0.id == "outcomes" })
            let visited = try await Report.query(on: services.database.db).filter(\.$outcome == ReportOutcome.premisesVisited.rawValue)
                .filter(\.$receivedAt >= InsightService.instant(year.from)).count()
            #expect(outcomes.rows.first { $0.first?.text == ReportOutcome.premisesVisited.label }?[1].value == Double(visited))

            // A report received now shows at once.
            let before = try await Self.actual(services, year, by: .month, identity: coordinator)[thisMonth.description] ?? 0
            var input = ReportInput()
            input.description = "Insight check: a new report counts at once"
            _ = try await services.reports.submit(input, source: .public, identity: nil, address: "test", idempotencyKey: nil, requireFormAnswers: false)
            #expect(try await Self.actual(services, year, by: .month, identity: coordinator)[thisMonth.description] == before + 1)
        }
    }

    /// What was kept is what is read (so the store is used), by this instance and another on the
    /// same database, until a change to a report of that month is seen.
    @Test func keptCountsAreSharedAndDroppedWhenAReportOfTheirMonthChanges() async throws {
        try await withServices(demo: true) { services, database in
            let now = Date()
            let today = CalendarDate(now, in: .london)
            let made = try await Self.addReports(services, now: now)
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let year = InsightPeriod(.last12Months, today: today)
            _ = try await Self.actual(services, year, by: .month, identity: coordinator)
            let old = made[3]  // 130 days ago
            let month = MonthPeriod(CalendarDate(old.receivedAt, in: .london))
            let sql = services.database.sql
            try await sql.raw("""
                UPDATE insight_tallies SET tally = \(bind: "r 4242") WHERE filter_key = \(bind: InsightFilters().key) AND period = \(bind: "M\(month)")
                """).run()
            #expect(try await Self.actual(services, year, by: .month, identity: coordinator)[month.description] == 4242)
            let other = try AppServices(config: testConfig(database.url, demo: false), logger: TestDatabase.logger)
            do {
                try await other.database.connect()
                #expect(try await Self.actual(other, year, by: .month, identity: coordinator)[month.description] == 4242)
                // The other instance changes a report of that month: both see the true count.
                _ = try await RetentionFixture.close(try old.requireID(), .noIndicatorsFound, at: Date(), other)
                let truth = try await Self.expected(services, year, by: .month)[month.description]
                #expect(try await Self.actual(services, year, by: .month, identity: coordinator)[month.description] == truth)
                #expect(try await Self.actual(other, year, by: .month, identity: coordinator)[month.description] == truth)
            } catch {
                await other.shutdown()
                throw error
            }
            await other.shutdown()
        }
    }

    @Test func periodsAndFiltersAreChecked() throws {
        let today = try CalendarDate(parsing: "2026-12-06")
        func field(_ body: () throws -> Any) -> String? {
            do { _ = try body(); return nil } catch let error as AppError { return error.fieldErrors.first?.field } catch { return "?" }
        }
        #expect(field { try InsightPeriod(from: "2026-12-07", to: "2026-12-01", today: today) } == "from")
        #expect(field { try InsightPeriod(from: "2026-13-01", to: "2026-12-01", today: today) } == "from")
        #expect(field { try InsightPeriod(from: "2026-01-01", to: "6/12/2026", today: today) } == "to")
        #expect(field { try InsightPeriod(from: "2000-01-01", to: "2020-01-01", today: today) } == "to", "over 20 years")
        #expect(field { try InsightPeriod(from: "2000-01-02", to: "2020-01-01", today: today) } == nil)
        #expect(field { try InsightPeriod.read(period: "forever", from: "", to: "", today: today) } == "period")
        #expect(field { try InsightFilters.read(area: "WM1 2AB", type: "", agency: "") } == "area")
        #expect(field { try InsightFilters.read(area: "", type: "slavery", agency: "") } == "type")
        #expect(field { try InsightFilters.read(area: "", type: "", agency: "nope") } == "agency")
        // The form sends a preset's own days with it: those keep the preset, changed days win.
        #expect(try InsightPeriod.read(period: "12m", from: "2026-01-01", to: "2026-12-06", today: today).preset == .last12Months)
        let changed = try InsightPeriod.read(period: "12m", from: "2026-03-01", to: "2026-12-06", today: today)
        #expect(changed.preset == .custom && changed.from.description == "2026-03-01")
        #expect(field { try InsightPeriod.read(period: "3m", from: "2026-03-01", to: "2026-02-01", today: today) } == "from")
        let last = InsightPeriod(.last12Months, today: today)
        #expect(last.from.description == "2026-01-01" && last.to == today && !last.byWeek)
        #expect(InsightPeriod(.last3Months, today: today).byWeek)
        #expect(InsightPeriod(.lastYear, today: today).from.description == "2025-01-01" && InsightPeriod(.lastYear, today: today).to.description == "2025-12-31")
    }

    @Test func talliesAreKeptAsTextAndReadBackExactly() {
        var tally = InsightTally()
        tally.add("r", 3)
        tally.add("a.WM1", 2)
        tally.add("f.\(UUID().uuidString).s.pending")
        tally.add("tr.high.wait.2026-12-01", 1_000_000)
        #expect(InsightTally(text: tally.text) == tally)
        #expect(InsightTally(text: "") == InsightTally())
        #expect(InsightTally(text: "r three") == nil && InsightTally(text: "r") == nil && InsightTally(text: "r 1\n\nx 2") != nil)
    }

    @Test func percentilesComeFromTheBucketHoldingThem() {
        #expect(InsightTally.hourBucket(30 * 60) == 0 && InsightTally.hourBucket(47.5 * 3600) == 47)
        #expect(InsightTally.hourBucket(50 * 3600) == 48 && InsightTally.hourBucket(1000 * 86_400) == 1440)
        let histogram = [0: 5, 3: 4, 10: 1]
        #expect(InsightTally.percentile(histogram, 0.5, end: InsightTally.hourBucketEnd).end == 1)
        #expect(InsightTally.percentile(histogram, 0.9, end: InsightTally.hourBucketEnd).end == 4)
        #expect(InsightTally.percentile(histogram, 1.0, end: InsightTally.hourBucketEnd).end == 11)
        #expect(InsightTally.percentile([:], 0.5, end: InsightTally.hourBucketEnd).any == false)
        #expect(InsightTally.percentile([1440: 3], 0.5, end: InsightTally.hourBucketEnd) == (nil, true))
    }
}
