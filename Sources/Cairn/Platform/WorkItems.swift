import CairnCore
import Foundation

/// One thing waiting for a person, as a capability reports it to the work queue (the home
/// page and `GET /api/v1/me/work`). The capability decides what the person may see: an item
/// names only a report, case or task they can open at `href`.
struct WorkItem: Sendable {
    /// The kinds of work, in the order the queue shows them when nothing is overdue.
    enum Kind: String, CaseIterable, Sendable, Codable {
        /// Emergencies no agency has answered yet (the triage team, or the agency holding them).
        case emergency
        /// Reports waiting for the triage team.
        case triage
        /// Reports assigned to the person's agency and not yet answered.
        case answer
        /// Open reports held by an agency with no active user who can see reports.
        case unattended
        /// Reports other agencies hold that are overdue for a response (the triage team).
        case overdueElsewhere
        /// Referrals to the person's agency waiting for its reply.
        case referral
        /// Warnings and updates on the cases the person is on the team of.
        case caseUpdate
        /// Unread messages and open correction or deletion requests from survivors, through
        /// their own view, on the cases the person is on the team of.
        case survivorMessage
        /// Care-plan tasks given to the person's agency.
        case agencyTask
        /// Tasks on the person's cases that a partner agency has let become overdue.
        case partnerTask
        /// Intelligence alerts not yet read.
        case intelligenceAlert
        /// Outcomes recorded on reports the person made, in the last 30 days.
        case outcome
        /// Accounts and membership (administrators).
        case accounts
        /// Training sessions the person's agency gives in the next 30 days.
        case trainingUpcoming
        /// The agency's past training sessions with no attendance or feedback recorded.
        case trainingFollowUp

        var heading: String {
            switch self {
            case .emergency: "Emergencies not yet answered"
            case .triage: "Reports waiting for triage"
            case .answer: "Reports for your agency to answer"
            case .unattended: "Reports with an agency that has no one to see them"
            case .overdueElsewhere: "Reports overdue at other agencies"
            case .referral: "Referrals waiting for your agency’s reply"
            case .caseUpdate: "Warnings and updates on your cases"
            case .survivorMessage: "Messages and requests from survivors"
            case .agencyTask: "Care-plan tasks for your agency"
            case .partnerTask: "Tasks on your cases overdue at a partner agency"
            case .intelligenceAlert: "Intelligence alerts to read"
            case .outcome: "Outcomes of your reports"
            case .accounts: "Accounts and membership"
            case .trainingUpcoming: "Upcoming training sessions"
            case .trainingFollowUp: "Training sessions missing attendance or feedback"
            }
        }
    }

    let kind: Kind
    /// What it is, e.g. a report reference with its urgency; never personal data beyond what
    /// the page it links to shows the same person.
    let title: String
    let detail: String
    /// One click from where it is dealt with.
    let href: String
    /// When it is due, if it has a deadline.
    let due: Date?
    let overdue: Bool
    /// When it arrived (for items without a deadline: oldest first is not wanted; newest first).
    let since: Date?

    init(_ kind: Kind, title: String, detail: String = "", href: String, due: Date? = nil, overdue: Bool = false, since: Date? = nil) {
        self.kind = kind
        self.title = title
        self.detail = detail
        self.href = href
        self.due = due
        self.overdue = overdue
        self.since = since
    }
}

/// What the work queue passes to each capability it asks.
struct WorkContext: Sendable {
    let now: Date
    /// Agencies with at least one active account that may see reports.
    let staffedAgencies: Set<UUID>
}

/// A capability's named read interface for the work queue: the items waiting for this
/// person that they may open, checked by the capability's own permission and access rules.
/// Reading them writes no audit entry; the queue writes one for the whole page.
protocol WorkSource: Sendable {
    func work(for identity: Identity, context: WorkContext) async throws -> [WorkItem]
}
