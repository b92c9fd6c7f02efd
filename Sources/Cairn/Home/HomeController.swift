import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// Each person's home page: what they should do next, by role.
struct HomeController {
    let database: CairnDatabase
    let auth: AuthService
    let reports: ReportService
    let intelligence: IntelligenceService
    let views: Views

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

    struct Page: Sendable {
        let displayName: String
        let agencyName: String
        let roles: String
        let tasks: [Task]
        let noTasks: Bool
        let stats: [Stat]
        let hasStats: Bool
        let panels: [Panel]
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/", .signedIn, table: table) { request, context in
            let identity = try context.requireIdentity()
            let db = database.db
            var tasks: [Task] = []
            var stats: [Stat] = []
            if !identity.hasTwoFactor {
                let required = try await auth.twoFactorRequired(for: identity.roles)
                tasks.append(Task(title: "Set up two-factor authentication",
                                  detail: required ? "Your role requires it." : "It protects the personal data you can see if your password is ever stolen.",
                                  href: "/account/two-factor", action: "Set up two-factor"))
            }
            if identity.can(.viewReports) {
                let counts = try await reports.counts(identity: identity)
                stats += [Stat(label: "Open reports assigned to your agency", value: counts.assigned, href: "/reports?inbox=assigned"),
                          Stat(label: "Reports overdue for a response", value: counts.overdue, href: "/reports?overdue=1")]
                if identity.can(.triageReports) {
                    stats.append(Stat(label: "Reports waiting for triage", value: counts.triage, href: "/reports?inbox=triage"))
                    if counts.triage > 0 {
                        tasks.append(Task(title: "\(counts.triage) report\(counts.triage == 1 ? " is" : "s are") waiting for triage",
                                          detail: "Classify each one so the rules set its urgency, then assign it.", href: "/reports?inbox=triage&sort=urgency", action: "Triage reports"))
                    }
                }
                if counts.overdue > 0 {
                    tasks.append(Task(title: "\(counts.overdue) report\(counts.overdue == 1 ? " is" : "s are") overdue", detail: "The response deadline for their urgency has passed.",
                                      href: "/reports?overdue=1&sort=due", action: "See overdue reports"))
                }
            }
            if identity.can(.analyseIntelligence) {
                let alerts = try await intelligence.openAlertCount(identity: identity)
                stats.append(Stat(label: "Unread intelligence alerts", value: alerts, href: "/intelligence#alerts"))
                if alerts > 0 {
                    tasks.append(Task(title: "\(alerts) intelligence alert\(alerts == 1 ? "" : "s") to read",
                                      detail: "New reports joined networks with other agencies’ reports, or networks grew.", href: "/intelligence#alerts",
                                      action: "Read alerts"))
                }
            }
            if identity.can(.createReport) {
                tasks.append(Task(title: "Record a concern", detail: "Something you saw or were told that may be exploitation. In an emergency call 999 first.",
                                  href: "/reports/new", action: "Record a report"))
            }
            if identity.can(.manageUsers) {
                let agencies = try await Agency.query(on: db).count()
                let users = try await User.query(on: db).filter(\.$disabled == false).count()
                let withoutTwoFactor = try await User.query(on: db).filter(\.$disabled == false).filter(\.$totpSecret == nil).count()
                let locked = try await User.query(on: db).filter(\.$lockedUntil > Date()).count()
                stats += [
                    Stat(label: "Member agencies", value: agencies, href: "/admin/agencies"),
                    Stat(label: "Active accounts", value: users, href: "/admin/users"),
                    Stat(label: "Accounts without two-factor", value: withoutTwoFactor, href: "/admin/users"),
                    Stat(label: "Accounts locked now", value: locked, href: "/admin/users"),
                ]
                if agencies < 2 {
                    tasks.append(Task(title: "Add the partnership's agencies", detail: "Police, council, health, NGOs and businesses that work with you.", href: "/admin/agencies/new", action: "Add an agency"))
                }
                if users < 2 {
                    tasks.append(Task(title: "Invite the people who will use Cairn", detail: "Give each person an account at their agency with the roles they need.", href: "/admin/users/new", action: "Add a person"))
                }
                if locked > 0 {
                    tasks.append(Task(title: "\(locked) account\(locked == 1 ? " is" : "s are") locked", detail: "After repeated failed sign-ins. Reset the password if the person asks.", href: "/admin/users", action: "Review people"))
                }
            }
            let page = Page(displayName: identity.displayName, agencyName: identity.agencyName,
                            roles: identity.roles.sorted().map(\.label).joined(separator: ", "),
                            tasks: tasks, noTasks: tasks.isEmpty, stats: stats, hasStats: !stats.isEmpty,
                            panels: identity.roles.sorted().map(Self.panel))
            return try views.render("home", page, title: "Home", request: request, context: context)
        }
    }

    /// What each role is for in Cairn and where to start.
    static func panel(_ role: Role) -> Panel {
        switch role {
        case .administrator:
            Panel(heading: role.label, text: "Keep the partnership's membership right: agencies, people and their roles, two-factor rules, and the audit log.",
                  links: [Choice(value: "/admin/users", label: "People", selected: false), Choice(value: "/admin/security", label: "Security", selected: false),
                          Choice(value: "/admin/audit", label: "Audit log", selected: false)])
        case .coordinator:
            Panel(heading: role.label, text: "See who is in the partnership and which agencies are first responders for the National Referral Mechanism.",
                  links: [Choice(value: "/agencies", label: "Member agencies", selected: false)])
        default:
            Panel(heading: role.label, text: role.hint, links: [Choice(value: "/agencies", label: "Partner agencies", selected: false)])
        }
    }
}
