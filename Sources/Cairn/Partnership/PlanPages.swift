import CairnCore
import Foundation

/// View models of the plan's pages: the matrix and the goals (actions' pages are in
/// `PlanPages+Actions.swift`). Built from what `PlanService` returns; nothing here reads data.
enum PlanPages {
    /// A status in words, with a symbol and a class for its colour: never colour alone.
    struct StatusTag: Sendable {
        let value: String
        let label: String
        let symbol: String
        let cls: String
        let count: Int

        init(_ status: ActionStatus, count: Int = 0) {
            value = status.rawValue
            label = status.label
            symbol = status.symbol
            cls = "status-" + status.rawValue.replacingOccurrences(of: "_", with: "-")
            self.count = count
        }
    }

    struct Column: Sendable {
        let short: String
        let full: String
    }

    struct Cell: Sendable {
        let count: Int
        let countText: String
        let isGap: Bool
        /// The class of the cell's most concerning status, e.g. `status-off-track`; `gap` when empty.
        let cls: String
        let breakdown: [StatusTag]
        /// Where the cell is, in words, for those who cannot see the table's headers.
        let place: String
        let href: String
        /// "Add an action here", for those who may edit; nil hides it.
        let addHref: String?
    }

    struct Row: Sendable {
        let level: String
        let cells: [Cell]
    }

    struct MatrixPage: Sendable {
        let columns: [Column]
        let rows: [Row]
        let total: Int
        let totalText: String
        let gapCount: Int
        let gapText: String
        let totals: [StatusTag]
        let legend: [StatusTag]
        let goals: [Choice]
        let goalTitle: String?
        let canEdit: Bool
        let noGoals: Bool
        /// What other parts of the partnership's work say about the plan: shares without an
        /// agreement, and the latest self-assessment's gaps.
        var signals: [Signal] = []
    }

    struct Signal: Sendable {
        let text: String
        let href: String
        let linkText: String
    }

    static func matrixPage(_ matrix: PlanMatrix, goals: [PlanGoal], goal: PlanGoal?, canEdit: Bool) -> MatrixPage {
        let goalID = goal?.id?.uuidString ?? ""
        let rows = matrix.rows.map { cells in
            Row(level: cells.first?.level.label ?? "", cells: cells.map { cell in
                let place = "\(cell.pathway.shortLabel), \(cell.level.label.lowercased())"
                let count = cell.total
                return Cell(count: count, countText: count == 1 ? "1 action" : "\(count) actions", isGap: cell.isGap,
                            cls: cell.shownStatus.map { StatusTag($0).cls } ?? "gap",
                            breakdown: cell.breakdown.map { StatusTag($0.status, count: $0.count) }, place: place,
                            href: PlanRoute.actions.path(query: [("pathway", cell.pathway.rawValue), ("level", cell.level.rawValue), ("goal", goalID)]),
                            addHref: canEdit
                                ? PlanRoute.newAction.path(query: [("pathway", cell.pathway.rawValue), ("level", cell.level.rawValue), ("goal", goalID)]) : nil)
            })
        }
        var totals: [ActionStatus: Int] = [:]
        for cell in matrix.rows.joined() { for (status, count) in cell.counts { totals[status, default: 0] += count } }
        let gaps = matrix.gaps.count
        return MatrixPage(
            columns: PreventionPathway.allCases.map { Column(short: $0.shortLabel, full: $0.label) }, rows: rows, total: matrix.total,
            totalText: matrix.total == 1 ? "1 action" : "\(matrix.total) actions",
            gapCount: gaps, gapText: gaps == 1 ? "1 of the 20 cells has no action: it is a gap." : "\(gaps) of the 20 cells have no action: they are gaps.",
            totals: ActionStatus.byConcern.compactMap { status in totals[status].map { StatusTag(status, count: $0) } },
            legend: ActionStatus.byConcern.map { StatusTag($0) },
            goals: goals.map { Choice(value: $0.id?.uuidString ?? "", label: $0.title, selected: $0.id != nil && $0.id == goal?.id) },
            goalTitle: goal?.title, canEdit: canEdit, noGoals: goals.isEmpty)
    }

    // MARK: Goals

    struct GoalView: Sendable {
        let id: String
        let position: Int
        let title: String
        /// nil (not "") hides it: Mustache shows a section for any value that is not nil.
        let description: String?
        let actionsText: String
        /// nil when none, so the page leaves the figure out.
        let attention: Int?
        let done: Int?
        let actionsHref: String
        let matrixHref: String
        let editHref: String
    }

    struct GoalsPage: Sendable {
        let goals: [GoalView]
        let empty: Bool
        let canEdit: Bool
        let form: PlanService.GoalInput
    }

    static func goalsPage(_ rows: [PlanService.GoalRow], canEdit: Bool, form: PlanService.GoalInput = .init()) -> GoalsPage {
        GoalsPage(goals: rows.map { row in
            let id = row.goal.id?.uuidString ?? ""
            return GoalView(id: id, position: row.goal.position, title: row.goal.title, description: row.goal.goalDescription.isEmpty ? nil : row.goal.goalDescription,
                            actionsText: row.actions == 1 ? "1 action" : "\(row.actions) actions", attention: row.needingAttention > 0 ? row.needingAttention : nil, done: row.done > 0 ? row.done : nil,
                            actionsHref: PlanRoute.actions.path(query: [("goal", id)]), matrixHref: PlanRoute.matrix.path(query: [("goal", id)]),
                            editHref: row.goal.id.map { PlanRoute.editGoal(.value($0)).path } ?? "")
        }, empty: rows.isEmpty, canEdit: canEdit, form: form)
    }

    struct GoalFormPage: Sendable {
        let id: String
        let action: String
        let form: PlanService.GoalInput
        let count: Int
    }

    static func goalFormPage(_ goal: PlanGoal, form: PlanService.GoalInput? = nil, count: Int) -> GoalFormPage {
        let id = goal.id ?? UUID()
        return GoalFormPage(id: id.uuidString, action: PlanRoute.updateGoal(.value(id)).path,
                            form: form ?? .init(title: goal.title, description: goal.goalDescription, position: String(goal.position)), count: count)
    }
}
