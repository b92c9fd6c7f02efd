import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Cairn

/// A report waiting for triage has a triage deadline, not the response time of its provisional
/// urgency, and is overdue for triage after it (issue 15, item 3).
@Suite struct TriageDeadlineTests {
    static func publicReport(_ services: AppServices, _ text: String, dangerNow: Bool? = nil) async throws -> Report {
        var input = ReportInput()
        input.description = text
        input.dangerNow = dangerNow
        return try await services.reports.submit(input, source: .public, identity: nil, address: "test", idempotencyKey: nil,
                                                 requireFormAnswers: false).report
    }

    /// Moves a report's receipt (and its deadline with it) `hours` into the past.
    static func age(_ report: Report, by hours: Double, _ services: AppServices) async throws {
        let stored = try #require(try await Report.find(report.id, on: services.database.db))
        stored.receivedAt = stored.receivedAt.addingTimeInterval(-hours * 3600)
        stored.dueAt = stored.dueAt.addingTimeInterval(-hours * 3600)
        try await stored.save(on: services.database.db)
    }

    @Test func anUntriagedReportIsDueForTriageAndThenOverdue() async throws {
        try await withApp { client, built in
            let services = built.services
            let report = try await Self.publicReport(services, "They took our passports and say we owe them for the rooms.")
            #expect(report.reportStatus == .new && report.reportUrgency != .emergency)
            // Due for triage 24 hours after it arrived, not in 28 days.
            #expect(abs(report.dueAt.timeIntervalSince(report.receivedAt) - 24 * 3600) < 1)

            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            var page = try await analyst.get("/reports/\(report.id!)")
            #expect(page.text.contains("Triage by ") && !page.text.contains("Respond by"))
            #expect(!page.text.contains("Overdue"))
            let token = try await token(for: "analyst@demo.invalid", built)
            var json = try jsonObject(try await api(client, .get, "/api/v1/reports/\(report.id!)", token: token))
            #expect(json["deadline"] as? String == "triage" && json["overdue"] as? Bool == false)

            // A day and an hour later, still untriaged: overdue for triage, everywhere it shows.
            try await Self.age(report, by: 25, services)
            page = try await analyst.get("/reports/\(report.id!)")
            #expect(page.text.contains("Overdue for triage"))
            let list = try await analyst.get("/reports?inbox=triage&sort=due")
            #expect(list.text.contains(report.reference) && list.text.contains("Overdue for triage"))
            json = try jsonObject(try await api(client, .get, "/api/v1/reports/\(report.id!)", token: token))
            #expect(json["deadline"] as? String == "triage" && json["overdue"] as? Bool == true)
            let listed = try jsonObject(try await api(client, .get, "/api/v1/reports?inbox=triage&overdue=true", token: token))
            let items = try #require(listed["items"] as? [[String: Any]])
            #expect(items.contains { $0["reference"] as? String == report.reference && $0["deadline"] as? String == "triage" })

            // The work queue: the triage team's triage section holds it, overdue; a caseworker's
            // queue has no triage section.
            let analystIdentity = try await DemoReports.identity("analyst@demo.invalid", services)
            let queue = try await WorkQueue(services: services).items(for: analystIdentity, address: "test", via: "test")
            let triage = try #require(queue.sections.first { $0.kind == .triage })
            let item = try #require(triage.items.first { $0.href == "/reports/\(report.id!)" })
            #expect(item.overdue)
            let overdueFirst = triage.items.map(\.overdue)
            #expect(overdueFirst == overdueFirst.sorted { $0 && !$1 }, "overdue items lead")
            let stored = try #require(try await Report.find(report.id, on: services.database.db))
            #expect(services.reports.isOverdueForTriage(stored))
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let theirs = try await WorkQueue(services: services).items(for: caseworker, address: "test", via: "test")
            #expect(!theirs.sections.contains { $0.kind == .triage })

            // Triaged: the response time for its urgency, from when it arrived.
            let result = try await services.reports.reclassify(report.id!, types: [ExploitationType.labour.rawValue], countyLines: false, ageGroup: "adult",
                                                               labourSector: "", dangerNow: false, indicators: [], identity: analystIdentity, address: "test")
            let triaged = try #require(try await Report.find(report.id, on: services.database.db))
            #expect(triaged.reportStatus == .triaged)
            #expect(triaged.dueAt == ResponseDeadlines.standard.deadline(for: result.urgency, from: triaged.receivedAt))
            #expect(!services.reports.isOverdueForTriage(triaged))
            page = try await analyst.get("/reports/\(report.id!)")
            #expect(page.text.contains("Respond by") && !page.text.contains("Overdue for triage"))
            json = try jsonObject(try await api(client, .get, "/api/v1/reports/\(report.id!)", token: token))
            #expect(json["deadline"] as? String == "response")
        }
    }

    @Test func assigningAnUntriagedReportStartsItsResponseTime() async throws {
        try await withServices(demo: true) { services, _ in
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let report = try await Self.publicReport(services, "Men picked up from the lay-by at 5am every day.")
            let assigned = try await services.reports.perform(.assign(agencyID: analyst.agencyID, note: ""), on: report.id!, identity: analyst, address: "test")
            #expect(assigned.reportStatus == .assigned)
            #expect(assigned.dueAt == ResponseDeadlines.standard.deadline(for: assigned.reportUrgency, from: assigned.receivedAt))
            #expect(!ReportService.awaitsTriage(assigned))
        }
    }

    @Test func emergenciesKeepTheirOneHour() async throws {
        try await withServices(demo: true) { services, _ in
            let report = try await Self.publicReport(services, "A girl is locked in the flat right now.", dangerNow: true)
            #expect(report.reportUrgency == .emergency && report.reportStatus != .new)
            #expect(abs(report.dueAt.timeIntervalSince(report.receivedAt) - 3600) < 1)
            #expect(!ReportService.awaitsTriage(report))
        }
    }

    @Test func theTriageDeadlineIsConfigurable() async throws {
        #expect(try AppConfig.load(environment: [:]).triageDeadlineHours == 24)
        #expect(try AppConfig.load(environment: ["CAIRN_TRIAGE_DEADLINE_HOURS": "48"]).triageDeadlineHours == 48)
        for bad in ["0", "721", "two", "-3", ""] {
            #expect {
                _ = try AppConfig.load(environment: ["CAIRN_TRIAGE_DEADLINE_HOURS": bad])
            } throws: { error in
                (error as? AppConfig.Invalid)?.problems.contains { $0.contains("CAIRN_TRIAGE_DEADLINE_HOURS") && $0.contains("1 to 720") } == true
            }
        }
        try await withServices(demo: false, configure: { $0.triageDeadlineHours = 2 }) { services, _ in
            let report = try await Self.publicReport(services, "Workers sleep in the shed behind the farm shop.")
            #expect(abs(report.dueAt.timeIntervalSince(report.receivedAt) - 2 * 3600) < 1)
        }
    }
}
