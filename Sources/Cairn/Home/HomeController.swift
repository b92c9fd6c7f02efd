import CairnCore
import Foundation
import Hummingbird

/// Each person's home page: their work queue (what is waiting for them, overdue first), the
/// partnership's figures they may see, and what each of their roles is for.
struct HomeController {
    let auth: AuthService
    let reports: ReportService
    let intelligence: IntelligenceService
    let accounts: AccountService
    let plan: PlanService
    let governance: GovernanceService
    let queue: WorkQueue
    let views: Views

    init(services: AppServices, views: Views) {
        auth = services.auth
        reports = services.reports
        intelligence = services.intelligence
        accounts = services.accounts
        plan = services.plan
        governance = services.governance
        queue = WorkQueue(services: services)
        self.views = views
    }

    struct Task: Sendable {
        let title: String
        let detail: String
        let href: String
        let action: String
    }

    struct Panel: Sendable {
        let heading: String
        let text: String
        let links: [Choice]
    }

    struct Stat: Sendable {
        let label: String
        let value: Int
        let href: String
    }

    struct Item: Sendable {
        let title: String
        let detail: String
        let hasDetail: Bool
        let href: String
        let when: String
        let overdue: Bool
    }

    struct Section: Sendable {
        let kind: String
        let heading: String
        let count: Int
        let overdue: Int
        let hasOverdue: Bool
        let items: [Item]
        let more: Bool
        let listHref: String
    }

    struct Page: Sendable {
        let displayName: String
        let agencyName: String
        let roles: String
        let setup: [Task]
        let sections: [Section]
        let empty: Bool
        let summary: String
        let canReport: Bool
        let stats: [Stat]
        let hasStats: Bool
        let panels: [Panel]
        /// Coordinators' and administrators' plan actions needing attention (nil for others).
        let plan: PlanPanel?
        /// The partnership's overdue actions (`HomeController+Partnership`).
        let partnership: PartnershipPanel?
    }

    /// How many items of a section the page lists; the rest are one click away.
    static let shown = 8

    static func when(_ item: WorkItem, now: Date) -> String {
        if let due = item.due {
            return item.overdue ? "Was due \(Format.dateTime(due))" : "Due \(Format.dateTime(due))"
        }
        return item.since.map { "Since \(Format.dateTime($0))" } ?? ""
    }

    static func summary(_ result: WorkQueue.Result) -> String {
        let total = "\(result.total) item\(result.total == 1 ? "" : "s") waiting"
        return result.overdue == 0 ? "\(total)." : "\(total), \(result.overdue) overdue."
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(HomeRoute.home, table: table) { request, context, identity in
            let now = Date()
            var setup: [Task] = []
            var stats: [Stat] = []
            if !identity.hasTwoFactor {
                let required = try await auth.twoFactorRequired(for: identity.roles)
                setup.append(Task(title: "Set up two-factor authentication",
                                  detail: required ? "Your role requires it." : "It protects the personal data you can see if your password is ever stolen.",
                                  href: AccountRoute.twoFactorSetup.path, action: "Set up two-factor"))
            }
            let result = try await queue.items(for: identity, address: context.clientAddress, via: "web", now: now)
            if identity.can(.viewReports) {
                let counts = try await reports.counts(identity: identity)
                stats += [Stat(label: "Open reports assigned to your agency", value: counts.assigned, href: ReportRoute.list.path(query: [("inbox", "assigned")])),
                          Stat(label: "Reports overdue for a response", value: counts.overdue, href: ReportRoute.list.path(query: [("overdue", "1")]))]
                if identity.can(.triageReports) {
                    stats.append(Stat(label: "Reports waiting for triage", value: counts.triage, href: ReportRoute.list.path(query: [("inbox", "triage")])))
                }
            }
            if identity.can(.analyseIntelligence) {
                stats.append(Stat(label: "Unread intelligence alerts", value: try await intelligence.openAlertCount(identity: identity), href: IntelligenceRoute.dashboard.path(fragment: "alerts")))
            }
            if let figures = try await accounts.membership(identity: identity, now: now) {
                stats += [
                    Stat(label: "Member agencies", value: figures.agencies, href: AdminRoute.agencies.path),
                    Stat(label: "Active accounts", value: figures.activeUsers, href: AdminRoute.users.path),
                    Stat(label: "Accounts without two-factor", value: figures.withoutTwoFactor, href: AdminRoute.users.path),
                    Stat(label: "Accounts locked now", value: figures.lockedNow, href: AdminRoute.users.path),
                ]
            }
            let sections = result.sections.map { section in
                Section(kind: section.kind.rawValue, heading: section.kind.heading, count: section.count, overdue: section.overdue, hasOverdue: section.overdue > 0,
                        items: section.items.prefix(Self.shown).map {
                            Item(title: $0.title, detail: $0.detail, hasDetail: !$0.detail.isEmpty, href: $0.href, when: Self.when($0, now: now), overdue: $0.overdue)
                        },
                        more: section.count > Self.shown, listHref: section.kind.listHref)
            }
            let page = Page(displayName: identity.displayName, agencyName: identity.agencyName,
                            roles: identity.roles.sorted().map(\.label).joined(separator: ", "),
                            setup: setup, sections: sections, empty: sections.isEmpty, summary: Self.summary(result),
                            canReport: identity.can(.createReport), stats: stats, hasStats: !stats.isEmpty,
                            panels: identity.roles.sorted().map(Self.panel),
                            plan: identity.can(.editPartnership) ? Self.planPanel(try await plan.attention(identity: identity)) : nil,
                            partnership: try await partnershipPanel(identity, now: now))
            return try views.render("home", page, title: "Home", request: request, context: context)
        }
    }

    /// What each role is for in Cairn and where to start.
    static func panel(_ role: Role) -> Panel {
        switch role {
        case .administrator:
            Panel(heading: role.label, text: "Keep the partnership's membership right: agencies, people and their roles, two-factor rules, and the audit log.",
                  links: [Choice(value: AdminRoute.users.path, label: "People", selected: false), Choice(value: AdminRoute.security.path, label: "Security", selected: false),
                          Choice(value: AuditRoute.log.path, label: "Audit log", selected: false)])
        case .coordinator:
            Panel(heading: role.label, text: "See who is in the partnership and which agencies are first responders for the National Referral Mechanism.",
                  links: [Choice(value: AgencyDirectoryRoute.directory.path, label: "Member agencies", selected: false)])
        default:
            Panel(heading: role.label, text: role.hint, links: [Choice(value: AgencyDirectoryRoute.directory.path, label: "Partner agencies", selected: false)])
        }
    }
}
