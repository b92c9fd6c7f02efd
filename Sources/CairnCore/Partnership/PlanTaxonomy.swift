/// The five prevention pathways of the Modern Slavery PEC's review (seed 000).
public enum PreventionPathway: String, CaseIterable, Codable, Sendable {
    case fundamentals
    case literacy
    case control
    case disruption
    case partnerships

    public var label: String {
        switch self {
        case .fundamentals: "Access to the fundamentals of life"
        case .literacy: "Literacy and understanding of exploitation, harms and rights"
        case .control: "Individual and community control, power and resilience"
        case .disruption: "Impeding, disrupting and deterring perpetration"
        case .partnerships: "Partnerships and pooled resources"
        }
    }

    /// A short label for the columns of the plan's matrix.
    public var shortLabel: String {
        switch self {
        case .fundamentals: "Fundamentals of life"
        case .literacy: "Literacy and understanding"
        case .control: "Control, power, resilience"
        case .disruption: "Disrupting perpetration"
        case .partnerships: "Partnerships"
        }
    }
}

/// When prevention acts (the PEC's definition: before harm occurs, intervening early, treating
/// harms, and preventing re-exploitation).
public enum PreventionLevel: String, CaseIterable, Codable, Sendable {
    case before
    case early
    case treat
    case reexploitation

    public var label: String {
        switch self {
        case .before: "Before harm occurs"
        case .early: "Intervening early"
        case .treat: "Treating harm"
        case .reexploitation: "Preventing re-exploitation"
        }
    }
}

/// The four strands of the UK's approach to serious and organised crime.
public enum PlanStrand: String, CaseIterable, Codable, Sendable {
    case pursue, prevent, protect, prepare

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// Where an action stands. A done action takes no more updates.
public enum ActionStatus: String, CaseIterable, Codable, Sendable {
    case notStarted = "not_started"
    case onTrack = "on_track"
    case atRisk = "at_risk"
    case offTrack = "off_track"
    case done

    public var label: String {
        switch self {
        case .notStarted: "Not started"
        case .onTrack: "On track"
        case .atRisk: "At risk"
        case .offTrack: "Off track"
        case .done: "Done"
        }
    }

    /// Statuses that count as a concern on the plan (shown first, coloured and worded).
    public var needsAttention: Bool { self == .atRisk || self == .offTrack }
}
