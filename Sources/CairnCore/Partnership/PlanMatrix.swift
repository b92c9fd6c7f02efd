/// The plan as a matrix of prevention pathway (columns) × prevention level (rows): how many
/// actions sit in each cell and where they stand, so gaps show at a glance. Built from the
/// actions' places and statuses alone; the plan pages and the board report draw it.
public struct PlanMatrix: Sendable, Equatable {
    /// One pathway × level cell.
    public struct Cell: Sendable, Equatable {
        public let pathway: PreventionPathway
        public let level: PreventionLevel
        /// Actions in the cell by status (statuses with none are absent).
        public internal(set) var counts: [ActionStatus: Int] = [:]

        public var total: Int { counts.values.reduce(0, +) }
        /// No action works here yet.
        public var isGap: Bool { total == 0 }
        /// The status the cell is shown in: the most concerning one present.
        public var shownStatus: ActionStatus? { ActionStatus.byConcern.first { counts[$0, default: 0] > 0 } }
        /// Each status present with its count, most concerning first.
        public var breakdown: [(status: ActionStatus, count: Int)] {
            ActionStatus.byConcern.compactMap { status in counts[status].map { (status, $0) } }
        }
    }

    /// One row per level, in the levels' order, each with a cell per pathway in the pathways' order.
    public private(set) var rows: [[Cell]]

    public init<Actions: Sequence>(_ actions: Actions) where Actions.Element == (pathway: PreventionPathway, level: PreventionLevel, status: ActionStatus) {
        var rows = PreventionLevel.allCases.map { level in PreventionPathway.allCases.map { Cell(pathway: $0, level: level) } }
        let levels = Dictionary(uniqueKeysWithValues: PreventionLevel.allCases.enumerated().map { ($1, $0) })
        let pathways = Dictionary(uniqueKeysWithValues: PreventionPathway.allCases.enumerated().map { ($1, $0) })
        for action in actions {
            guard let row = levels[action.level], let column = pathways[action.pathway] else { continue }
            rows[row][column].counts[action.status, default: 0] += 1
        }
        self.rows = rows
    }

    public func cell(_ pathway: PreventionPathway, _ level: PreventionLevel) -> Cell {
        rows.joined().first { $0.pathway == pathway && $0.level == level } ?? Cell(pathway: pathway, level: level)
    }

    /// The cells with no action, row by row.
    public var gaps: [Cell] { rows.joined().filter(\.isGap) }
    public var total: Int { rows.joined().reduce(0) { $0 + $1.total } }
}

extension ActionStatus {
    /// Most concerning first: how a cell or list picks what to show first.
    public static let byConcern: [ActionStatus] = [.offTrack, .atRisk, .onTrack, .notStarted, .done]

    /// A symbol beside the status's words, so it never rests on colour alone.
    public var symbol: String {
        switch self {
        case .notStarted: "○"
        case .onTrack: "●"
        case .atRisk: "▲"
        case .offTrack: "✖"
        case .done: "✔"
        }
    }
}
