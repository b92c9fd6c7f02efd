import CairnCore
import Foundation

/// Items shared with partners meet the partnership's information-sharing agreements
/// (`SharingAgreements`): approving a partner for an item (handling code C) is a share of
/// intelligence from the originating agency to that partner. (Code P items are open to every
/// member under the partnership's own terms, so no agency is named and nothing is counted.)
extension IntelligenceService {
    static func shares(of item: IntelligenceItem, approved: some Sequence<UUID>, on now: Date = Date()) -> [OutgoingShare] {
        approved.map { OutgoingShare(.intelligence, from: item.originatorAgencyID, to: $0, categories: [.intelligence], on: CalendarDate(now, in: .london)) }
    }

    /// The warning for the originator when an agency the item is shared with is not covered by
    /// an agreement in force, if any.
    func agreementWarning(for item: IntelligenceItem, now: Date = Date()) async throws -> String? {
        try await agreements.warning(Self.shares(of: item, approved: item.approved.sorted { $0.uuidString < $1.uuidString }, on: now))
    }
}
