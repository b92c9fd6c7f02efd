import Testing

@testable import CairnCore

/// The plan's pathway × level matrix: counts per cell by status, the status a cell is shown
/// in, and the gaps.
@Suite struct PlanMatrixTests {
    @Test func eachCellCountsItsActionsByStatusAndEmptyCellsAreGaps() {
        let matrix = PlanMatrix([
            (pathway: .literacy, level: .before, status: .onTrack), (pathway: .literacy, level: .before, status: .atRisk),
            (pathway: .literacy, level: .before, status: .onTrack), (pathway: .disruption, level: .early, status: .done),
            (pathway: .partnerships, level: .reexploitation, status: .offTrack), (pathway: .partnerships, level: .reexploitation, status: .notStarted),
        ])
        #expect(matrix.rows.count == 4 && matrix.rows.allSatisfy { $0.count == 5 })
        #expect(matrix.rows.map { $0.map(\.level) } == PreventionLevel.allCases.map { Array(repeating: $0, count: 5) })
        #expect(matrix.rows[0].map(\.pathway) == PreventionPathway.allCases)
        let literacy = matrix.cell(.literacy, .before)
        #expect(literacy.total == 3 && literacy.counts == [.onTrack: 2, .atRisk: 1])
        #expect(literacy.shownStatus == .atRisk)
        #expect(literacy.breakdown.map(\.status) == [.atRisk, .onTrack] && literacy.breakdown.map(\.count) == [1, 2])
        #expect(matrix.cell(.partnerships, .reexploitation).shownStatus == .offTrack)
        #expect(matrix.cell(.disruption, .early).shownStatus == .done)
        let empty = matrix.cell(.fundamentals, .treat)
        #expect(empty.isGap && empty.total == 0 && empty.shownStatus == nil && empty.breakdown.isEmpty)
        #expect(matrix.total == 6)
        #expect(matrix.gaps.count == 17)
        #expect(!matrix.gaps.contains { $0.pathway == .literacy && $0.level == .before })
    }

    @Test func anEmptyPlanIsAllGapsAndEveryStatusHasWordsAndASymbol() {
        let matrix = PlanMatrix([])
        #expect(matrix.gaps.count == 20 && matrix.total == 0)
        #expect(Set(ActionStatus.byConcern) == Set(ActionStatus.allCases))
        #expect(Set(ActionStatus.allCases.map(\.symbol)).count == ActionStatus.allCases.count)
        #expect(ActionStatus.allCases.allSatisfy { !$0.label.isEmpty })
    }
}
