import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// The totals of people trained (by sector, area, course and period), the API's contract, and
/// the plan's two training indicators, all from records made in 2019 so the demo's year of
/// training (counted separately) does not mix in.
@Suite struct TrainingTotalsTests {
    struct Made {
        let hotel: UUID
        let police: UUID
    }

    static func day(_ text: String) throws -> CalendarDate { try CalendarDate(parsing: text) }

    /// March 2019: 10 hotel staff and 4 police at WM1, then 6 hotel staff at HV1 (April);
    /// registers at WM1 (April) and WM2 (May): Jo twice (by email), Sam twice (by name and
    /// agency), Ash once. Confidence sheets at the first two sessions.
    static func make(_ services: AppServices) async throws -> Made {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let t = services.training
        let created = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: .gmt, year: 2019, month: 1, day: 2)))
        let hotel = try await t.createCourse(.init(title: "Hotel course 2019", topics: ["spotting_signs"], sectors: ["hospitality"], duration: "60"),
                                             identity: coordinator, address: "test", now: created).requireID()
        let police = try await t.createCourse(.init(title: "Police course 2019", topics: ["county_lines"], sectors: ["police"], duration: "120"),
                                              identity: coordinator, address: "test", now: created).requireID()
        let agency = coordinator.agencyID.uuidString
        func session(_ course: UUID, _ day: String, _ area: String) async throws -> UUID {
            try await t.createSession(.init(courseID: course.uuidString, heldOn: day, trainerAgencyID: agency, delivery: "in_person", area: area, language: "English"),
                                      identity: coordinator, address: "test").requireID()
        }
        let march = try await session(hotel, "2019-03-10", "WM1")
        try await t.recordAttendance(march, rows: [.init(sector: "hospitality", agency: "Riverside", people: "10"), .init(sector: "police", people: "4")],
                                     identity: coordinator, address: "test")
        let april = try await session(hotel, "2019-04-02", "HV1")
        try await t.recordAttendance(april, rows: [.init(sector: "hospitality", people: "6")], identity: coordinator, address: "test")
        let registerApril = try await session(police, "2019-04-20", "WM1")
        let registerMay = try await session(police, "2019-05-01", "WM2")
        for (id, name, agencyName, email) in [(registerApril, "Jo", "Westmere Police", "jo@police.invalid"), (registerApril, "Sam Person", "Westmere Police", ""),
                                              (registerApril, "Ash", "Westmere Police", ""), (registerMay, "Joanna", "Westmere Police", "JO@police.invalid"),
                                              (registerMay, "sam  person", "westmere police", "")] {
            try await t.addAttendee(id, .init(name: name, agency: agencyName, email: email, sector: "police"), identity: coordinator, address: "test")
        }
        func sheet(_ pair: Int, _ phase: ConfidencePhase, _ a: Int, _ b: Int, _ c: Int) -> ConfidenceSheet {
            ConfidenceSheet(pair: pair, phase: phase, answers: [.recogniseSigns: a, .howToReport: b, .afterReporting: c])
        }
        // March: pairs change by +2, +1, +1 and +1, +1, +1 → mean 7/6. April: one pair, +3 each → 3.
        try await t.recordSheets(march, [sheet(1, .before, 2, 3, 3), sheet(1, .after, 4, 4, 4), sheet(2, .before, 3, 3, 3), sheet(2, .after, 4, 4, 4),
                                         sheet(3, .after, 5, 5, 5)], identity: coordinator, address: "test")
        try await t.recordSheets(april, [sheet(1, .before, 1, 1, 1), sheet(1, .after, 4, 4, 4)], identity: coordinator, address: "test")
        return Made(hotel: hotel, police: police)
    }

    @Test func totalsBySectorAreaCourseAndPeriod() async throws {
        try await withApp { _, built in
            let services = built.services
            let made = try await Self.make(services)
            let viewer = try await DemoReports.identity("viewer@demo.invalid", services)
            let t = services.training
            let from = try Self.day("2019-01-01"), to = try Self.day("2019-12-31")
            let bySector = try await t.totals(from: from, to: to, by: .sector, identity: viewer)
            // Counts add up (10 + 6 hotel, 4 police); the registers hold 3 people (Jo, Sam, Ash).
            #expect(bySector.rows == [.init(key: "hospitality", label: "Hotels and hospitality", people: 16), .init(key: "police", label: "Police", people: 7)])
            #expect(bySector.total == 23)
            let byArea = try await t.totals(from: from, to: to, by: .area, identity: viewer)
            // WM1: 14 counted + Jo, Sam, Ash; WM2: Jo and Sam again (once in that area); HV1: 6.
            #expect(byArea.rows.map { "\($0.key) \($0.people)" } == ["HV1 6", "WM1 17", "WM2 2"])
            #expect(byArea.total == 23)
            let byCourse = try await t.totals(from: from, to: to, by: .course, identity: viewer)
            #expect(byCourse.rows == [.init(key: made.hotel.uuidString, label: "Hotel course 2019", people: 20),
                                      .init(key: made.police.uuidString, label: "Police course 2019", people: 3)])
            let byMonth = try await t.totals(from: from, to: to, by: .month, identity: viewer)
            #expect(byMonth.rows.map { "\($0.key) \($0.people)" } == ["2019-03 14", "2019-04 9", "2019-05 2"])
            // The period: April only.
            let april = try await t.totals(from: try Self.day("2019-04-01"), to: try Self.day("2019-04-30"), by: .sector, identity: viewer)
            #expect(april.rows.map(\.people) == [6, 3] && april.total == 9)
            await #expect(throws: AppError.self) { try await t.totals(from: to, to: from, by: .sector, identity: viewer) }
            // Which agencies had staff trained, and first when (for "what changed afterwards").
            let agencies = try await t.statistics.agenciesTrained(from: "2019-01-01", before: "2020-01-01")
            #expect(agencies == ["riverside": "2019-03-10", "westmere police": "2019-04-20"])
        }
    }

    @Test func theAPIGivesTotalsInTheContractShape() async throws {
        try await withApp { client, built in
            _ = try await Self.make(built.services)
            let token = try await token(for: "viewer@demo.invalid", built)
            let response = try await api(client, .get, "/api/v1/training/totals?by=sector&from=2019-01-01&to=2019-12-31", token: token)
            #expect(response.status == .ok)
            let json = try jsonObject(response)
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items[0]["sector"] as? String == "hospitality" && items[0]["people"] as? Int == 16)
            #expect(items[1]["sector"] as? String == "police" && items[1]["people"] as? Int == 7)
            #expect(Set(items[0].keys) == ["sector", "people"])
            let areas = try #require(try jsonObject(try await api(client, .get, "/api/v1/training/totals?by=area&from=2019-01-01&to=2019-12-31", token: token))["items"]
                as? [[String: Any]])
            #expect(areas.map { $0["area"] as? String } == ["HV1", "WM1", "WM2"])
            // The demo's year: at least 1,500 people across the named sectors.
            let demo = try jsonObject(try await api(client, .get, "/api/v1/training/totals?by=sector&from=\(TrainingService.today().adding(days: -366))", token: token))
            let sectors = Set((demo["items"] as? [[String: Any]] ?? []).compactMap { $0["sector"] as? String })
            #expect((demo["total"] as? Int ?? 0) >= 1500, "\(demo)")
            #expect(sectors.isSuperset(of: ["hospitality", "letting_housing", "primary_care", "hospitals", "jobcentre", "police", "council"]))
            // Bad input: a 400 problem, never a guess.
            for query in ["by=shoe", "", "by=sector&from=2019-13-01", "by=sector&to=yesterday"] {
                let bad = try await api(client, .get, "/api/v1/training/totals?\(query)", token: token)
                #expect(bad.status == .badRequest, "\(query)")
                #expect(bad.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(query)")
            }
            #expect(try await api(client, .get, "/api/v1/training/totals?by=sector", token: nil).status == .unauthorized)
        }
    }

    @Test func thePlanIndicatorsAreComputedFromTheRecords() async throws {
        try await withApp { _, built in
            let services = built.services
            _ = try await Self.make(services)
            let months = try [#require(MonthPeriod(year: 2019, month: 3)), #require(MonthPeriod(year: 2019, month: 4)), #require(MonthPeriod(year: 2019, month: 5)),
                              #require(MonthPeriod(year: 2019, month: 6))]
            let people = try await services.indicators.compute(.trainingPeopleTrained, MonthWindow(months), now: Date())
            #expect(people.map(\.value) == [14, 9, 2, 0])
            #expect(people[0].breakdown == ["Hotels and hospitality": 10, "Police": 4])
            #expect(people[1].breakdown == ["Hotels and hospitality": 6, "Police": 3])
            let change = try await services.indicators.compute(.trainingConfidenceChange, MonthWindow(months), now: Date())
            #expect(change[0].basis == 2 && change[0].value.map { abs($0 - 7.0 / 6) < 1e-9 } == true)
            #expect(change[1].value == 3 && change[1].basis == 1)
            #expect(change[2].value == nil && change[2].basis == 0)
            // Over the whole span (a board report's period): the same people, once.
            let span = try await services.indicators.compute(.trainingPeopleTrained, MonthWindow(spanning: months[0], months[3]), now: Date())
            #expect(span.first?.value == 23)
            // Listed with the others, in points, not describing survivors.
            let viewer = try await DemoReports.identity("viewer@demo.invalid", services)
            let listed = try await services.indicators.list(identity: viewer)
            let confidence = try #require(listed.first { $0.key == "training.confidence_change" })
            #expect(confidence.unit == .points && !confidence.describesSurvivors && confidence.computed)
            #expect(listed.contains { $0.key == "training.people_trained" && $0.unit == .count })
        }
    }
}
