import Foundation
import Testing

@testable import Cairn

/// A report's history (`ReportEvent.inOrder`), without a database.
struct ReportHistoryTests {
    /// Steps written in one transaction share an instant; the history still reads in the
    /// order they happened, whatever order the database returns the tie in.
    @Test func stepsAtOneInstantFollowTheStatusChain() {
        let report = UUID(), at = Date(timeIntervalSince1970: 1_790_000_000)
        func step(_ action: String, _ from: String, _ to: String, _ when: Date) -> ReportEvent {
            ReportEvent(reportID: report, at: when, actorID: nil, actorName: "Analyst", agencyID: nil, action: action, from: from, to: to, note: "")
        }
        let received = step("received", "", "new", at.addingTimeInterval(-60))
        let triage = step("triage", "new", "triaged", at), assign = step("assign", "triaged", "assigned", at)
        let close = step("close", "assigned", "closed", at.addingTimeInterval(60))
        for shuffled in [[close, assign, triage, received], [triage, assign, received, close], [received, close, assign, triage]] {
            #expect(ReportEvent.inOrder(shuffled).map(\.action) == ["received", "triage", "assign", "close"])
        }
        // A tie with nothing before it still starts at the step the other continues from.
        #expect(ReportEvent.inOrder([assign, triage]).map(\.action) == ["triage", "assign"])
    }
}
