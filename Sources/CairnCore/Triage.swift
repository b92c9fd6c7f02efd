import Foundation

public enum Urgency: String, Codable, CaseIterable, Sendable, Comparable {
    case emergency, high, medium, low

    public var label: String {
        switch self {
        case .emergency: "Emergency"
        case .high: "High"
        case .medium: "Medium"
        case .low: "Low"
        }
    }

    /// Emergency is the greatest.
    public static func < (a: Urgency, b: Urgency) -> Bool {
        a.declarationIndex > b.declarationIndex
    }
}

/// Labour sectors the partnership routes on, with their ISIC v4 section for HTCDS
/// `vic_ForcedLabourIndustry`.
public enum LabourSector: String, Codable, CaseIterable, Sendable {
    case agriculture
    case fishing
    case foodProcessing = "food_processing"
    case manufacturing
    case construction
    case carWash = "car_wash"
    case nailBar = "nail_bar"
    case hospitality
    case care
    case warehousingAndLogistics = "warehousing_and_logistics"
    case cleaning
    case domesticWork = "domestic_work"
    case other

    public var label: String {
        switch self {
        case .agriculture: "Agriculture"
        case .fishing: "Fishing"
        case .foodProcessing: "Food processing and packing"
        case .manufacturing: "Manufacturing"
        case .construction: "Construction"
        case .carWash: "Car washes"
        case .nailBar: "Nail bars and beauty"
        case .hospitality: "Hotels, restaurants and takeaways"
        case .care: "Care work"
        case .warehousingAndLogistics: "Warehousing and logistics"
        case .cleaning: "Cleaning"
        case .domesticWork: "Domestic work in a private home"
        case .other: "Other"
        }
    }

    public var isicSection: String? {
        switch self {
        case .agriculture, .fishing: "A"
        case .foodProcessing, .manufacturing: "C"
        case .construction: "F"
        case .carWash: "G"
        case .warehousingAndLogistics: "H"
        case .hospitality: "I"
        case .cleaning: "N"
        case .care: "Q"
        case .nailBar: "S"
        case .domesticWork: "T"
        case .other: nil
        }
    }
}

/// The answers triage and routing look at. Built from a report; holds no personal data.
public struct TriageAnswers: Hashable, Sendable {
    public var dangerNow: Bool
    public var ageGroup: AgeGroup
    public var exploitation: ExploitationSummary
    public var labourSector: LabourSector?
    /// The dimensions the ticked indicators fall into.
    public var indicatorDimensions: Set<IndicatorDimension>
    /// Whether any indicator from the cuckooing list was ticked.
    public var cuckooing: Bool
    /// The partnership's own area code (e.g. a local authority or ward code).
    public var area: String?

    public init(dangerNow: Bool, ageGroup: AgeGroup, exploitation: ExploitationSummary,
                labourSector: LabourSector? = nil, indicatorDimensions: Set<IndicatorDimension> = [],
                cuckooing: Bool = false, area: String? = nil) {
        self.dangerNow = dangerNow
        self.ageGroup = ageGroup
        self.exploitation = exploitation
        self.labourSector = labourSector
        self.indicatorDimensions = indicatorDimensions
        self.cuckooing = cuckooing
        self.area = area
    }

    /// Reads dimensions and the cuckooing flag from ticked indicators.
    public init(dangerNow: Bool, ageGroup: AgeGroup, exploitation: ExploitationSummary,
                labourSector: LabourSector? = nil, indicators: [IndicatorObservation],
                catalogue: IndicatorCatalogue = .standard, area: String? = nil) {
        self.init(dangerNow: dangerNow, ageGroup: ageGroup, exploitation: exploitation, labourSector: labourSector,
                  indicatorDimensions: catalogue.dimensions(of: indicators),
                  cuckooing: catalogue.containsAny(of: .cuckooing, in: indicators), area: area)
    }
}

/// One named, explainable rule. Urgency is the highest any fired rule sets, never a sum:
/// Cairn does not score people.
public struct TriageRule: Sendable {
    public let id: String
    public let explanation: String
    public let urgency: Urgency
    public let applies: @Sendable (TriageAnswers) -> Bool

    public init(id: String, explanation: String, urgency: Urgency, applies: @escaping @Sendable (TriageAnswers) -> Bool) {
        self.id = id
        self.explanation = explanation
        self.urgency = urgency
        self.applies = applies
    }
}

public struct FiredRule: Hashable, Sendable, Codable {
    public let id: String
    public let explanation: String
    public let urgency: Urgency
}

public struct TriageResult: Hashable, Sendable, Codable {
    public let urgency: Urgency
    /// Every rule that fired, most urgent first, so the screen can show why.
    public let firedRules: [FiredRule]
}

public struct TriagePolicy: Sendable {
    public var rules: [TriageRule]

    public init(rules: [TriageRule]) { self.rules = rules }

