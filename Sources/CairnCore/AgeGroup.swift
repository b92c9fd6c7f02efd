/// How old the person of concern is thought to be.
public enum AgeGroup: String, Codable, CaseIterable, Sendable {
    case adult
    case child
    /// Age unknown or disputed, but they may be under 18. Treated as a child: MSA 2015 s.51
    /// presumes a child where there are reasonable grounds to believe the person may be under 18.
    case possibleChild = "possible_child"
    /// Nothing yet known about age.
    case unknown

    public var label: String {
        switch self {
        case .adult: "Adult (18 or over)"
        case .child: "Child (under 18)"
        case .possibleChild: "Possibly under 18"
        case .unknown: "Age not known"
        }
    }

    /// Children and possible children get child safeguarding and are always referred to the NRM.
    public var isTreatedAsChild: Bool { self == .child || self == .possibleChild }
}
