import CairnCore
import Foundation

/// Each person's work queue: what is waiting for them across reports, cases, tasks,
/// intelligence and membership, overdue and due soonest first, with counts. It only asks each
/// capability's `WorkSource`; what a person may see is each capability's own decision, so the
/// queue never names a report, case or task the person could not open.
struct WorkQueue: Sendable {
    let sources: [any WorkSource]
    let accounts: AccountService
    let audit: AuditLog

    init(services: AppServices) {
        sources = [services.reports, services.support, services.survivor, services.intelligence, services.accounts, services.training]
        accounts = services.accounts
        audit = services.audit
    }

    struct Section: Sendable {
        let kind: WorkItem.Kind
        let items: [WorkItem]
        var count: Int { items.count }
        var overdue: Int { items.filter(\.overdue).count }
    }

    struct Result: Sendable {
        let sections: [Section]
        var total: Int { sections.reduce(0) { $0 + $1.count } }
        var overdue: Int { sections.reduce(0) { $0 + $1.overdue } }
    }

    /// The person's queue; one audit entry says it was shown (how many of each kind).
    func items(for identity: Identity, address: String, via: String, now: Date = Date()) async throws -> Result {
        let context = WorkContext(now: now, staffedAgencies: try await accounts.staffedAgencies())
        var all: [WorkItem] = []
        for source in sources { all += try await source.work(for: identity, context: context) }
        let result = Self.arrange(all)
        if result.total > 0 {
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "work.listed", recordType: "work", address: address,
                                              detail: "\(via); " + result.sections.map { "\($0.kind.rawValue) \($0.count)" }.joined(separator: ", ")))
        }
        return result
    }

    /// Sections with anything overdue first (emergencies always first), then in the kinds'
    /// order; in each, overdue items, then by due date, then newest.
    static func arrange(_ items: [WorkItem]) -> Result {
        let order = Dictionary(uniqueKeysWithValues: WorkItem.Kind.allCases.enumerated().map { ($1, $0) })
        let sections = Dictionary(grouping: items, by: \.kind).map { kind, items in
            Section(kind: kind, items: items.sorted { a, b in
                if a.overdue != b.overdue { return a.overdue }
                switch (a.due, b.due) {
                case let (x?, y?) where x != y: return x < y
                case (_?, nil): return true
                case (nil, _?): return false
                default: return (a.since ?? .distantPast) > (b.since ?? .distantPast)
                }
            })
        }.sorted { a, b in
            let rank = { (s: Section) in s.kind == .emergency ? 0 : (s.overdue > 0 ? 1 : 2) }
            return (rank(a), order[a.kind] ?? 99) < (rank(b), order[b.kind] ?? 99)
        }
        return Result(sections: sections)
    }
}

extension WorkItem.Kind {
    /// Where the whole list of this kind of work is dealt with (each capability's own page).
    var listHref: String {
        switch self {
        case .emergency: ReportRoute.list.path(query: [("urgency", "emergency"), ("sort", "due")])
        case .triage: ReportRoute.list.path(query: [("inbox", "triage"), ("sort", "due")])
        case .answer: ReportRoute.list.path(query: [("inbox", "assigned"), ("sort", "due")])
        case .unattended: ReportRoute.list.path(query: [("sort", "due")])
        case .overdueElsewhere: ReportRoute.list.path(query: [("overdue", "1"), ("sort", "due")])
        case .referral: ReportRoute.list.path(query: [("inbox", "referred")])
        case .caseUpdate, .partnerTask, .survivorMessage: CaseRoute.list.path
        case .agencyTask: CaseSupportRoute.taskInbox.path
        case .intelligenceAlert: IntelligenceRoute.dashboard.path(fragment: "alerts")
        case .outcome: ReportRoute.list.path(query: [("inbox", "made"), ("status", "closed")])
        case .accounts: AdminRoute.users.path
        case .trainingUpcoming: TrainingRoute.sessions.path(query: [("when", "upcoming")])
        case .trainingFollowUp: TrainingRoute.sessions.path(query: [("when", "past")])
        }
    }
}
