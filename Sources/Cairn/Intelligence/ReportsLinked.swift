import CairnCore
import Foundation

/// What the linker announces once a pass has stored its links: each newly linked report's
/// reference and the earlier reports it links to, with why. Given to the linker when it is made
/// (`AppServices`; Cases subscribes, to warn the teams of linked cases), so Intelligence
/// never calls another capability itself.
typealias ReportsLinked = @Sendable (_ links: [(reference: String, linked: [UUID: LinkedReportReason])], _ now: Date) async -> Void

/// Why the intelligence linker joined a new report to an earlier one: its summary ("same
/// phone, similar name …") and the kinds of mention that did it (`MentionKind` raw values).
/// Part of what the linker announces (`ReportsLinked`).
struct LinkedReportReason: Sendable, Hashable {
    let summary: String
    let kinds: Set<String>

    /// Links through what identifies the survivor: the person judged the same, or the phone,
    /// address, e-mail address or username their report gave. A new report sharing one of these
    /// may be about them, so it is a warning sign and the risk is re-assessed.
    static let personalKinds: Set<String> = Set([MentionKind.person, .phone, .address, .email, .username].map(\.rawValue))

    /// Whether the link may be about the survivor themself. A business, vehicle or web address
    /// shared with their report is about a place or an exploiter: the team is told, the risk stays.
    var raisesRisk: Bool { !kinds.isDisjoint(with: Self.personalKinds) }
}
