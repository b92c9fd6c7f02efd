import CairnCore
import Foundation

/// The partnership's panel on the home page of those who run it (coordinators and
/// administrators): actions from its meetings that are open and past their due date.
extension HomeController {
    struct OverdueAction: Sendable {
        let text: String
        let owner: String
        let due: String
        let href: String
    }

    struct PartnershipPanel: Sendable {
        let count: Int
        let actions: [OverdueAction]
        let more: Bool
        let listHref: String
    }

    /// nil for those who do not run the partnership, or when nothing is overdue.
    func partnershipPanel(_ identity: Identity, now: Date) async throws -> PartnershipPanel? {
        guard identity.can(.editPartnership) else { return nil }
        let overdue = try await governance.overdueActions(identity: identity, now: now, limit: Self.shown)
        guard overdue.total > 0 else { return nil }
        return PartnershipPanel(
            count: overdue.total,
            actions: overdue.rows.map {
                OverdueAction(text: $0.action.text, owner: $0.owner?.name ?? "An agency no longer listed", due: Format.day($0.action.dueOn),
                              href: MeetingRoute.meeting(.value($0.action.meetingID)).path(fragment: "actions"))
            },
            more: overdue.total > overdue.rows.count, listHref: MeetingRoute.actions.path(query: [("status", "overdue")]))
    }
}
