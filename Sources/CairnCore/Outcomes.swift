/// The 7 core outcomes of the Modern Slavery Core Outcome Set (MSCOS, 2023): the minimum to
/// record for adult survivors' recovery.
public enum CoreOutcome: String, Codable, CaseIterable, Sendable {
    case secureSuitableHousing = "secure_suitable_housing"
    case safetyFromAbusers = "safety_from_abusers"
    case longTermConsistentSupport = "long_term_consistent_support"
    case traumaInformedServices = "trauma_informed_services"
    case purposeAndSelfActualisation = "purpose_and_self_actualisation"
    case medicalTreatment = "medical_treatment"
    case education

    public var label: String {
        switch self {
        case .secureSuitableHousing: "Secure and suitable housing"
        case .safetyFromAbusers: "Safety from any trafficker or other abuser"
        case .longTermConsistentSupport: "Long-term, consistent support"
        case .traumaInformedServices: "Compassionate, trauma-informed services"
        case .purposeAndSelfActualisation: "Finding purpose in life and self-actualisation"
        case .medicalTreatment: "Access to medical treatment"
        case .education: "Access to education"
        }
    }
}

/// Cairn's five-point scale, rated with the survivor (MSCOS names outcomes, not a scale).
public enum OutcomeRating: String, Codable, CaseIterable, Sendable, Comparable {
    case notAtAll = "not_at_all"
    case aLittle = "a_little"
    case partly
    case mostly
    case fully

    public var score: Int { declarationIndex + 1 }

    public var label: String {
        switch self {
        case .notAtAll: "Not at all"
        case .aLittle: "A little"
        case .partly: "Partly"
        case .mostly: "Mostly"
        case .fully: "Fully"
        }
    }

    public static func < (a: OutcomeRating, b: OutcomeRating) -> Bool { a.score < b.score }
}

/// When outcomes are reviewed: at intake, then over at least a year, and on exit.
public enum ReviewPoint: String, Codable, CaseIterable, Sendable {
    case intake
    case oneMonth = "1_month"
    case threeMonths = "3_months"
    case sixMonths = "6_months"
    case twelveMonths = "12_months"
    case exit

    public var label: String {
        switch self {
        case .intake: "Intake"
        case .oneMonth: "1 month"
        case .threeMonths: "3 months"
        case .sixMonths: "6 months"
        case .twelveMonths: "12 months"
        case .exit: "Exit"
        }
    }

    public var monthsAfterIntake: Int? {
        switch self {
        case .intake: 0
        case .oneMonth: 1
        case .threeMonths: 3
        case .sixMonths: 6
        case .twelveMonths: 12
        case .exit: nil
        }
    }

    /// Nil for exit, which happens when the case closes.
    public func dueDate(caseOpened: CalendarDate) -> CalendarDate? {
        monthsAfterIntake.map { caseOpened.adding(months: $0) }
    }

    /// The first scheduled review not yet done, with its due date.
    public static func next(caseOpened: CalendarDate, completed: Set<ReviewPoint>) -> (point: ReviewPoint, due: CalendarDate)? {
        for point in allCases where !completed.contains(point) {
            if let due = point.dueDate(caseOpened: caseOpened) { return (point, due) }
        }
        return nil
    }
}

public struct OutcomeReview: Hashable, Sendable, Codable {
    public var point: ReviewPoint
    public var date: CalendarDate
    /// Outcomes not discussed are left out rather than guessed.
    public var ratings: [CoreOutcome: OutcomeRating]

    public init(point: ReviewPoint, date: CalendarDate, ratings: [CoreOutcome: OutcomeRating]) {
        self.point = point
        self.date = date
        self.ratings = ratings
    }

    /// Change in score per outcome since `earlier`, for outcomes rated in both.
    public func movement(since earlier: OutcomeReview) -> [CoreOutcome: Int] {
        var result: [CoreOutcome: Int] = [:]
        for (outcome, rating) in ratings {
            if let before = earlier.ratings[outcome] { result[outcome] = rating.score - before.score }
        }
        return result
    }
}
