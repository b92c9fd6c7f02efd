import CairnCore
import FluentKit
import Foundation

/// The triage deadline. A report that is not triaged yet (an unclassified public report) has
/// `CAIRN_TRIAGE_DEADLINE_HOURS` (24 by default) from when it was received to be triaged: until
/// then its `dueAt` is that deadline, and after it the report is overdue for triage. Once triaged
/// (classified, assigned, or closed) its deadline is the response time for its urgency, counted
/// from when it was received. Emergencies and reports a practitioner classified are triaged by the
/// rules on arrival, so they never wait.
extension ReportService {
    func triageDeadline(from received: Date) -> Date { received.addingTimeInterval(triageAllowance) }

    /// Waiting for triage: its deadline is the triage deadline.
    static func awaitsTriage(_ report: Report) -> Bool { report.reportStatus == .new }

    func isOverdueForTriage(_ report: Report, now: Date = Date()) -> Bool {
        Self.awaitsTriage(report) && report.dueAt < now
    }
}
