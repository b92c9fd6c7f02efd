import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// Figures for ended months are kept in the database for `figureLifetime` and shared by every
/// instance; the current month is always computed from the records. SQLite and PostgreSQL.
@Suite struct IndicatorFigureStoreTests {
    static func stored(_ services: AppServices, _ key: String) async throws -> [String: String] {
        let rows = try await services.database.sql.raw("""
            SELECT bucket, figure FROM indicator_figures WHERE indicator_key = \(bind: key)
            """).all()
        return Dictionary(try rows.map { (try $0.decode(column: "bucket", as: String.self), try $0.decode(column: "figure", as: String.self)) },
                          uniquingKeysWith: { first, _ in first })
    }

    @Test func endedMonthsAreKeptForAWhileAndSharedTheCurrentMonthNever() async throws {
        try await withServices(demo: true) { services, database in
            let now = Date()
            let current = MonthPeriod(CalendarDate(now, in: .london))
            let months = MonthPeriod.range(current.adding(months: -11), current)
            let window = MonthWindow(months)
            let computed = try await services.indicators.compute(.reportsReceived, window, now: now)
            // The first read computes and keeps the eleven ended months, not the current one.
            #expect(try await services.indicators.figures(.reportsReceived, window, now: now) == computed)
            let kept = try await Self.stored(services, "reports.received")
            #expect(kept.count == 11)
            let last = months[10], lastBucket = "\(last.firstDay)..\(current.firstDay)"
            #expect(kept[lastBucket] != nil && kept["\(current.firstDay)..\(current.adding(months: 1).firstDay)"] == nil)

            // Read again, an ended month comes from the store: a figure changed there is what is
            // read, by this instance and by another on the same database.
            try await services.database.sql.raw("""
                UPDATE indicator_figures SET figure = \(bind: #"{"value":12345,"basis":12345,"suppressed":false,"breakdown":{}}"#) \
                WHERE indicator_key = 'reports.received' AND bucket = \(bind: lastBucket)
                """).run()
            let again = try await services.indicators.figures(.reportsReceived, window, now: now)
            #expect(again[10].value == 12345 && again[10].period == last)
            #expect(again[11] == computed[11] && Array(again[..<10]) == Array(computed[..<10]))
            let other = try AppServices(config: testConfig(database.url, demo: false), logger: TestDatabase.logger)
            do {
                try await other.database.connect()
                #expect(try await other.indicators.figures(.reportsReceived, window, now: now)[10].value == 12345)
            } catch {
                await other.shutdown()
                throw error
            }
            await other.shutdown()

            // Once the lifetime has passed, the month is computed from the records again.
            let later = now.addingTimeInterval(IndicatorService.figureLifetime + 60)
            let fresh = try await services.indicators.figures(.reportsReceived, window, now: later)
            #expect(fresh[10] == computed[10])

            // A board report's whole period is kept as one bucket once it has ended.
            let span = MonthWindow(spanning: months[8], months[10])
            let whole = try await services.indicators.figures(.reportsReceived, span, now: now)
            #expect(whole.first?.value == computed[8...10].compactMap(\.value).reduce(0, +))
            #expect(try await Self.stored(services, "reports.received")["\(months[8].firstDay)..\(current.firstDay)"] != nil)
        }
    }

    /// A report received now counts in the current month at once, however recently the
    /// indicator was read.
    @Test func theCurrentMonthIsAlwaysComputed() async throws {
        try await withApp { client, built in
            let token = try await token(for: "coordinator@demo.invalid", built)
            func current() async throws -> Double? {
                let body = try jsonObject(try await api(client, .get, "/api/v1/indicators/reports.received", token: token))
                return ((body["values"] as? [[String: Any]])?.last?["value"] as? NSNumber)?.doubleValue
            }
            let before = try #require(try await current())
            let sent = try await api(client, .post, "/api/v1/public/reports", token: nil,
                                     json: #"{"description":"Figure store check: workers sleep in the van","language":"en"}"#)
            #expect(sent.status == .created)
            #expect(try await current() == before + 1)
        }
    }
}
