import CairnCore
import FluentKit
import Foundation

/// The agencies and accounts a generated data set's records belong to: the demo's fictional
/// Westmere partnership (`DemoPartnership.agencies`), each agency found by name or created,
/// and a few fictional accounts in each (`…@generated.invalid`, a domain that can never receive
/// mail). The accounts get an unusable random password and must choose one at first sign-in:
/// an administrator gives one a temporary password with `cairn user reset-password`.
struct GenerateCast: Sendable {
    struct Person: Sendable {
        let id: UUID
        let name: String
        let agencyID: UUID
    }

    struct Member: Sendable {
        let id: UUID
        let name: String
        let type: AgencyType
        let firstResponder: Bool
        var practitioners: [Person] = []
        var caseworkers: [Person] = []
    }

    /// Every agency in the database, sorted by name as intake's routing reads them.
    let agencies: [Agency]
    /// The Westmere agencies, in the demo's order.
    let members: [Member]
    /// The triage team (analysts and the coordinator).
    let triageTeam: [Person]
    let agenciesCreated: Int
    let accountsCreated: Int

    func member(_ name: String) -> Member? { members.first { $0.name == name } }
    func member(id: UUID) -> Member? { members.first { $0.id == id } }

    /// Who in an agency acts on a report it holds: one of its people, or the triage team's.
    func actor(in agencyID: UUID?, _ random: inout GenerateRandom) -> Person? {
        if let agencyID, let member = member(id: agencyID) {
            if let person = random.pick(member.practitioners + member.caseworkers) { return person }
        }
        return random.pick(triageTeam)
    }

    /// The accounts made in each agency: (role, how many).
    static let staffing: [String: [(Role, Int)]] = [
        "Westmere Constabulary": [(.analyst, 3), (.practitioner, 6)],
        "Westmere County Council Adult Safeguarding": [(.caseworker, 4), (.practitioner, 3)],
        "Westmere County Council Children's Services": [(.caseworker, 4), (.practitioner, 3)],
        "Harlow Vale District Council Housing": [(.practitioner, 2)],
        "Westmere Integrated Care Board": [(.practitioner, 1), (.viewer, 1)],
        "Westmere Hospitals NHS Trust": [(.practitioner, 3)],
        "Jobcentre Plus Westmere": [(.practitioner, 3)],
        "Gangmasters and Labour Abuse Authority (Westmere team)": [(.practitioner, 2)],
        "Immigration Enforcement Westmere": [(.practitioner, 2)],
        "Westmere Freedom Project": [(.caseworker, 3), (.practitioner, 1)],
        "Safe Harbour Survivor Support": [(.caseworker, 6)],
        "Westmere Law Centre": [(.practitioner, 1)],
        "Westmere Fire and Rescue Service": [(.practitioner, 2)],
        "Westmere Modern Slavery Partnership Office": [(.administrator, 1), (.coordinator, 1), (.analyst, 1)],
    ]

    /// A short, stable word for each agency in its accounts' email addresses.
    static func slug(_ agency: String) -> String {
        let words = agency.lowercased().split(whereSeparator: { !$0.isLetter }).filter { !["westmere", "and", "the", "of", "county"].contains($0) }
        return words.prefix(2).joined(separator: "-")
    }

    /// Finds or creates the Westmere agencies and the generated accounts. New ones get ids from
    /// their own seeded stream, so two fresh databases given the same seed hold the same ids.
    static func prepare(_ services: AppServices, seed: UInt64, now: Date) async throws -> GenerateCast {
        var ids = GenerateRandom(seed: seed ^ 0x5EED_CA57)
        func nextID() -> UUID { UUID.timeOrdered(milliseconds: now.milliseconds, using: &ids) }
        let db = services.database.db
        // Unusable: nobody knows it. A temporary one comes from `cairn user reset-password`.
        var secret = SystemRandomNumberGenerator()
        let hash = try await services.auth.hashPassword((0..<4).map { _ in String(secret.next() as UInt64, radix: 36) }.joined())
        var byName: [String: UUID] = [:]
        for agency in try await Agency.query(on: db).all() { byName[agency.name] = try agency.requireID() }
        var newAgencies: [Agency] = []
        for item in DemoPartnership.agencies where byName[item.name] == nil {
            let agency = Agency(id: nextID(), name: item.name, type: item.type, firstResponder: item.firstResponder, area: item.area,
                                services: item.services)
            agency.createdAt = now
            newAgencies.append(agency)
            byName[item.name] = try agency.requireID()
        }
        let emails = Set(try await User.query(on: db).all().map(\.email))
        var newUsers: [User] = []
        var index = 0
        for item in DemoPartnership.agencies {
            guard let agencyID = byName[item.name] else { continue }
            for (role, count) in staffing[item.name] ?? [] {
                for n in 1...count {
                    index += 1
                    let email = "\(role.rawValue).\(slug(item.name)).\(n)@generated.invalid"
                    guard !emails.contains(email) else { continue }
                    let user = User()
                    user.id = nextID()
                    user.email = email
                    user.displayName = "\(GenerateWords.givenNames[index % GenerateWords.givenNames.count]) "
                        + "\(GenerateWords.familyNames[(index * 7) % GenerateWords.familyNames.count]) (generated)"
                    user.$agency.id = agencyID
                    user.roles = [role]
                    user.passwordHash = hash
                    user.disabled = false
                    user.failedSignIns = 0
                    user.mustChangePassword = true
                    user.createdAt = now
                    newUsers.append(user)
                }
            }
        }
        let (agencies, users) = (newAgencies, newUsers)
        try await db.transaction { tx in
            for agency in agencies { try await agency.create(on: tx) }
            for user in users { try await user.create(on: tx) }
        }
        return try await load(services, agenciesCreated: agencies.count, accountsCreated: users.count)
    }

    /// The cast as stored: the Westmere agencies and their generated accounts.
    static func load(_ services: AppServices, agenciesCreated: Int, accountsCreated: Int) async throws -> GenerateCast {
        let db = services.database.db
        let agencies = try await Agency.query(on: db).sort(\.$name).all()
        let users = try await User.query(on: db).filter(\.$email ~~ "@generated.invalid").sort(\.$email).all()
        var members: [Member] = []
        var triage: [Person] = []
        for item in DemoPartnership.agencies {
            guard let agency = agencies.first(where: { $0.name == item.name }) else { continue }
            let id = try agency.requireID()
            var member = Member(id: id, name: agency.name, type: agency.agencyType, firstResponder: agency.firstResponder)
            for user in users where user.$agency.id == id {
                let person = Person(id: try user.requireID(), name: user.displayName, agencyID: id)
                if user.roles.contains(.practitioner) { member.practitioners.append(person) }
                if user.roles.contains(.caseworker) { member.caseworkers.append(person) }
                if user.roles.contains(.analyst) || user.roles.contains(.coordinator) { triage.append(person) }
            }
            members.append(member)
        }
        guard !triage.isEmpty, members.contains(where: { !$0.caseworkers.isEmpty }) else {
            throw AppError(.conflict, title: "No generated accounts", "The generated accounts could not be found after they were created.")
        }
        return GenerateCast(agencies: agencies, members: members, triageTeam: triage, agenciesCreated: agenciesCreated,
                            accountsCreated: accountsCreated)
    }
}
