import Foundation
import Testing
@testable import CairnCore

@Suite struct TriageTests {
    let policy = TriagePolicy.standard()

    func answers(danger: Bool = false, age: AgeGroup = .adult, types: Set<ExploitationType> = [.notKnown],
                 countyLines: Bool = false, dimensions: Set<IndicatorDimension> = [], cuckooing: Bool = false,
                 sector: LabourSector? = nil, area: String? = nil) -> TriageAnswers {
        TriageAnswers(dangerNow: danger, ageGroup: age, exploitation: .init(types: types, countyLines: countyLines),
                      labourSector: sector, indicatorDimensions: dimensions, cuckooing: cuckooing, area: area)
    }

    @Test func nothingKnownIsLowAndSaysSo() {
        let result = policy.assess(answers())
        #expect(result.urgency == .low)
        #expect(result.firedRules.isEmpty)
    }

    @Test func dangerNowIsAnEmergencyAndAllFiredRulesAreListed() {
        let result = policy.assess(answers(danger: true, age: .possibleChild, types: [.sexual]))
        #expect(result.urgency == .emergency)
        #expect(result.firedRules.map(\.id) == ["danger-now", "child-involved", "sexual-exploitation", "exploitation-type-known"])
        #expect(result.firedRules.allSatisfy { !$0.explanation.isEmpty })
    }

    @Test func childIsAtLeastHigh() {
        #expect(policy.assess(answers(age: .child)).urgency == .high)
        #expect(policy.assess(answers(age: .possibleChild)).urgency == .high)
        #expect(policy.assess(answers(age: .unknown)).urgency == .low)
    }

    @Test func manyDimensionsIsHighFewIsMedium() {
        #expect(policy.assess(answers(dimensions: [.control])).urgency == .medium)
        #expect(policy.assess(answers(dimensions: [.control, .coercion])).urgency == .medium)
        let three = policy.assess(answers(dimensions: [.control, .coercion, .movement]))
        #expect(three.urgency == .high)
        #expect(three.firedRules.first?.id == "indicators-in-many-dimensions")
        #expect(TriagePolicy.standard(highDimensions: 2).assess(answers(dimensions: [.control, .coercion])).urgency == .high)
    }

    @Test func exploitationTypeRules() {
        #expect(policy.assess(answers(types: [.labour])).urgency == .medium)
        #expect(policy.assess(answers(types: [.criminal], countyLines: true)).urgency == .high)
        #expect(policy.assess(answers(types: [.organHarvesting])).urgency == .high)
        #expect(policy.assess(answers(cuckooing: true)).urgency == .high)
    }

    @Test func answersAreBuiltFromTickedIndicators() {
        let a = TriageAnswers(dangerNow: false, ageGroup: .adult, exploitation: .init(types: [.criminal]),
                              indicators: [IndicatorObservation("cuckooing.home-taken-over", .observed),
                                           IndicatorObservation("cuckooing.drug-paraphernalia", .observed)])
        #expect(a.cuckooing)
        #expect(a.indicatorDimensions == [.control, .criminalActivity])
    }

    @Test func urgencyOrdersEmergencyHighest() {
        #expect(Urgency.emergency > .high && Urgency.high > .medium && Urgency.medium > .low)
        #expect([Urgency.low, .emergency, .medium].max() == .emergency)
    }
}

@Suite struct ResponseDeadlineTests {
    let deadlines = ResponseDeadlines.standard

    @Test func defaultsAreAnHourADayFiveWorkingDaysAndFourWeeks() {
        let received = londonTime("2026-11-20 15:00")  // a Friday
        #expect(deadlines.deadline(for: .emergency, from: received) == londonTime("2026-11-20 16:00"))
        #expect(deadlines.deadline(for: .high, from: received) == londonTime("2026-11-21 15:00"))
        #expect(deadlines.deadline(for: .medium, from: received) == londonTime("2026-11-27 15:00"))
        #expect(deadlines.deadline(for: .low, from: received) == londonTime("2026-12-18 15:00"))
    }

