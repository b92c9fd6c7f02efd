import CairnCore
import FluentKit
import Foundation

/// Personal data going from one agency to another, as the capability sharing it describes it
/// to the partnership's agreements: who, how, which kinds of information and on which day;
/// never what or whom it is about.
struct OutgoingShare: Sendable, Hashable {
    let kind: ShareKind
    let from: UUID
    let to: UUID
    let categories: Set<SharedDataCategory>
    let day: CalendarDate

    init(_ kind: ShareKind, from: UUID, to: UUID, categories: Set<SharedDataCategory>, on day: CalendarDate) {
        self.kind = kind
        self.from = from
        self.to = to
        self.categories = categories
        self.day = day
    }
}

/// The partnership's information-sharing agreements as capabilities that share personal data
/// meet them (Reports' referrals, Intelligence's items shared with partners, Cases' shares by
/// consent), given to each when it is made (`AppServices`), so none of them reads the
/// agreements' tables. A share no agreement in force covers is not stopped (the law allows
/// sharing without one): it is counted, and the person sharing is warned.
struct SharingAgreements: Sendable {
    /// Counts, in the caller's transaction, the shares that no agreement in force on their day
    /// covers, and returns them (with only the categories left uncovered).
    let record: @Sendable (_ shares: [OutgoingShare], _ db: any Database) async throws -> [OutgoingShare]
    /// The warning for the person who made these shares, or nil when agreements cover them all.
    let warning: @Sendable (_ shares: [OutgoingShare]) async throws -> String?

    /// No agreements are consulted (tools and tests that only share).
    static let none = SharingAgreements(record: { _, _ in [] }, warning: { _ in nil })
}
