import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Cairn

@Suite("Plan indicators")
struct PlanIndicatorTests {
    static func values(_ response: TestResponse) throws -> [(period: String, value: Any)] {
        let values = try jsonObject(response)["values"] as? [[String: Any]] ?? []
        return values.map { ($0["period"] as? String ?? "", $0["value"] as Any) }
    }

    static var currentMonth: String { MonthPeriod(CalendarDate(Date(), in: .london)).description }

    /// The contract: every computed key is listed and read with twelve monthly periods, and a
    /// public report submitted now is counted in the current month when read afterwards.
    @Test func aPublicReportIsCountedInTheCurrentMonthOfReportsReceived() async throws {
        try await withApp { client, built in
            let viewer = try await token(for: "viewer@demo.invalid", built)
            let list = try await api(client, .get, "/api/v1/indicators", token: viewer)
            #expect(list.status == .ok)
            let items = try jsonObject(list)["items"] as? [[String: Any]] ?? []
            let keys = items.compactMap { $0["key"] as? String }
            #expect(Set(ComputedIndicator.allCases.map(\.key)).isSubset(of: Set(keys)))
            #expect(items.allSatisfy { $0["computed"] as? Bool != nil && $0["name"] as? String != nil })
            for key in ComputedIndicator.allCases.map(\.key) {
                let read = try await api(client, .get, "/api/v1/indicators/\(key)", token: viewer)
                #expect(read.status == .ok, "\(key): \(read.text)")
                let body = try jsonObject(read)
                #expect(body["key"] as? String == key)
                #expect(body.keys.contains("baseline") && body.keys.contains("target") && body["unit"] as? String != nil)
                let periods = try Self.values(read).map(\.period)
                #expect(periods.count == 12)
                #expect(periods.last == Self.currentMonth)
            }
            func received() async throws -> Double {
                let read = try await api(client, .get, "/api/v1/indicators/reports.received", token: viewer)
                return try Self.values(read).last?.value as? Double ?? -1
            }
            let before = try await received()
            let sent = try await api(client, .post, "/api/v1/public/reports", token: nil,
                                     json: #"{"description":"Workers collected before dawn in a minibus from the car wash","language":"en"}"#)
            #expect(sent.status == .created, "\(sent.text)")
            #expect(try await received() == before + 1)
        }
    }

    /// The computed figures follow the records: rates from their parts, medians of durations,
    /// and small numbers about survivors hidden (value null, suppressed true).
    @Test func computedFiguresFollowTheRecordsAndHideSmallNumbersAboutSurvivors() async throws {
        try await withServices(demo: true) { services, _ in
            let db = services.database.db
            let now = Date()
            let month = MonthPeriod(CalendarDate(now, in: .london)).adding(months: -30)
            let window = MonthWindow([month])
            let start = window.start.addingTimeInterval(3 * 86_400)
            let agency = try await Agency.query(on: db).first()
            let user = try await User.query(on: db).first()
            guard let agencyID = try agency?.requireID(), let userID = try user?.requireID() else {
                Issue.record("no seeded agency or user")
                return
            }
            // Six reports 30 months ago (before any demo record): four answered on time, one late, one never; three
            // closed with an outcome after 2, 4 and 40 days.
            let answers: [(answered: Double?, closed: Double?)] = [(1, 2), (1, 4), (1, 40), (1, nil), (5, nil), (nil, nil)]
            for (index, answer) in answers.enumerated() {
                let sql = try db.sqlDatabase()
                let id = UUID()
                let received = start.addingTimeInterval(Double(index) * 3600)
                try await sql.raw("""
                    INSERT INTO reports (id, reference, source, language, status, urgency, triage_rules, routing_explanation, danger_now, age_group, \
                    exploitation_types, county_lines, classified, description, location, occurred, people_text, vehicles_text, phones_text, \
                    businesses_text, websites_text, reporter_type, anonymous, received_at, due_at, responded_at, closed_at, outcome, updated_at) VALUES \
                    (\(bind: id), \(bind: "CRN-T\(index)"), 'public', 'en', 'closed', 'medium', '', '', false, 'adult', 'labour', false, true, 'x', '', '', '', '', '', '', '', \
                    'member_of_public', true, \(bind: received), \(bind: received.addingTimeInterval(2 * 86_400)), \
                    \(bind: answer.answered.map { received.addingTimeInterval($0 * 86_400) }), \(bind: answer.closed.map { received.addingTimeInterval($0 * 86_400) }), \
                    \(bind: answer.closed == nil ? nil : "no_further_action"), \(bind: now))
                    """).run()
                if index < 3 {
                    let status = ["accepted", "rejected", "pending"][index]
                    try await sql.raw("""
                        INSERT INTO referrals (id, report_id, from_agency_id, to_agency_id, status, shared, request, response, created_by_id, created_at, updated_at) \
                        VALUES (\(bind: UUID()), \(bind: id), \(bind: agencyID), \(bind: agencyID), \(bind: status), '', '', '', \(bind: userID), \(bind: received), \(bind: now))
                        """).run()
                }
            }
            let indicators = services.indicators
            func figure(_ key: ComputedIndicator) async throws -> IndicatorFigure? { try await indicators.figures(key, window, now: now).first }
            #expect(try await figure(.reportsReceived)?.value == 6)
            // Answered by the 2-day deadline: four of six (one answered late, one never, past its deadline).
            let onTime = try await figure(.reportsTriagedOnTime)
            #expect(onTime?.numerator == 4 && onTime?.basis == 6)
            // Within 28 days: two of six (all six are older than 28 days).
            let within = try await figure(.reportsWithOutcome)
            #expect(within?.numerator == 2 && within?.basis == 6)
            // Median of 2, 4 and 40 days is 4.
            let median = try await figure(.reportsMedianDaysToOutcome)
            #expect(abs((median?.value ?? 0) - 4) < 0.01 && median?.basis == 3)
            // One accepted of two answered; the pending one is left out.
            #expect(try await figure(.referralsAcceptedRate)?.value == 50)
            // No NRM referral that month: a true zero is shown.
            #expect(try await figure(.nrmReferrals)?.value == 0)
        }
    }

    @Test func smallNumbersRuleHidesCountsAndRatesAboutSurvivorsOnly() {
        let month = MonthPeriod(year: 2026, month: 3) ?? MonthPeriod(CalendarDate(Date(), in: .london))
        #expect(IndicatorFigure.count(month, 3, survivors: true).value == nil)
        #expect(IndicatorFigure.count(month, 3, survivors: true).suppressed)
        #expect(IndicatorFigure.count(month, 0, survivors: true).value == 0)
        #expect(IndicatorFigure.count(month, SmallNumbers.threshold, survivors: true).value == Double(SmallNumbers.threshold))
        #expect(IndicatorFigure.count(month, 3, survivors: false).value == 3)
        #expect(IndicatorFigure.rate(month, 2, of: 4, survivors: true).suppressed)
        #expect(IndicatorFigure.rate(month, 2, of: 4, survivors: false).value == 50)
        #expect(IndicatorFigure.median(month, [1, 2, 3, 4], survivors: true).suppressed)
        #expect(IndicatorFigure.median(month, [1, 2, 3, 10, 20], survivors: true).value == 3)
        #expect(Statistics.median([4, 1, 3, 2]) == 2.5)
        #expect(Statistics.median([]) == nil)
    }

    @Test func periodsAreReadStrictly() {
        #expect(MonthPeriod(parsing: "2026-12")?.description == "2026-12")
        for bad in ["2026-13", "2026-1", "26-12", "2026-12-01", "", "２０２６-12", "2026-00"] { #expect(MonthPeriod(parsing: bad) == nil, "\(bad)") }
        #expect(IndicatorPeriod(parsing: "2026-Q3", frequency: .quarter)?.first.month == 7)
        #expect(IndicatorPeriod(parsing: "2026-Q5", frequency: .quarter) == nil)
        #expect(IndicatorPeriod(parsing: "2026", frequency: .year)?.description == "2026")
        #expect(IndicatorPeriod(parsing: "2026-03", frequency: .year) == nil)
        #expect(MonthPeriod.range(MonthPeriod(year: 2025, month: 11)!, MonthPeriod(year: 2026, month: 2)!).map(\.description) == ["2025-11", "2025-12", "2026-01", "2026-02"])
    }

    /// Entered indicators: a coordinator adds one and enters values; bad input is refused with
    /// a message and changes nothing; a computed indicator takes no values; a viewer reads only.
    @Test func enteredIndicatorsAndTheirRules() async throws {
        try await withApp { client, built in
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let created = try await coordinator.post("/plan/indicators", [("name", "Businesses signed up to the charter"), ("definition", "Hotels and car washes signed up"),
                                                                          ("unit", "count"), ("direction", "higher"), ("frequency", "quarter"), ("source", "Hotel network register"),
                                                                          ("baseline", "4"), ("target", "20")])
            #expect(created.status == .seeOther, "\(created.text)")
            let path = created.location ?? ""
            #expect(path == "/plan/indicators/own.businesses_signed_up_to_the_charter")
            let last = MonthPeriod(CalendarDate(Date(), in: .london)).adding(months: -3)
            let quarter = "\(last.year)-Q\((last.month - 1) / 3 + 1)"
            #expect(try await coordinator.post(path + "/values", [("period", quarter), ("value", "7")]).status == .seeOther)
            let audit = try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "plan.indicator.value_entered")
                .filter(\.$recordID == "own.businesses_signed_up_to_the_charter").count()
            #expect(audit == 1)
            let db = built.services.database.db
            let stored = try await PlanIndicatorValue.query(on: db).count()
            let future = MonthPeriod(CalendarDate(Date(), in: .london)).adding(months: 4)
            let bad: [[(String, String)]] = [
                [("period", "\(future.year)-Q\((future.month - 1) / 3 + 1)"), ("value", "3")],
                [("period", "2026-13"), ("value", "3")],
                [("period", quarter), ("value", "lots")],
                [("period", quarter), ("value", "-2")],
                [("period", quarter), ("value", "")],
            ]
            for fields in bad {
                let response = try await coordinator.post(path + "/values", fields)
                #expect(response.status == .unprocessableContent, "\(fields)")
                #expect(response.text.contains("error-message"), "\(fields)")
            }
            #expect(try await PlanIndicatorValue.query(on: db).count() == stored)
            let computed = try await coordinator.post("/plan/indicators/reports.received/values", [("period", Self.currentMonth), ("value", "3")])
            #expect(computed.status == .conflict)
            #expect(computed.text.contains("computed from Cairn"))
            let page = try await coordinator.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains("Target 20"))

            let coordinatorToken = try await token(for: "coordinator@demo.invalid", built)
            let api1 = try await api(client, .put, "/api/v1/indicators/reports.received/values", token: coordinatorToken, json: #"{"period":"2026-01","value":3}"#)
            #expect(api1.status == .conflict)
            let api2 = try await api(client, .put, "/api/v1/indicators/own.businesses_signed_up_to_the_charter/values", token: coordinatorToken,
                                     json: #"{"period":"\#(quarter)","value":9}"#)
            #expect(api2.status == .ok, "\(api2.text)")
            #expect(try Self.values(api2).last?.value as? Double == 9)
            let viewer = try await token(for: "viewer@demo.invalid", built)
            let refused = try await api(client, .put, "/api/v1/indicators/own.businesses_signed_up_to_the_charter/values", token: viewer,
                                        json: #"{"period":"\#(quarter)","value":1}"#)
            #expect(refused.status == .forbidden)
            let future2 = try await api(client, .get, "/api/v1/indicators/reports.received?to=\(future.description)", token: viewer)
            #expect(future2.status == .unprocessableContent)
            #expect(try await api(client, .get, "/api/v1/indicators/no.such", token: viewer).status == .notFound)
        }
    }
}
