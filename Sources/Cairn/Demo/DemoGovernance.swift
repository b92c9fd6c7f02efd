import CairnCore
import Foundation

/// The Westmere partnership's members, board, sub-groups and sector networks, two meetings
/// with their decisions and action log (one action overdue), and three information-sharing
/// agreements (one due for review, one past its review date). Recorded through the services by
/// the demo coordinator, as a person would; every date is worked out from `now`. Loaded before
/// the demo's reports and cases, so their referrals and shares are checked against these agreements.
enum DemoGovernance {
    static func load(into services: AppServices, now: Date) async throws {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let governance = services.governance
        let today = GovernanceService.today(now)
        func day(_ months: Int, days: Int = 0) -> String { today.adding(months: months).adding(days: days).description }
        var agency: [String: String] = [:]
        for a in try await services.accounts.agencies() { agency[a.name] = try a.requireID().uuidString }
        func id(_ name: String) throws -> String {
            guard let id = agency[name] else { throw AppError.notFound("demo agency \(name)") }
            return id
        }
        let police = "Westmere Constabulary", adults = "Westmere County Council Adult Safeguarding", children = "Westmere County Council Children's Services"
        let housing = "Harlow Vale District Council Housing", icb = "Westmere Integrated Care Board", hospitals = "Westmere Hospitals NHS Trust"
        let jobcentre = "Jobcentre Plus Westmere", glaa = "Gangmasters and Labour Abuse Authority (Westmere team)"
        let immigration = "Immigration Enforcement Westmere", freedom = "Westmere Freedom Project", harbour = "Safe Harbour Survivor Support"
        let law = "Westmere Law Centre", hotels = "Riverside Hotels Group (Westmere)", landlords = "Westmere Landlords Association"
        let letting = "Keyhouse Letting Agents", fire = "Westmere Fire and Rescue Service", office = "Westmere Modern Slavery Partnership Office"

        // Members: the police chair, the council's adult safeguarding team the secretariat.
        let roles: [(String, MemberRole, Int)] = [
            (police, .chair, -40), (adults, .secretariat, -40), (children, .member, -40), (housing, .member, -30), (icb, .member, -28),
            (hospitals, .member, -20), (jobcentre, .member, -18), (glaa, .member, -36), (immigration, .member, -36), (freedom, .member, -38),
            (harbour, .member, -38), (fire, .member, -12), (office, .member, -40), (law, .associate, -10), (hotels, .associate, -8),
            (landlords, .associate, -6), (letting, .associate, -5),
        ]
        var members: [String: UUID] = [:]
        for (name, role, months) in roles {
            let member = try await governance.addMember(.init(agencyID: try id(name), role: role.rawValue, joinedOn: day(months)), identity: coordinator,
                                                        address: "demo", now: now)
            members[name] = try member.requireID()
        }
        let contacts: [(String, String, String, String, String)] = [
            (police, "DI Jo Marsh (fictional)", "Detective Inspector, modern slavery lead", "jo.marsh@police.demo.invalid", "01632 960 101"),
            (adults, "Priya Nair (fictional)", "Partnership secretariat officer", "priya.nair@council.demo.invalid", ""),
            (harbour, "Tom Okafor (fictional)", "Service manager", "tom.okafor@safeharbour.demo.invalid", "01632 960 202"),
            (hotels, "Elena Vasquez (fictional)", "Head of security, Riverside Hotels", "", "01632 960 303"),
        ]
        for (name, person, role, email, phone) in contacts {
            _ = try await governance.addContact(to: try members[name].checked("member"), .init(name: person, role: role, email: email, phone: phone),
                                                identity: coordinator, address: "demo", now: now)
        }

        // The board, two sub-groups and two sector networks.
        func group(_ kind: GovernanceGroupKind, _ name: String, _ terms: String, chair: String?, _ names: [String]) async throws -> UUID {
            try await governance.createGroup(.init(kind: kind.rawValue, name: name, terms: terms, chairAgencyID: try chair.map(id) ?? "",
                                                   members: try names.map(id)), identity: coordinator, address: "demo", now: now).requireID()
        }
        let core = [police, adults, children, housing, icb, hospitals, jobcentre, glaa, immigration, freedom, harbour, fire, office]
        let board = try await group(.board, "Westmere Anti-Slavery Partnership Board",
                                    "Sets the partnership's strategy and action plan, agrees information-sharing, and holds members to account for their actions.\nMeets every quarter; quorate with the chair and four statutory members.",
                                    chair: police, core)
        let care = try await group(.subgroup, "Victim Care and Support Sub-group",
                                   "Makes sure every survivor identified in Westmere has safe accommodation, support and a route through the National Referral Mechanism, and that no one loses support when NRM support ends.",
                                   chair: harbour, [harbour, adults, children, housing, icb, hospitals, freedom, law])
        _ = try await group(.subgroup, "Disruption and Enforcement Sub-group",
                            "Brings together intelligence and enforcement to disrupt exploitation: joint visits, licensing checks and financial investigation.",
                            chair: glaa, [police, glaa, immigration, jobcentre, fire, housing])
        _ = try await group(.network, "Westmere Hospitality Network",
                            "Hotels, bars and restaurants that train their staff to spot exploitation and report it, and check their own supply chains.",
                            chair: hotels, [hotels, police, freedom, office])
        _ = try await group(.network, "Housing and Lettings Network", "Landlords and letting agents who check for signs of exploitation in the homes they let.",
                            chair: landlords, [landlords, letting, housing])

        // Two meetings with attendance, papers, decisions and the actions agreed.
        let paper = "https://westmere-partnership.example/papers/"
        let boardMeeting = try await governance.recordMeeting(
            .init(groupID: board.uuidString, heldOn: day(-2), title: "Partnership board, quarterly meeting",
                  present: try [police, adults, children, housing, icb, glaa, immigration, freedom, harbour, office].map(id),
                  apologies: try [hospitals, jobcentre].map(id),
                  papers: [.init(title: "Quarterly performance report", url: paper + "q-performance.pdf"),
                           .init(title: "Draft action plan for the coming year", url: paper + "draft-action-plan.pdf")],
                  decisions: ["The draft action plan is agreed, subject to the hospitality sector actions being strengthened.",
                              "The survivor-support data-sharing agreement is to be reviewed before its review date."]),
            actions: [.init(text: "Circulate the revised action plan to every member for comment", ownerAgencyID: try id(adults), dueOn: day(-1)),
                      .init(text: "Arrange awareness training for the Hospitality Network's members", ownerAgencyID: try id(freedom), dueOn: day(1)),
                      .init(text: "Report back on joint visits to car washes", ownerAgencyID: try id(glaa), dueOn: day(-1, days: -14))],
            identity: coordinator, address: "demo", now: now)
        let done = try await governance.meeting(try boardMeeting.requireID(), identity: coordinator).actions.first { $0.text.hasPrefix("Report back") }
        if let done { _ = try await governance.setActionStatus(try done.requireID(), status: "done", identity: coordinator, address: "demo", now: now) }
        _ = try await governance.recordMeeting(
            .init(groupID: care.uuidString, heldOn: day(0, days: -20), title: "",
                  present: try [harbour, adults, housing, freedom, law].map(id), apologies: try [icb].map(id),
                  papers: [.init(title: "Move-on accommodation: options paper", url: paper + "move-on-options.pdf")],
                  decisions: ["Survivors leaving NRM support are to be offered a move-on plan three months before support ends."]),
            actions: [.init(text: "Map move-on accommodation available in Harlow Vale", ownerAgencyID: try id(housing), dueOn: day(1, days: 10))],
            identity: coordinator, address: "demo", now: now)

        // Three agreements: one in force, one due for review, one past its review date.
        let statutory = [police, adults, children, housing, icb, hospitals, glaa, immigration, fire, office]
        _ = try await services.agreements.create(
            .init(title: "Westmere Partnership Information-Sharing Protocol",
                  purpose: "Sharing reports of concern, intelligence and information about offences between statutory partners, to protect people from exploitation and bring offenders to justice.",
                  parties: try statutory.map(id),
                  categories: [SharedDataCategory.reportDetails, .victimPersonalDetails, .suspectPersonalDetails, .reporterDetails, .criminalOffence, .intelligence].map(\.rawValue),
                  lawfulBasis: LawfulBasis.e.rawValue, signedOn: day(-20), reviewOn: day(10),
                  documentTitle: "Information-sharing protocol (signed)", documentURL: paper + "isp-signed.pdf"),
            identity: coordinator, address: "demo", now: now)
        _ = try await services.agreements.create(
            .init(title: "Survivor Support Data-Sharing Agreement",
                  purpose: "Sharing survivors' details, needs and health information, with their consent where it can be sought, to arrange support, accommodation and care.",
                  parties: try [harbour, adults, children, freedom, icb, hospitals, housing].map(id),
                  categories: [SharedDataCategory.victimPersonalDetails, .caseDetails, .specialCategoryHealth, .immigrationStatus].map(\.rawValue),
                  lawfulBasis: LawfulBasis.e.rawValue, specialCondition: SpecialCategoryCondition.h.rawValue, signedOn: day(-14), reviewOn: day(0, days: 20),
                  documentTitle: "Survivor support DSA v2", documentURL: paper + "survivor-support-dsa.pdf"),
            identity: coordinator, address: "demo", now: now)
        _ = try await services.agreements.create(
            .init(title: "Hospitality Sector Reporting Agreement",
                  purpose: "Hotels pass concerns about guests and staff who may be exploited to the police, and hear what became of them.",
                  parties: try [police, hotels, office].map(id), categories: [SharedDataCategory.reportDetails.rawValue],
                  lawfulBasis: LawfulBasis.f.rawValue, signedOn: day(-38), reviewOn: day(-2),
                  documentTitle: "Hospitality reporting agreement", documentURL: paper + "hospitality-agreement.pdf"),
            identity: coordinator, address: "demo", now: now)
    }
}
