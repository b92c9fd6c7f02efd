import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

@Suite("Board report")
struct BoardReportTests {
    /// The report has its sections, reads for every role, and once issued the next shows what
    /// changed since; a bad period is a clear error.
    @Test func theBoardReportShowsTheSectionsAndWhatChangedSinceTheLastOneIssued() async throws {
        try await withApp { client, built in
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let first = try await coordinator.get("/plan/report")
            #expect(first.status == .ok)
            for heading in ["Headline figures", "What changed since the last report", "Plan progress", "Indicators against their targets"] {
                #expect(first.text.contains(heading), "\(heading)")
            }
            #expect(first.text.contains("id=\"no-previous\""))
            #expect(first.text.contains("<svg"))
            let current = MonthPeriod(CalendarDate(Date(), in: .london))
            let from = current.adding(months: -3).description, to = current.adding(months: -1).description
            #expect(try await coordinator.post("/plan/report/issue", [("from", from), ("to", to)]).status == .seeOther)
            // A report received now changes the current month, not the issued period: read the
            // current month's report against the issued one.
            let sent = try await api(client, .post, "/api/v1/public/reports", token: nil,
                                     json: #"{"description":"Board report check: people living above the nail bar","language":"en"}"#)
            #expect(sent.status == .created)
            let next = try await coordinator.get("/plan/report?from=\(current.description)&to=\(current.description)")
            #expect(next.status == .ok)
            #expect(next.text.contains("id=\"changes\""))
            #expect(next.text.contains("Reports received:"))
            #expect(try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "plan.board_report.issued").count() == 1)

            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            let read = try await viewer.get("/plan/report")
            #expect(read.status == .ok && !read.text.contains("Issue this report"))
            #expect(try await viewer.post("/plan/report/issue", [("from", from), ("to", to)]).status == .forbidden)
            let future = current.adding(months: 2).description
            let bad = try await coordinator.get("/plan/report?from=\(from)&to=\(future)")
            #expect(bad.status == .unprocessableContent && bad.text.contains("in the future"))
            #expect(try await coordinator.get("/plan/report?from=2026-13").status == .unprocessableContent)
        }
    }

    /// A span window counts the whole period at once (a board report's headline).
    @Test func headlineFiguresCoverTheWholePeriod() async throws {
        try await withServices(demo: true) { services, _ in
            let now = Date()
            let current = MonthPeriod(CalendarDate(now, in: .london))
            let months = MonthPeriod.range(current.adding(months: -5), current)
            let monthly = try await services.indicators.figures(.reportsReceived, MonthWindow(months), now: now)
            let whole = try await services.indicators.figures(.reportsReceived, MonthWindow(spanning: months[0], current), now: now)
            #expect(whole.count == 1)
            #expect(whole.first?.value == monthly.compactMap(\.value).reduce(0, +))
            #expect((whole.first?.value ?? 0) > 0)
        }
    }
}