    /// - Parameter highDimensions: signs in at least this many dimensions make a report high.
    public static func standard(highDimensions: Int = 3) -> TriagePolicy {
        TriagePolicy(rules: [
            TriageRule(id: "danger-now", explanation: "Someone is said to be in danger now.", urgency: .emergency) {
                $0.dangerNow
            },
            TriageRule(id: "child-involved", explanation: "A child, or someone who may be under 18, is involved.", urgency: .high) {
                $0.ageGroup.isTreatedAsChild
            },
            TriageRule(id: "indicators-in-many-dimensions",
                       explanation: "Signs of exploitation in \(highDimensions) or more different parts of the person’s situation.",
                       urgency: .high) {
                $0.indicatorDimensions.count >= highDimensions
            },
            TriageRule(id: "county-lines", explanation: "County lines: risk of violence and of being moved to another area.", urgency: .high) {
                $0.exploitation.countyLines
            },
            TriageRule(id: "organ-harvesting", explanation: "Organ harvesting: risk of serious physical harm soon.", urgency: .high) {
                $0.exploitation.types.contains(.organHarvesting)
            },
            TriageRule(id: "cuckooing", explanation: "Signs of cuckooing: a vulnerable person’s home taken over.", urgency: .high) {
                $0.cuckooing
            },
            TriageRule(id: "sexual-exploitation", explanation: "Sexual exploitation is reported.", urgency: .medium) {
                $0.exploitation.types.contains(.sexual)
            },
            TriageRule(id: "exploitation-type-known", explanation: "A type of exploitation is named.", urgency: .medium) {
                !$0.exploitation.types.subtracting([.notKnown]).isEmpty
            },
            TriageRule(id: "indicators-present", explanation: "At least one sign of exploitation was ticked.", urgency: .medium) {
                !$0.indicatorDimensions.isEmpty
            },
        ])
    }

    /// Low when no rule fires.
    public func assess(_ answers: TriageAnswers) -> TriageResult {
        let fired = rules.filter { $0.applies(answers) }
            .map { FiredRule(id: $0.id, explanation: $0.explanation, urgency: $0.urgency) }
            .enumerated().sorted { ($0.element.urgency, -$0.offset) > ($1.element.urgency, -$1.offset) }
            .map(\.element)
        return TriageResult(urgency: fired.first?.urgency ?? .low, firedRules: fired)
    }
}

/// How long a partnership allows before a report must be acted on.
public enum ResponseTime: Hashable, Sendable {
    case hours(Int)
    case workingDays(Int)
    case calendarDays(Int)
}

extension ResponseTime: Codable {
    /// Written as `{"unit": "working_days", "amount": 5}` so a settings file reads plainly.
    enum Unit: String, Codable { case hours, workingDays = "working_days", calendarDays = "calendar_days" }
    enum CodingKeys: String, CodingKey { case unit, amount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let amount = try c.decode(Int.self, forKey: .amount)
        guard amount >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .amount, in: c, debugDescription: "A response time cannot be negative.")
        }
        self = switch try c.decode(Unit.self, forKey: .unit) {
        case .hours: .hours(amount)
        case .workingDays: .workingDays(amount)
        case .calendarDays: .calendarDays(amount)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .hours(let n): try c.encode(Unit.hours, forKey: .unit); try c.encode(n, forKey: .amount)
        case .workingDays(let n): try c.encode(Unit.workingDays, forKey: .unit); try c.encode(n, forKey: .amount)
        case .calendarDays(let n): try c.encode(Unit.calendarDays, forKey: .unit); try c.encode(n, forKey: .amount)
        }
    }
}

public struct ResponseDeadlines: Hashable, Sendable, Codable {
    public var emergency: ResponseTime
    public var high: ResponseTime
    public var medium: ResponseTime
    public var low: ResponseTime

    public init(emergency: ResponseTime = .hours(1), high: ResponseTime = .hours(24),
                medium: ResponseTime = .workingDays(5), low: ResponseTime = .calendarDays(28)) {
        self.emergency = emergency
        self.high = high
        self.medium = medium
        self.low = low
    }

    public static let standard = ResponseDeadlines()

    public func responseTime(for urgency: Urgency) -> ResponseTime {
        switch urgency {
        case .emergency: emergency
        case .high: high
        case .medium: medium
        case .low: low
        }
    }

    /// When a report received at `received` must have been responded to.
    /// Working days keep the local time of day on the Nth working day after the day received
    /// (a Friday-afternoon report with 5 working days is due the next Friday afternoon).
    /// Calendar days count in the partnership's time zone so a clock change does not move the hour.
    public func deadline(for urgency: Urgency, from received: Date, workingDays: WorkingDays = .englandAndWales,
                         timeZone: TimeZone = TimeZone.london) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        switch responseTime(for: urgency) {
        case .hours(let n):
            return received.addingTimeInterval(TimeInterval(n) * 3600)
        case .calendarDays(let n):
            return calendar.date(byAdding: .day, value: n, to: received) ?? received.addingTimeInterval(TimeInterval(n) * 86_400)
        case .workingDays(let n):
            let startDay = CalendarDate(received, in: timeZone)
            let endDay = workingDays.addWorkingDays(n, to: startDay)
            let days = startDay.days(to: endDay)
            return calendar.date(byAdding: .day, value: days, to: received) ?? received.addingTimeInterval(TimeInterval(days) * 86_400)
        }
    }

    public func isOverdue(urgency: Urgency, received: Date, now: Date, respondedAt: Date? = nil,
                          workingDays: WorkingDays = .englandAndWales,
                          timeZone: TimeZone = TimeZone.london) -> Bool {
        let due = deadline(for: urgency, from: received, workingDays: workingDays, timeZone: timeZone)
        return (respondedAt ?? now) > due
    }
}
