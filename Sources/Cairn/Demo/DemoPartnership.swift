import CairnCore
import FluentKit
import Foundation

/// A fictional county partnership ("Westmere") so a newcomer can explore at once.
/// Every name here is invented; the email domain `demo.invalid` can never receive mail.
public enum DemoPartnership {
    public static let password = "demo-password"
    public static let notice = "DEMO MODE: fictional Westmere partnership loaded; every demo account's password is \"demo-password\". Never use demo mode with real data."

    public struct Account: Sendable {
        public let email: String
        public let name: String
        public let roles: Set<Role>
        public let agency: String
    }

    static let agencies: [(name: String, type: AgencyType, firstResponder: Bool, area: String, services: Set<PartnerService>)] = [
        ("Westmere Constabulary", .police, true, "Westmere county", [.police]),
        ("Westmere County Council Adult Safeguarding", .localAuthority, true, "Westmere county", [.adultSafeguarding]),
        ("Westmere County Council Children's Services", .localAuthority, true, "Westmere county", [.childrensServices]),
        ("Harlow Vale District Council Housing", .localAuthority, true, "Harlow Vale district", [.housing]),
        ("Westmere Integrated Care Board", .health, false, "Westmere county", [.health]),
        ("Westmere Hospitals NHS Trust", .health, false, "Westmere county", []),
        ("Jobcentre Plus Westmere", .dwpJobcentre, false, "Westmere county", [.dwpJobcentre]),
        ("Gangmasters and Labour Abuse Authority (Westmere team)", .labourInspectorate, true, "Westmere county", [.labourInspectorate]),
        ("Immigration Enforcement Westmere", .immigration, true, "Westmere county", [.immigration]),
        ("Westmere Freedom Project", .ngo, true, "Westmere county", []),
        ("Safe Harbour Survivor Support", .ngo, true, "Westmere and Harlow Vale", [.supportCharity]),
        ("Westmere Law Centre", .ngo, false, "Westmere county", []),
        ("Riverside Hotels Group (Westmere)", .business, false, "Westmere city", []),
        ("Westmere Landlords Association", .business, false, "Westmere county", []),
        ("Keyhouse Letting Agents", .business, false, "Westmere city", []),
        ("Westmere Fire and Rescue Service", .other, false, "Westmere county", []),
        ("Westmere Modern Slavery Partnership Office", .other, false, "Westmere county", []),
    ]

    public static let accounts: [Account] = [
        Account(email: "admin@demo.invalid", name: "Alex Admin (demo)", roles: [.administrator], agency: "Westmere Modern Slavery Partnership Office"),
        Account(email: "coordinator@demo.invalid", name: "Chris Coordinator (demo)", roles: [.coordinator], agency: "Westmere Modern Slavery Partnership Office"),
        Account(email: "analyst@demo.invalid", name: "Ana Analyst (demo)", roles: [.analyst], agency: "Westmere Constabulary"),
        Account(email: "caseworker@demo.invalid", name: "Casey Caseworker (demo)", roles: [.caseworker], agency: "Safe Harbour Survivor Support"),
        Account(email: "caseworker2@demo.invalid", name: "Sam Caseworker (demo)", roles: [.caseworker], agency: "Westmere County Council Adult Safeguarding"),
        Account(email: "practitioner@demo.invalid", name: "Pat Practitioner (demo)", roles: [.practitioner], agency: "Jobcentre Plus Westmere"),
        Account(email: "trainer@demo.invalid", name: "Toni Trainer (demo)", roles: [.trainer], agency: "Westmere Freedom Project"),
        Account(email: "viewer@demo.invalid", name: "Vic Viewer (demo)", roles: [.viewer], agency: "Westmere Integrated Care Board"),
    ]

    /// Loads the demo partnership and its fictional reports and cases into an empty database.
    public static func load(into services: AppServices) async throws -> Bool {
        guard try await load(into: services.database, auth: services.auth, audit: services.audit) else { return false }
        let now = Date()
        try await DemoGovernance.load(into: services, now: now)
        try await DemoCampaigns.load(into: services, now: now)
        let carWash = try await DemoReports.load(into: services, now: now)
        let andrei = try await DemoCases.load(into: services, carWash: carWash, now: now)
        try await DemoSurvivorView.load(into: services, caseID: andrei, now: now)
        try await DemoPlan.load(into: services, now: now)
        try await DemoCampaigns.linkPlan(into: services, now: now)
        try await DemoIndicators.load(into: services, now: now)
        try await DemoAssessment.load(into: services, now: now)
        try await DemoTraining.load(into: services, now: now)
        try await DemoResources.load(into: services, now: now)
        try await DemoCampaigns.linkResources(into: services, now: now)
        try await DemoReleases.load(into: services, now: now)
        return true
    }

    /// Loads the demo into an empty database. Refuses if anyone already has an account, so
    /// it can never mix fictional people into real data.
    static func load(into database: CairnDatabase, auth: AuthService, audit: AuditLog) async throws -> Bool {
        if try await User.query(on: database.db).count() > 0 { return false }
        let hash = try await auth.hashPassword(password)
        try await database.db.transaction { tx in
            var ids: [String: UUID] = [:]
            for item in agencies {
                let agency = Agency(name: item.name, type: item.type, firstResponder: item.firstResponder, area: item.area, services: item.services)
                try await agency.create(on: tx)
                ids[item.name] = try agency.requireID()
            }
            for account in accounts {
                let user = User()
                user.email = account.email
                user.displayName = account.name
                guard let agencyID = ids[account.agency] else { throw AppError.notFound("demo agency \(account.agency)") }
                user.$agency.id = agencyID
                user.roles = account.roles
                user.passwordHash = hash
                user.disabled = false
                user.failedSignIns = 0
                user.mustChangePassword = false
                user.createdAt = Date()
                try await user.create(on: tx)
            }
            try await audit.append(AuditEvent(actor: .system, action: "demo.loaded", recordType: "demo", detail: "\(agencies.count) agencies, \(accounts.count) accounts (fictional)"), on: tx)
        }
        return true
    }
}
