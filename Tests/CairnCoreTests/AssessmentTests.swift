import Foundation
import Testing
@testable import CairnCore

/// The self-assessment's rules without a database: which ratings are taken, medians, the
/// change since the previous round, the heat map, progress and the order of rounds.
@Suite struct AssessmentTests {
    let police = UUID(), council = UUID(), charity = UUID(), health = UUID()

    func rating(_ agency: UUID, _ factor: String, _ level: Int) -> RatedLevel {
        RatedLevel(agency: agency, factor: factor, level: MaturityLevel(rawValue: level) ?? .basic)
    }

    @Test func theScaleHasFourLevelsWithTheLGAWording() {
        #expect(MaturityLevel.allCases.map(\.rawValue) == [1, 2, 3, 4])
        #expect(MaturityLevel.allCases.map(\.label) == ["Basic first steps", "Early progress", "Substantial progress", "Mature practice"])
        #expect(Assessment.total == 28)
        #expect(Framework.assessed.allSatisfy { $0.group != .national })
    }

    @Test func onlyAssessedFactorsOnTheScaleAreTaken() throws {
        guard case .success(let (factor, level)) = Assessment.check(factor: "design.training", level: 2) else {
            Issue.record("a valid rating was refused")
            return
        }
        #expect(factor.name == "Training" && level == .early)
        #expect(Assessment.check(factor: "principle.partnership", level: 4).isSuccess)
        for bad in [0, 5, -1, 1_000_000] {
            guard case .failure(.outsideScale(let f, let l)) = Assessment.check(factor: "design.training", level: bad) else {
                Issue.record("level \(bad) was taken")
                continue
            }
            #expect(f.key == "design.training" && l == bad)
        }
        guard case .failure(let national) = Assessment.check(factor: "national.duty_of_care", level: 2) else {
            Issue.record("a national factor was taken")
            return
        }
        #expect(national == .notAssessed(try #require(Framework.factor("national.duty_of_care"))))
        #expect(national.message.contains("national factor"))
        guard case .failure(let unknown) = Assessment.check(factor: "design.nothing", level: 2) else {
            Issue.record("an unknown factor was taken")
            return
        }
        #expect(unknown == .unknownFactor("design.nothing"))
        #expect(unknown.message == "There is no principle or factor “design.nothing” in the framework.")
        #expect(RatingProblem.outsideScale(try #require(Framework.factor("design.training")), 5).message
            == "Rate “Training” on the scale from 1 (basic first steps) to 4 (mature practice).")
    }

    @Test func mediansTakeTheMiddleOrTheMeanOfTheMiddleTwo() {
        #expect(Assessment.median([]) == nil)
        #expect(Assessment.median([.substantial]) == 3)
        #expect(Assessment.median([.mature, .basic, .early]) == 2)
        #expect(Assessment.median([.mature, .basic, .early, .substantial]) == 2.5)
        #expect(Assessment.median([.basic, .basic, .mature, .mature]) == 2.5)
        #expect(Assessment.median([.early, .early, .early, .mature, .mature]) == 2)
        #expect(Assessment.format(2) == "2" && Assessment.format(2.5) == "2.5" && Assessment.format(1) == "1")
    }

    @Test func theChangeComparesMediansWithThePreviousRound() {
        #expect(Assessment.change(current: 2.5, previous: 1.5)?.direction == .up)
        #expect(Assessment.change(current: 2.5, previous: 1.5)?.text == "↑ 2.5 (was 1.5)")
        #expect(Assessment.change(current: 2, previous: 3)?.text == "↓ 2 (was 3)")
        #expect(Assessment.change(current: 3, previous: 3)?.text == "= 3 (was 3)")
        #expect(Assessment.change(current: 3, previous: nil) == nil)
        #expect(Assessment.change(current: nil, previous: 2) == nil)
    }

    @Test func theHeatMapHasEveryAssessedFactorGroupedWithCellsPerAgency() throws {
        let ratings = [
            rating(police, "design.training", 1), rating(council, "design.training", 2), rating(charity, "design.training", 2),
            rating(police, "principle.partnership", 4), rating(council, "principle.partnership", 3),
            rating(health, "design.training", 4),  // not a column, still counted in the median
        ]
        let previous = [rating(police, "design.training", 1), rating(council, "design.training", 1),
                        rating(police, "principle.partnership", 4), rating(council, "principle.partnership", 4),
                        rating(police, "local.leadership", 2)]
        let map = Assessment.heatMap(agencies: [police, council, charity], ratings: ratings, previous: previous)
        #expect(map.groups.map(\.group) == [.principle, .local, .serviceDesign, .serviceDelivery])
        #expect(map.groups.map(\.rows.count) == [7, 7, 9, 5])
        #expect(map.rows.map(\.factor.key) == Framework.assessed.map(\.key))

        let training = try #require(map.rows.first { $0.factor.key == "design.training" })
        #expect(training.cells == [.basic, .early, .early])
        #expect(training.median == 2 && training.rated == 4)
        #expect(training.previousMedian == 1 && training.change?.direction == .up)
        #expect(training.isGap)

        let partnership = try #require(map.rows.first { $0.factor.key == "principle.partnership" })
        #expect(partnership.cells == [.mature, .substantial, nil])
        #expect(partnership.median == 3.5 && partnership.change?.text == "↓ 3.5 (was 4)")
        #expect(!partnership.isGap)

        // Rated last time, not this time: no median, no change, not a gap.
        let leadership = try #require(map.rows.first { $0.factor.key == "local.leadership" })
        #expect(leadership.median == nil && leadership.previousMedian == 2 && leadership.change == nil && !leadership.isGap)
        #expect(map.gaps.map(\.factor.key) == ["design.training"])

        let first = Assessment.heatMap(agencies: [police], ratings: ratings, previous: nil)
        #expect(first.rows.allSatisfy { $0.change == nil && $0.previousMedian == nil })
    }

    @Test func aGapIsAMedianOfTwoOrLess() {
        let ratings = [rating(police, "delivery.peer_led", 2), rating(council, "delivery.peer_led", 3),
                       rating(police, "delivery.empowerment", 3), rating(council, "delivery.empowerment", 2),
                       rating(charity, "delivery.empowerment", 2)]
        let map = Assessment.heatMap(agencies: [police, council, charity], ratings: ratings, previous: nil)
        #expect(map.gaps.map(\.factor.key) == ["delivery.empowerment"])
        #expect(map.rows.first { $0.factor.key == "delivery.peer_led" }?.median == 2.5)
    }

    @Test func progressCountsEachAgencysAssessedFactors() {
        let ratings = [rating(police, "design.training", 1), rating(police, "principle.partnership", 4), rating(council, "design.training", 2),
                       rating(council, "national.duty_of_care", 2)]
        #expect(Assessment.progress(ratings) == [police: 2, council: 1])
    }

    @Test func roundsCloseOnOrAfterTheyOpenAndFollowEachOther() {
        #expect(Assessment.windowProblem(opensOn: day("2026-04-01"), closesBy: day("2026-03-31")) != nil)
        #expect(Assessment.windowProblem(opensOn: day("2026-04-01"), closesBy: day("2026-04-01")) == nil)
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let r2024 = Assessment.RoundPlace(id: UUID(), opensOn: day("2024-04-01"), createdAt: t0, closed: true)
        let r2025 = Assessment.RoundPlace(id: UUID(), opensOn: day("2025-04-01"), createdAt: t0, closed: true)
        let pilot = Assessment.RoundPlace(id: UUID(), opensOn: day("2025-09-01"), createdAt: t0, closed: false)
        let r2026 = Assessment.RoundPlace(id: UUID(), opensOn: day("2026-04-01"), createdAt: t0, closed: false)
        let sameDay = Assessment.RoundPlace(id: UUID(), opensOn: day("2026-04-01"), createdAt: t0.addingTimeInterval(60), closed: false)
        let all = [r2026, pilot, r2024, r2025, sameDay]
        #expect(Assessment.previousClosed(before: r2026, among: all) == r2025.id, "an open round in between is skipped")
        #expect(Assessment.previousClosed(before: r2025, among: all) == r2024.id)
        #expect(Assessment.previousClosed(before: r2024, among: all) == nil)
        let closedSameDay = Assessment.RoundPlace(id: r2026.id, opensOn: r2026.opensOn, createdAt: t0, closed: true)
        #expect(Assessment.previousClosed(before: sameDay, among: [closedSameDay, r2025]) == r2026.id)
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
