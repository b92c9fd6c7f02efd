import Foundation

/// An agency's part in the partnership.
public enum MemberRole: String, CaseIterable, Codable, Sendable {
    case chair
    case secretariat
    case member
    case associate

    public var label: String {
        switch self {
        case .chair: "Chair"
        case .secretariat: "Secretariat"
        case .member: "Member"
        case .associate: "Associate member"
        }
    }

    public var hint: String {
        switch self {
        case .chair: "Chairs the partnership board."
        case .secretariat: "Runs the partnership's business: papers, minutes, the action log."
        case .member: "A full member, sitting on the board."
        case .associate: "Takes part and receives papers, without a seat on the board."
        }
    }
}

/// A named group of members: the partnership's board, one of its sub-groups, or a sector
/// network (for example the hotels of the area, meeting as a hospitality network).
public enum GovernanceGroupKind: String, CaseIterable, Codable, Sendable {
    case board
    case subgroup
    case network

    public var label: String {
        switch self {
        case .board: "Partnership board"
        case .subgroup: "Sub-group of the board"
        case .network: "Sector network"
        }
    }

    /// Headings for the groups page, one per kind.
    public var plural: String {
        switch self {
        case .board: "The board"
        case .subgroup: "Sub-groups"
        case .network: "Sector networks"
        }
    }
}

/// Whether an agency was at a meeting.
public enum AttendanceStatus: String, CaseIterable, Codable, Sendable {
    case present
    case apologies

    public var label: String {
        switch self {
        case .present: "Present"
        case .apologies: "Sent apologies"
        }
    }
}

/// Where an item of a meeting's action log stands. An open action past its due date is overdue.
public enum GovernanceActionStatus: String, CaseIterable, Codable, Sendable {
    case open
    case done

    public var label: String {
        switch self {
        case .open: "Open"
        case .done: "Done"
        }
    }

    public func isOverdue(due: CalendarDate, today: CalendarDate) -> Bool {
        self == .open && due < today
    }
}

/// A link the partnership keeps with a meeting's papers or an agreement: only web addresses,
/// so a link can never run script in the page that shows it.
public enum DocumentLink {
    public static let maxLength = 2000

    /// The problem with `text` as a document's address, or nil when it is an http(s) address
    /// with a host.
    public static func problem(_ text: String, label: String) -> String? {
        if text.count > maxLength { return "\(label) must be \(maxLength) characters or fewer (it is \(text.count))" }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, !text.contains(where: \.isWhitespace)
        else { return "\(label) must be a web address starting https:// or http://" }
        return nil
    }
}
