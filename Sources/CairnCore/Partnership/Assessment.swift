import Foundation

/// How far an agency has got with a principle or factor of the framework, on the four-point
/// maturity scale the LGA's self-assessments use.
public enum MaturityLevel: Int, CaseIterable, Codable, Sendable, Comparable {
    case basic = 1
    case early = 2
    case substantial = 3
    case mature = 4

    public var label: String {
        switch self {
        case .basic: "Basic first steps"
        case .early: "Early progress"
        case .substantial: "Substantial progress"
        case .mature: "Mature practice"
        }
    }

    /// What the level looks like in practice, for the rating form.
    public var hint: String {
        switch self {
        case .basic: "Little is in place yet: the need is recognised and first steps are planned or just begun."
        case .early: "Some work is in place in parts of the agency, but it is not yet consistent or embedded."
        case .substantial: "Established across most of the agency, with evidence that it is making a difference."
        case .mature: "Embedded, reviewed and improved over time, and shared with partners as good practice."
        }
    }

    public static func < (lhs: MaturityLevel, rhs: MaturityLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One agency's rating of one factor in a round: the part of a stored rating the picture needs.
public struct RatedLevel: Sendable, Hashable {
    public let agency: UUID
    public let factor: String
    public let level: MaturityLevel

    public init(agency: UUID, factor: String, level: MaturityLevel) {
        self.agency = agency
        self.factor = factor
        self.level = level
    }
}

/// Why a rating cannot be taken.
public enum RatingProblem: Error, Sendable, Equatable {
    /// No principle or factor has this key.
    case unknownFactor(String)
    /// A national factor: the partnership cannot act on it, so agencies do not rate it.
    case notAssessed(FrameworkFactor)
    /// Not 1, 2, 3 or 4.
    case outsideScale(FrameworkFactor, Int)

    public var message: String {
        switch self {
        case .unknownFactor(let key):
            "There is no principle or factor “\(key.prefix(60))” in the framework."
        case .notAssessed(let factor):
            "“\(factor.name)” is a national factor: agencies rate the principles and the regional and local, service design and service delivery factors only."
        case .outsideScale(let factor, _):
            "Rate “\(factor.name)” on the scale from 1 (basic first steps) to 4 (mature practice)."
        }
    }
}

/// The self-assessment's rules and its picture: which ratings are taken, the partnership's
/// median per factor, the change since the previous round, the heat map and progress. Pure:
/// the service gives it stored ratings and shows what it returns.
public enum Assessment {
    /// A factor whose median is at most this is a gap the partnership may plan an action for.
    public static let gapThreshold = 2.0

    /// The factor a rating is for, or why it cannot be taken.
    public static func check(factor key: String, level: Int) -> Result<(FrameworkFactor, MaturityLevel), RatingProblem> {
        guard let factor = Framework.factor(key) else { return .failure(.unknownFactor(key)) }
        guard factor.group.isAssessed else { return .failure(.notAssessed(factor)) }
        guard let maturity = MaturityLevel(rawValue: level) else { return .failure(.outsideScale(factor, level)) }
        return .success((factor, maturity))
    }

    /// The median of some levels (the mean of the middle two for an even count), or nil for none.
    public static func median(_ levels: [MaturityLevel]) -> Double? {
        guard !levels.isEmpty else { return nil }
        let sorted = levels.map(\.rawValue).sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return Double(sorted[middle]) }
        return Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Every assessed factor's median over the agencies that rated it.
    public static func medians(_ ratings: [RatedLevel]) -> [String: Double] {
        var levels: [String: [MaturityLevel]] = [:]
        for rating in ratings { levels[rating.factor, default: []].append(rating.level) }
        return levels.compactMapValues(median)
    }

    /// A median as people read it: "2", "2.5".
    public static func format(_ median: Double) -> String {
        median == median.rounded() ? String(Int(median)) : String(format: "%.1f", median)
    }

    public enum Direction: String, Sendable, CaseIterable, Codable {
        case up, down, same

        public var arrow: String {
            switch self {
            case .up: "↑"
            case .down: "↓"
            case .same: "="
            }
        }

        public var word: String {
            switch self {
            case .up: "Up"
            case .down: "Down"
            case .same: "No change"
            }
        }
    }

    /// A factor's median now against the previous round's.
    public struct Change: Sendable, Equatable {
        public let previous: Double
        public let current: Double
        public var direction: Direction { current > previous ? .up : current < previous ? .down : .same }
        /// "↑ 2.5 (was 1.5)".
        public var text: String { "\(direction.arrow) \(format(current)) (was \(format(previous)))" }
    }

    /// The change in a factor's median, when both rounds have one.
    public static func change(current: Double?, previous: Double?) -> Change? {
        guard let current, let previous else { return nil }
        return Change(previous: previous, current: current)
    }

    /// One factor's row of the heat map.
    public struct Row: Sendable {
        public let factor: FrameworkFactor
        /// One per column of the map, nil where that agency has not rated the factor.
        public let cells: [MaturityLevel?]
        public let median: Double?
        public let previousMedian: Double?
        public let change: Change?
        /// How many agencies rated it.
        public let rated: Int
        /// Rated, with a median at or below the gap threshold.
        public var isGap: Bool { (median ?? .infinity) <= gapThreshold }
    }

    /// The rows of one group of the framework, in its order.
    public struct Group: Sendable {
        public let group: FrameworkGroup
        public let rows: [Row]
    }

    /// Factors as rows, grouped as the framework groups them, by agencies as columns.
    public struct HeatMap: Sendable {
        /// The columns, in the order given.
        public let agencies: [UUID]
        public let groups: [Group]
        public var rows: [Row] { groups.flatMap(\.rows) }
        /// The factors whose median is at most the gap threshold.
        public var gaps: [Row] { rows.filter(\.isGap) }
    }

    /// The heat map of a round's ratings for `agencies` (the columns, in order; ratings by
    /// others are left out of the cells but not of the medians), with the change since
    /// `previous`, the ratings of the previous closed round if there is one.
    public static func heatMap(agencies: [UUID], ratings: [RatedLevel], previous: [RatedLevel]?) -> HeatMap {
        var byFactor: [String: [UUID: MaturityLevel]] = [:]
        for rating in ratings { byFactor[rating.factor, default: [:]][rating.agency] = rating.level }
        let now = medians(ratings)
        let before = previous.map(medians) ?? [:]
        let groups = FrameworkGroup.allCases.filter(\.isAssessed).map { group in
            Group(group: group, rows: Framework.assessed.filter { $0.group == group }.map { factor in
                let levels = byFactor[factor.key] ?? [:]
                let median = now[factor.key]
                let previousMedian = before[factor.key]
                return Row(factor: factor, cells: agencies.map { levels[$0] }, median: median, previousMedian: previousMedian,
                           change: change(current: median, previous: previousMedian), rated: levels.count)
            })
        }
        return HeatMap(agencies: agencies, groups: groups)
    }

    /// How many of the assessed principles and factors each agency has rated.
    public static func progress(_ ratings: [RatedLevel]) -> [UUID: Int] {
        var factors: [UUID: Set<String>] = [:]
        for rating in ratings where Framework.factor(rating.factor)?.group.isAssessed == true {
            factors[rating.agency, default: []].insert(rating.factor)
        }
        return factors.mapValues(\.count)
    }

    /// The number of principles and factors each agency rates.
    public static var total: Int { Framework.assessed.count }

    // MARK: Rounds

    /// Why a round's dates cannot be taken, or nil.
    public static func windowProblem(opensOn: CalendarDate, closesBy: CalendarDate) -> String? {
        closesBy < opensOn ? "The closing date must be on or after the opening date (\(opensOn))." : nil
    }

    /// Where a round sits among the others: rounds are in the order they open (and, on the same
    /// day, the order they were made).
    public struct RoundPlace: Sendable {
        public let id: UUID
        public let opensOn: CalendarDate
        public let createdAt: Date
        public let closed: Bool

        public init(id: UUID, opensOn: CalendarDate, createdAt: Date, closed: Bool) {
            self.id = id
            self.opensOn = opensOn
            self.createdAt = createdAt
            self.closed = closed
        }

        func isBefore(_ other: RoundPlace) -> Bool { (opensOn, createdAt) < (other.opensOn, other.createdAt) }
    }

    /// The closed round just before `round`, whose medians its change is measured from.
    public static func previousClosed(before round: RoundPlace, among rounds: [RoundPlace]) -> UUID? {
        rounds.filter { $0.closed && $0.id != round.id && $0.isBefore(round) }
            .max { $0.isBefore($1) }?.id
    }
}
