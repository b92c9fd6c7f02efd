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

/// Reports waiting for triage when this runs were given the response deadline of their
/// provisional urgency (28 days for low); they get the default triage deadline instead, 24 hours
/// from when each was received. Reports received afterwards take the configured one.
struct SetTriageDeadlines: AsyncMigration {
    var name: String { "019_set_triage_deadlines" }
    func prepare(on db: any Database) async throws {
        for report in try await Report.query(on: db).filter(\.$status == ReportStatus.new.rawValue).all() {
            report.dueAt = report.receivedAt.addingTimeInterval(24 * 3600)
            try await report.save(on: db)
        }
    }
    func revert(on db: any Database) async throws {}
}
