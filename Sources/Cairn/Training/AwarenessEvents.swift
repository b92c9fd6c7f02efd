import CairnCore
import Foundation

/// A training session or a campaign, as the "what changed afterwards" page marks it on a
/// sector's time line: when it ran, whom it was for and where.
struct AwarenessEvent: Sendable {
    enum Kind: String, Sendable { case session, campaign }

    let kind: Kind
    let title: String
    let start: CalendarDate
    let end: CalendarDate
    /// The sectors it was for.
    let sectors: Set<Sector>
    /// The postcode districts it was held or run in; empty when it was not tied to one.
    let districts: Set<String>
    /// Its page.
    let path: String
}

/// What the afterwards page reads of training and campaigns, wired in `AppServices`: the
/// sessions and campaigns that ran in a span, and when each agency named on attendance first
/// had staff trained, by its folded name (`AttendeeIdentity.fold`), for the recording-quality
/// comparison. Counts and dates, never a person.
struct AwarenessEvents: Sendable {
    let events: @Sendable (_ from: CalendarDate, _ through: CalendarDate) async throws -> [AwarenessEvent]
    let agenciesFirstTrained: @Sendable () async throws -> [String: CalendarDate]
}
