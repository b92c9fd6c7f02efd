import Foundation

/// Roles a person can hold in the partnership. A user holds one or more.
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    case administrator
    case coordinator
    case analyst
    case caseworker
    case practitioner
    case trainer
    case viewer

    public var label: String {
        switch self {
        case .administrator: "Administrator"
        case .coordinator: "Partnership coordinator"
        case .analyst: "Intelligence analyst"
        case .caseworker: "Survivor-support caseworker"
        case .practitioner: "Frontline practitioner"
        case .trainer: "Trainer / awareness lead"
        case .viewer: "Viewer"
        }
    }

    public var hint: String {
        switch self {
        case .administrator: "Manages agencies, people, security settings and the audit log."
        case .coordinator: "Runs the partnership: members, action plan, monitoring and evaluation."
        case .analyst: "Triages reports, links and grades intelligence, sees hotspots."
        case .caseworker: "Supports survivors on the cases they are named on."
        case .practitioner: "Records concerns and referrals, and follows what became of them."
        case .trainer: "Records training sessions, campaigns and resources."
        case .viewer: "Reads partnership-level, non-personal information."
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        lhs.declarationIndex < rhs.declarationIndex
    }

    /// Parses a comma-separated list as stored in the database; unknown names are dropped.
    public static func parseList(_ text: String) -> Set<Role> {
        Set(text.split(separator: ",").compactMap { Role(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
    }

    public static func storageString(_ roles: Set<Role>) -> String {
        roles.sorted().map(\.rawValue).joined(separator: ",")
    }
}

/// What a person may do. Every route, page and API operation names exactly one of these,
/// and `AccessPolicy.allows` is the single place that says who holds it.
public enum Permission: String, Codable, CaseIterable, Sendable {
    /// Anyone, signed in or not (sign-in page, health, public report form).
    case everyone
    /// Any signed-in person: home, own account, the directory of partner agencies.
    case signedIn
    /// Create, edit agencies.
    case manageAgencies
    /// Create, edit, disable users; reset passwords and two-factor.
    case manageUsers
    /// See the people who belong to an agency (also granted for one's own agency).
    case viewAgencyMembers
    /// Set which roles must use two-factor authentication.
    case manageSecurityPolicy
    /// Search and read the audit log.
    case viewAuditLog
    /// Read Prometheus metrics (operators; also open to scrapers from loopback).
    case viewMetrics
    /// Record a report of concern as a practitioner.
    case createReport
    /// Open the reports inbox. Which reports a person sees is decided per report: their
    /// agency made it, holds it, or has a live referral for it (the triage team sees all).
    case viewReports
    /// Triage, assign and re-assign any report; see every report.
    case triageReports
    /// Download reports and referrals as CSV.
    case exportReports
    /// Download pseudonymous survivor-case data (HTCDS v2.0) for a period: only cases whose
    /// survivor agreed to anonymised sharing; no names, contact details or free text.
    case exportStatistics
    /// Add, reword and retire indicator checklist items.
    case manageIndicators
    /// Open survivor-support cases and work on those whose team one is named on. Nobody sees a
    /// case they are not on the team of, whatever their role.
    case workCases
    /// Work on the care-plan tasks given to one's own agency, and see what the survivor has
    /// consented to share with that agency for them; nothing else of the case.
    case workCareTasks
    /// Case figures for the partnership (counts, NRM stages, outcome movement) with small
    /// numbers suppressed; never a case or a person.
    case viewCaseStatistics
    /// Linked reports with their explanations, networks, linkage alerts, and recording and
    /// grading intelligence items; feedback on links.
    case analyseIntelligence
    /// Reports by postcode district and month: counts, no people.
    case viewHotspots
    /// Intelligence items partners may see: the sanitised version, as the handling code allows.
    case viewSharedIntelligence
    /// Read the partnership's plan, governance, agreements, indicators, self-assessments and
    /// board report: every signed-in role.
    case viewPartnership
    /// Edit the plan (goals, actions, indicators), governance and information-sharing agreements.
    case editPartnership
    /// Rate one's own agency in an open self-assessment round (never another agency's).
    case rateSelfAssessment
    /// Set how long each kind of record is kept, see what is due, and run the schedule.
    case manageRetention
    /// Read the insight dashboard: aggregate figures over reports, referrals, survivor support
    /// (small numbers hidden) and intelligence; every signed-in role. Drilling down to reports
    /// needs `viewReports` and shows only what the reader may open.
    case viewInsight
    /// Read training courses, sessions (attendance counts and confidence results), the
    /// totals of people trained and awareness campaigns: every signed-in role. Registers of
    /// named attendees are not part of it.
    case viewTraining
    /// Create and edit training courses and sessions, record attendance (counts or a register
    /// of named attendees, which only this permission reads) and confidence feedback, and run
    /// awareness campaigns.
    case manageTraining
    /// Upload resources to the hub (leaflets, posters, guides, training slides), add new
    /// versions, edit their details and withdraw them. Reading partners-only resources needs
    /// only a sign-in (`signedIn`); public ones are open to everyone.
    case manageResources
    /// Define statistical releases, have them computed and checked, and withdraw drafts; see
    /// releases that are not yet published. Published releases are open to everyone.
    case manageReleases
    /// Approve a proposed release: it is then signed, published and never changed.
    case approveReleases
    /// A national instance's tables, dashboard, partnerships and received releases (only
    /// published cells are ever held there).
    case viewNational
    /// Register partnerships and their public keys on a national instance.
    case manageNational
    /// The survivor's own view (`/my`, `/api/v1/survivor/…`): only a survivor signed in with
    /// their reference and passphrase. No staff role holds it, and a survivor holds nothing
    /// else, so neither kind of sign-in opens the other's pages or operations.
    case survivor
}

public enum AccessPolicy {
    /// The table of who may do what. Keep it the only one.
    public static let grants: [Permission: Set<Role>] = [
        .manageAgencies: [.administrator],
        .manageUsers: [.administrator],
        .viewAgencyMembers: [.administrator, .coordinator],
        .manageSecurityPolicy: [.administrator],
        .viewAuditLog: [.administrator],
        .viewMetrics: [.administrator],
        .createReport: [.coordinator, .analyst, .caseworker, .practitioner],
        .viewReports: [.coordinator, .analyst, .caseworker, .practitioner],
        .triageReports: [.coordinator, .analyst],
        .exportReports: [.coordinator, .analyst],
        .exportStatistics: [.coordinator, .analyst],
        .manageIndicators: [.administrator],
        .workCases: [.caseworker],
        .workCareTasks: [.caseworker, .practitioner],
        .viewCaseStatistics: [.coordinator, .caseworker, .viewer],
        .analyseIntelligence: [.analyst],
        .viewHotspots: [.coordinator, .analyst],
        .viewSharedIntelligence: [.coordinator, .analyst, .caseworker, .practitioner],
        .viewPartnership: Set(Role.allCases),
        .editPartnership: [.administrator, .coordinator],
        .rateSelfAssessment: Set(Role.allCases).subtracting([.viewer]),
        .manageRetention: [.administrator],
        .viewInsight: Set(Role.allCases),
        .viewTraining: Set(Role.allCases),
        .manageTraining: [.coordinator, .trainer],
        .manageResources: [.coordinator, .trainer],
        .manageReleases: [.coordinator],
        .approveReleases: [.administrator],
        .viewNational: Set(Role.allCases),
        .manageNational: [.administrator],
    ]

    public static func allows(_ roles: Set<Role>, _ permission: Permission) -> Bool {
        switch permission {
        case .everyone: return true
        case .signedIn: return !roles.isEmpty
        default: return !(grants[permission] ?? []).isDisjoint(with: roles)
        }
    }
}