    @Test func workingDaysSkipChristmasAndKeepTheTimeAcrossAClockChange() {
        #expect(deadlines.deadline(for: .medium, from: londonTime("2026-12-23 10:00")) == londonTime("2027-01-04 10:00"))
        // British Summer Time ends on 25 October 2026; the deadline stays at 09:30 local time.
        #expect(deadlines.deadline(for: .medium, from: londonTime("2026-10-22 09:30")) == londonTime("2026-10-29 09:30"))
        #expect(deadlines.deadline(for: .low, from: londonTime("2026-10-10 09:30")) == londonTime("2026-11-07 09:30"))
    }

    @Test func overdueAfterTheDeadlineUnlessAnsweredInTime() {
        let received = londonTime("2026-11-23 09:00")
        #expect(!deadlines.isOverdue(urgency: .emergency, received: received, now: londonTime("2026-11-23 10:00")))
        #expect(deadlines.isOverdue(urgency: .emergency, received: received, now: londonTime("2026-11-23 10:01")))
        #expect(!deadlines.isOverdue(urgency: .emergency, received: received, now: londonTime("2026-11-24 10:00"),
                                     respondedAt: londonTime("2026-11-23 09:40")))
    }

    @Test func deadlinesAreConfigurableAndCodable() throws {
        let custom = ResponseDeadlines(high: .workingDays(1))
        #expect(custom.deadline(for: .high, from: londonTime("2026-11-20 15:00")) == londonTime("2026-11-23 15:00"))
        let decoded = try JSONDecoder().decode(ResponseDeadlines.self, from: JSONEncoder().encode(custom))
        #expect(decoded == custom)
        let json = Data(#"{"unit": "working_days", "amount": 3}"#.utf8)
        #expect(try JSONDecoder().decode(ResponseTime.self, from: json) == .workingDays(3))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ResponseTime.self, from: Data(#"{"unit": "weeks", "amount": 3}"#.utf8))
        }
    }
}

@Suite struct RoutingTests {
    let policy = RoutingPolicy.standard

    func answers(age: AgeGroup = .adult, types: Set<ExploitationType> = [.notKnown], countyLines: Bool = false,
                 cuckooing: Bool = false, sector: LabourSector? = nil, area: String? = nil) -> TriageAnswers {
        TriageAnswers(dangerNow: false, ageGroup: age, exploitation: .init(types: types, countyLines: countyLines),
                      labourSector: sector, cuckooing: cuckooing, area: area)
    }

    @Test func firstMatchingRuleWins() {
        let emergencyChild = policy.route(answers(age: .child), urgency: .emergency)
        #expect(emergencyChild.destination == .police && emergencyChild.ruleID == "emergency-to-police")
        let child = policy.route(answers(age: .possibleChild, cuckooing: true), urgency: .high)
        #expect(child.destination == .childrensServices && child.ruleID == "child-to-childrens-services")
        #expect(child.destination.agencyType == .localAuthority)
    }

    @Test func cuckooingGoesToHousingAndLabourBySectorToTheInspectorate() {
        #expect(policy.route(answers(cuckooing: true), urgency: .high).destination == .housing)
        #expect(policy.route(answers(types: [.labour], sector: .carWash), urgency: .medium).destination == .labourInspectorate)
        let noSector = policy.route(answers(types: [.labour]), urgency: .medium)
        #expect(noSector.destination == .police && noSector.ruleID == nil)
        #expect(noSector.explanation.contains("default"))
    }

    @Test func areaConditionsRouteLocally() throws {
        var custom = policy
        custom.rules.insert(RoutingRule(id: "east-ngo", description: "Eastern district reports go to the support charity.",
                                        conditions: .init(areas: ["E07000001"]), destination: .supportCharity), at: 1)
        #expect(custom.route(answers(area: "E07000001"), urgency: .low).ruleID == "east-ngo")
        #expect(custom.route(answers(area: "E07000002"), urgency: .low).ruleID == nil)
        #expect(custom.route(answers(), urgency: .low).ruleID == nil)
        let decoded = try JSONDecoder().decode(RoutingPolicy.self, from: JSONEncoder().encode(custom))
        #expect(decoded == custom)
    }
}
