import CairnCore
import FluentKit
import Foundation

/// Membership work for administrators (locked accounts, a partnership still being set up),
/// the figures on their home page, and which agencies have anyone who can see reports.
extension AccountService: WorkSource {
    struct Membership: Sendable {
        let agencies: Int
        let activeUsers: Int
        let withoutTwoFactor: Int
        let lockedNow: Int
    }

    func membership(identity: Identity, now: Date = Date()) async throws -> Membership? {
        guard identity.can(.manageUsers) else { return nil }
        let db = database.db
        return Membership(agencies: try await Agency.query(on: db).count(),
                          activeUsers: try await User.query(on: db).filter(\.$disabled == false).count(),
                          withoutTwoFactor: try await User.query(on: db).filter(\.$disabled == false).filter(\.$totpSecret == nil).count(),
                          lockedNow: try await User.query(on: db).filter(\.$lockedUntil > now).count())
    }

    /// Agencies with at least one active account whose roles may see reports.
    func staffedAgencies() async throws -> Set<UUID> {
        let users = try await User.query(on: database.db).filter(\.$disabled == false).all()
        return Set(users.filter { AccessPolicy.allows($0.roles, .viewReports) }.map { $0.$agency.id })
    }

    func work(for identity: Identity, context: WorkContext) async throws -> [WorkItem] {
        guard let figures = try await membership(identity: identity, now: context.now) else { return [] }
        var items: [WorkItem] = []
        if figures.lockedNow > 0 {
            items.append(WorkItem(.accounts, title: "\(figures.lockedNow) account\(figures.lockedNow == 1 ? " is" : "s are") locked",
                                  detail: "After repeated failed sign-ins. Reset the password if the person asks.", href: AdminRoute.users.path))
        }
        if figures.agencies < 2 {
            items.append(WorkItem(.accounts, title: "Add the partnership's agencies", detail: "Police, council, health, NGOs and businesses that work with you.",
                                  href: AdminRoute.newAgency.path))
        }
        if figures.activeUsers < 2 {
            items.append(WorkItem(.accounts, title: "Invite the people who will use Cairn",
                                  detail: "Give each person an account at their agency with the roles they need.", href: AdminRoute.newUser.path))
        }
        return items
    }
}
