import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// "What changed afterwards": a sector's reports before and after its training and campaigns,
/// counted from the reports themselves, with small counts hidden.
@Suite struct AfterwardsTests {
    /// A hotel course and one session in KT9 held five months ago, and hotel reports from KT9
    /// (10 the month before, 12 and 3 in the two months after), plus reports that must not
    /// count: a landlord's in KT9 and hotels' elsewhere.
    static func arrange(_ services: AppServices, now: Date) async throws -> (event: MonthPeriod, session: UUID) {
        let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
        let project = try #require(try await services.accounts.agencies().first { $0.name == "Westmere Freedom Project" }?.id)
        let course = try await services.training.createCourse(
            .init(title: "Afterwards check: hotel reception staff", topics: [TrainingTopic.spottingSigns.rawValue], sectors: [Sector.hospitality.rawValue],
                  outcomes: "Spot the signs at check-in", duration: "90"), identity: trainer, address: "test", now: now.addingTimeInterval(-400 * 86_400))
        let current = MonthPeriod(CalendarDate(now, in: .london))
        let event = current.adding(months: -5)
        let held = try CalendarDate(year: event.year, month: event.month, day: 15)
        let session = try await services.training.createSession(
            .init(courseID: try course.requireID().uuidString, heldOn: held.description, trainerAgencyID: project.uuidString, delivery: "in_person",
                  area: "KT9", language: "English"), identity: trainer, address: "test", now: now)
        let plan: [(month: Int, count: Int, reporter: ReporterType, postcode: String)] = [
            (-1, 10, .hotel, "KT9 1AA"), (1, 12, .hotel, "KT9 2BB"), (2, 3, .hotel, "KT9 3CC"), (1, 1, .landlord, "KT9 4DD"), (1, 2, .hotel, "HV7 1AA"),
        ]
        for item in plan {
            let month = event.adding(months: item.month)
            let at = try #require(InsightService.instant(try CalendarDate(year: month.year, month: month.month, day: 10))).addingTimeInterval(12 * 3600)
            for index in 0..<item.count {
                var input = ReportInput()
                input.description = "Afterwards check \(index): a guest's room booked by someone else every night"
                input.postcode = item.postcode
                input.reporterType = item.reporter.rawValue
                _ = try await services.reports.submit(input, source: .public, identity: nil, address: "test", idempotencyKey: nil,
                                                      requireFormAnswers: false, now: at)
            }
        }
        await services.reports.settle()
        return (event, try session.requireID())
    }

    @Test func theMonthsEitherSideOfASessionCountTheSectorsReportsInItsArea() async throws {
        try await withApp { client, built in
            let services = built.services
            let now = Date()
            let (event, session) = try await Self.arrange(services, now: now)
            let viewer = try await DemoReports.identity("viewer@demo.invalid", services)
            let one = try await services.afterwards.view(.init(sector: .hospitality, district: "KT9", months: 1), identity: viewer, now: now)
            let marked = try #require(one.marked.first { $0.event.path.hasSuffix(session.uuidString.lowercased()) || $0.event.path.hasSuffix(session.uuidString) })
            #expect(one.marked.count == 1)
            #expect(marked.before.first == event.adding(months: -1) && marked.before.count == 10)
            #expect(marked.after.first == event.adding(months: 1) && marked.after.count == 12 && marked.after.complete)
            // The month series: the landlord's and the other district's reports are not counted.
            #expect(one.months.first { $0.month == event.adding(months: 1) }?.count == 12)
            #expect(one.months.first { $0.month == event.adding(months: 2) }?.count == nil)
            // Three months after: 12 + 3 + 0, with one hidden month, would give the 3 away.
            let three = try await services.afterwards.view(.init(sector: .hospitality, district: "KT9", months: 3), identity: viewer, now: now)
            let after = try #require(three.marked.first?.after)
            #expect(after.hidden && after.count == nil)
            #expect(three.marked.first?.before.count == 10)
            // A sector the session was not for shows no mark.
            let police = try await services.afterwards.view(.init(sector: .police, district: "KT9", months: 1), identity: viewer, now: now)
            #expect(police.marked.isEmpty)
        }
    }

    @Test func thePageShowsTheCountsAndCampaignsAndRefusesBadChoices() async throws {
        try await withApp { client, built in
            let services = built.services
            _ = try await Self.arrange(services, now: Date())
            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            let page = try await viewer.get("/training/afterwards?sector=hospitality&area=KT9&months=1")
            #expect(page.status == .ok)
            #expect(page.text.contains("Afterwards check: hotel reception staff"))
            #expect(page.text.contains("class=\"mark\""))
            #expect(page.text.contains(">10<br>") && page.text.contains(">12<br>"))
            #expect(!page.text.contains("caused by"))
            // The demo's rights campaign is for car-wash and farm workers: it marks reports about car washes.
            let carWashes = try await viewer.get("/training/afterwards?sector=car_washes")
            #expect(carWashes.status == .ok && carWashes.text.contains("Campaign:"))
            for bad in ["sector=nowhere", "months=0", "months=13", "area=%3Cscript%3E", "sector=schools"] {
                let refused = try await viewer.get("/training/afterwards?\(bad)")
                #expect(refused.status == .unprocessableContent, "\(bad)")
                #expect(refused.text.contains("There is a problem"), "\(bad)")
            }
            let anonymous = try await Browser(client).get("/training/afterwards")
            #expect(anonymous.status == .seeOther || anonymous.status == .unauthorized)
        }
    }

    @Test func practitionersReportsAreSplitByWhetherTheirAgencyHadBeenTrained() async throws {
        try await withApp { client, built in
            let services = built.services
            let now = Date()
            let viewer = try await DemoReports.identity("viewer@demo.invalid", services)
            let view = try await services.afterwards.view(.init(sector: .police, district: nil, months: 3), identity: viewer, now: now)
            // Every practitioner's report of the two years falls in one group or the other.
            let current = MonthPeriod(CalendarDate(now, in: .london))
            let start = try #require(InsightService.instant(current.adding(months: -(AfterwardsService.timelineMonths - 1)).firstDay))
            let reports = try await Report.query(on: services.database.db).filter(\.$reporterType == ReporterType.practitioner.rawValue)
                .filter(\.$reportingAgencyID != nil).filter(\.$receivedAt >= start).all()
            #expect(view.trained.reports + view.untrained.reports == reports.count)
            // The demo's police training names Westmere Constabulary, whose analyst's reports
            // since then count as made after training.
            #expect(view.trained.reports > 0)
            #expect(view.trained.complete <= view.trained.reports && view.untrained.complete <= view.untrained.reports)
        }
    }
}
