import CairnCore
import Testing

/// The confidence results (means over every sheet, change over pairs only) and how a
/// registered person is recognised again, checked against hand-computed values.
@Suite struct TrainingRulesTests {
    static func sheet(_ pair: Int, _ phase: ConfidencePhase, _ a: Int, _ b: Int, _ c: Int) -> ConfidenceSheet {
        ConfidenceSheet(pair: pair, phase: phase, answers: [.recogniseSigns: a, .howToReport: b, .afterReporting: c])
    }

    @Test func pairedChangeIsOverAttendeesWithBothSheets() {
        let sheets = [Self.sheet(1, .before, 2, 2, 1), Self.sheet(1, .after, 4, 5, 3), Self.sheet(2, .before, 3, 3, 2),
                      Self.sheet(2, .after, 4, 4, 4), Self.sheet(3, .before, 1, 1, 1)]
        let results = ConfidenceResult.results(sheets.map { (0, $0) })
        #expect(results.map(\.question) == ConfidenceQuestion.allCases)
        // Recognise: before 2, 3, 1 → 2; after 4, 4 → 4; changes +2, +1 → 1.5.
        #expect(results[0] == ConfidenceResult(question: .recogniseSigns, before: 3, after: 2, pairs: 2, meanBefore: 2, meanAfter: 4, meanChange: 1.5))
        // Report: before 2, 3, 1 → 2; after 5, 4 → 4.5; changes +3, +1 → 2.
        #expect(results[1] == ConfidenceResult(question: .howToReport, before: 3, after: 2, pairs: 2, meanBefore: 2, meanAfter: 4.5, meanChange: 2))
        // After reporting: before 1, 2, 1 → 4/3; after 3, 4 → 3.5; changes +2, +2 → 2.
        #expect(results[2].meanBefore.map { abs($0 - 4.0 / 3) < 1e-9 } == true)
        #expect(results[2].meanAfter == 3.5 && results[2].meanChange == 2 && results[2].pairs == 2)
        // Overall: the six paired changes 2, 3, 2, 1, 1, 2 → 11/6.
        let overall = ConfidenceResult.overallChange(sheets.map { (0, $0) })
        #expect(overall.pairs == 2 && overall.change.map { abs($0 - 11.0 / 6) < 1e-9 } == true)
        // The same pair number in another session is another person.
        let apart = ConfidenceResult.overallChange([(1, Self.sheet(1, .before, 1, 1, 1)), (2, Self.sheet(1, .after, 5, 5, 5))])
        #expect(apart.pairs == 0 && apart.change == nil)
        #expect(ConfidenceResult.results([(Int, ConfidenceSheet)]()).allSatisfy { $0.meanBefore == nil && $0.meanChange == nil && $0.pairs == 0 })
    }

    @Test func aRegisteredPersonIsMatchedByEmailOrByNameAndAgency() {
        #expect(AttendeeIdentity.key(name: "Jo Example", agency: "Keyhouse", email: "Jo.Example@Keyhouse.invalid ")
                == AttendeeIdentity.key(name: "Joanne Example", agency: "Other", email: "jo.example@keyhouse.invalid"))
        #expect(AttendeeIdentity.key(name: "  Zoë   Sample", agency: "HARBOUR lets", email: "")
                == AttendeeIdentity.key(name: "zoe sample", agency: "Harbour Lets", email: ""))
        #expect(AttendeeIdentity.key(name: "Zoe Sample", agency: "Harbour Lets", email: "")
                != AttendeeIdentity.key(name: "Zoe Sample", agency: "Keyhouse", email: ""))
        #expect(IndicatorUnit.points.format(1.25) == "+1.3 points" && IndicatorUnit.points.format(-1) == "-1 point" && IndicatorUnit.points.format(0) == "0 points")
    }
}
