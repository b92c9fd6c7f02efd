import Foundation

/// A report as intake hands it on once it is stored, in the plain values the linker reads
/// (`LinkableReport`, `LinkableMention`), so the capability that follows new reports up
/// never reads Reports' models.
struct ReceivedReport: Sendable {
    let report: LinkableReport
    let mentions: [LinkableMention]
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
        let r = prepared.report
        report = LinkableReport(id: id, reference: r.reference, receivedAt: r.receivedAt, reportingAgencyID: r.reportingAgencyID, postcode: r.postcode)
        mentions = prepared.mentions.compactMap { m in
            m.id.map { LinkableMention(id: $0, reportID: id, kind: m.kind, value: m.value, normalised: m.normalised, dateOfBirth: m.dateOfBirth,
                                       postcode: m.postcode) }
        }
    }
}
