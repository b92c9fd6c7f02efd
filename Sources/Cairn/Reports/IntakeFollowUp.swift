import Foundation

/// A report as intake hands it on once it is stored: plain values, so the capability that
/// follows new reports up (Intelligence's linker) never reads Reports' models.
public struct ReceivedReport: Sendable {
    public let id: UUID
    public let reference: String
    public let receivedAt: Date
    /// The agency that made the report; nil for a report from the public.
    public let reportingAgencyID: UUID?
    public let postcode: String?
    public let mentions: [ReceivedMention]
}

/// One thing a report names (a person, phone, address, vehicle…), as stored.
public struct ReceivedMention: Sendable {
    public let id: UUID
    /// `MentionKind` raw value.
    public let kind: String
    public let value: String
    public let normalised: String?
    public let dateOfBirth: String
    public let postcode: String?
}

/// Adds the follow-up's own rows for newly stored reports to the intake transaction.
typealias FollowUpQueue = @Sendable (_ reports: [(id: UUID, receivedAt: Date)], _ steps: inout SQLWriteSteps) -> Void

/// What intake owes the capability that follows new reports up, given to `ReportService` when
/// it is made (`AppServices`): Reports calls these and never names that capability's types.

struct IntakeFollowUp: Sendable {
    /// Told when intake writes, so follow-up work gives way to it.
    let activity: IntakeActivity
    /// Adds rows to the intake transaction itself (the follow-up's queue), so a report is
    /// never stored without its follow-up being owed, even if the server stops at once.
    let queue: FollowUpQueue
    /// Called with each committed batch, after its reporters are answered.
    let afterCommit: @Sendable ([ReceivedReport]) async -> Void

    /// Nothing follows up (tools and tests that only store reports).
    static let none = IntakeFollowUp(activity: IntakeActivity(), queue: { _, _ in }, afterCommit: { _ in })
}

extension ReceivedReport {
    init?(_ prepared: PreparedReport) {
        guard let id = prepared.report.id else { return nil }
        self.init(id: id, reference: prepared.report.reference, receivedAt: prepared.report.receivedAt,
                  reportingAgencyID: prepared.report.reportingAgencyID, postcode: prepared.report.postcode,
                  mentions: prepared.mentions.compactMap { m in
                      m.id.map { ReceivedMention(id: $0, kind: m.kind, value: m.value, normalised: m.normalised, dateOfBirth: m.dateOfBirth, postcode: m.postcode) }
                  })
    }
}
