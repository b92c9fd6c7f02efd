import CairnCore
import Foundation

/// The Westmere partnership's plan: four shared goals and eighteen actions across every
/// prevention pathway and level, with five pathway × level cells left empty on purpose (gaps
/// to see and fill), owners from across the partnership, every strand and status, dated updates
/// and the framework factors each addresses. Written through `PlanService`, as the coordinator
/// and the administrator, with dates worked out from `now`.
enum DemoPlan {
    struct Step {
        let daysAgo: Int
        let status: ActionStatus
        let note: String
    }

    struct Item {
        let goal: Int
        let title: String
        let description: String
        let place: (PreventionPathway, PreventionLevel)
        let strand: PlanStrand
        let factors: [String]
        let owner: String
        let lead: String
        /// Days from `now`: negative is in the past.
        let starts: Int
        let due: Int
        let lived: String
        let updates: [Step]
    }

    static let goals: [(title: String, description: String)] = [
        ("More reports from the hospitality sector",
         "Hotels, restaurants and cleaning contractors see exploitation first and report it least. Staff know the signs and report through the partnership’s form."),
        ("No survivor loses support at the end of the NRM recovery period",
         "Every survivor leaving National Referral Mechanism support has somewhere to live, an income and someone to call before the support ends."),
        ("Fewer people drawn into exploitation through rogue letting and recruitment",
         "Landlords, letting agents and labour providers who house or recruit people to exploit them are found and stopped, and their tenants and workers are safe."),
        ("A partnership that knows what works",
         "The partnership shares its data, evaluates what it does and changes course on the evidence."),
    ]

    static let items: [Item] = [
        Item(goal: 0, title: "Hotel staff awareness sessions", description: "Forty-minute sessions for housekeeping, reception and night staff in every Westmere hotel with more than 20 rooms.",
             place: (.literacy, .before), strand: .prevent, factors: ["local.public_awareness", "design.training", "design.mainstreaming"],
             owner: "Riverside Hotels Group (Westmere)", lead: "Hospitality network lead", starts: -150, due: 60,
             lived: "Two survivors who had worked in hotel laundries rewrote the case studies so they show what staff would really see.",
             updates: [Step(daysAgo: 120, status: .onTrack, note: "Sessions written with the Freedom Project; first three hotels booked."),
                       Step(daysAgo: 40, status: .atRisk, note: "Two hotel groups cancelled over staff shortages."),
                       Step(daysAgo: 9, status: .onTrack, note: "Sessions moved to shift handovers; 11 of 16 hotels done.")]),
        Item(goal: 0, title: "Spot-the-signs cards for housekeeping trolleys", description: "Pocket cards in eight languages with the signs and the partnership’s reporting link.",
             place: (.literacy, .early), strand: .prevent, factors: ["design.reporting", "local.public_awareness", "delivery.culturally_competent"],
             owner: "Westmere Freedom Project", lead: "Communications officer", starts: -200, due: -30, lived: "",
             updates: [Step(daysAgo: 150, status: .onTrack, note: "Translations commissioned."),
                       Step(daysAgo: 35, status: .done, note: "4,000 cards delivered to 16 hotels.")]),
        Item(goal: 0, title: "Joint hotel visits with the police licensing team", description: "Unannounced visits to hotels named in reports, with the council’s licensing officers.",
             place: (.disruption, .early), strand: .pursue, factors: ["local.partnerships", "design.reporting"],
             owner: "Westmere Constabulary", lead: "Licensing sergeant", starts: -90, due: 90, lived: "",
             updates: [Step(daysAgo: 60, status: .onTrack, note: "Six visits done; two safeguarding referrals."),
                       Step(daysAgo: 12, status: .atRisk, note: "Licensing officers moved to other work until the new year.")]),
        Item(goal: 0, title: "Hotel-industry network of businesses", description: "A standing network of hotels and cleaning contractors that meets quarterly with the partnership.",
             place: (.partnerships, .before), strand: .prepare, factors: ["local.partnerships", "principle.partnership", "national.whole_systems"],
             owner: "Westmere Modern Slavery Partnership Office", lead: "Partnership coordinator", starts: -240, due: 120, lived: "",
             updates: [Step(daysAgo: 200, status: .onTrack, note: "Terms of reference agreed; 9 businesses joined."),
                       Step(daysAgo: 20, status: .onTrack, note: "14 businesses; second cleaning contractor joined.")]),
        Item(goal: 1, title: "Move-on accommodation before support ends", description: "A housing offer in place four weeks before a survivor’s NRM support ends.",
             place: (.fundamentals, .treat), strand: .protect, factors: ["local.survivor_support", "design.care", "delivery.person_centred"],
             owner: "Harlow Vale District Council Housing", lead: "Homelessness prevention manager", starts: -180, due: -10,
             lived: "The survivor advisory group asked for viewings with a support worker present; that is now part of the offer.",
             updates: [Step(daysAgo: 150, status: .onTrack, note: "Protocol agreed with the support provider."),
                       Step(daysAgo: 70, status: .atRisk, note: "Three survivors waited over four weeks for an offer."),
                       Step(daysAgo: 14, status: .offTrack, note: "No one-bedroom stock this quarter; escalated to the board.")]),
        Item(goal: 1, title: "Benefits claim started six weeks before support ends", description: "A named Jobcentre work coach starts the claim with the survivor and their caseworker.",
             place: (.fundamentals, .reexploitation), strand: .protect, factors: ["design.planning", "local.survivor_support"],
             owner: "Jobcentre Plus Westmere", lead: "Partnership work coach", starts: -120, due: 150, lived: "",
             updates: [Step(daysAgo: 90, status: .onTrack, note: "Work coach named; first five claims started in time.")]),
        Item(goal: 1, title: "Peer support group led by survivors", description: "A fortnightly group run by survivors, with a paid peer facilitator.",
             place: (.control, .reexploitation), strand: .protect, factors: ["delivery.peer_led", "delivery.empowerment", "delivery.trauma_informed"],
             owner: "Safe Harbour Survivor Support", lead: "Peer facilitator", starts: -100, due: 265,
             lived: "Designed by four survivors, who chose the format, the venue and the name; one is now the paid facilitator.",
             updates: [Step(daysAgo: 80, status: .onTrack, note: "First meeting held; 7 came."),
                       Step(daysAgo: 25, status: .onTrack, note: "Meeting fortnightly; average 9.")]),
        Item(goal: 1, title: "Free immigration and legal advice clinic", description: "A monthly clinic for survivors whose immigration status decides what support they can get.",
             place: (.control, .treat), strand: .protect, factors: ["design.specialist_services", "principle.equity"],
             owner: "Westmere Law Centre", lead: "Supervising solicitor", starts: 30, due: 210, lived: "",
             updates: [Step(daysAgo: 15, status: .notStarted, note: "Funding bid submitted; decision expected next month.")]),
        Item(goal: 1, title: "Trauma-informed practice training for caseworkers", description: "Two-day training for every caseworker who supports survivors.",
             place: (.literacy, .treat), strand: .protect, factors: ["delivery.trauma_informed", "design.training"],
             owner: "Westmere County Council Adult Safeguarding", lead: "Workforce development lead", starts: -60, due: 45, lived: "",
             updates: [Step(daysAgo: 45, status: .onTrack, note: "Trainer booked."),
                       Step(daysAgo: 6, status: .atRisk, note: "Only 8 of 30 places taken; managers asked to release staff.")]),
        Item(goal: 2, title: "Licensing checks for houses in multiple occupation", description: "Checks on every licensed house in multiple occupation named in a report or with more than eight tenants.",
             place: (.disruption, .before), strand: .prevent, factors: ["design.mainstreaming", "local.strategies"],
             owner: "Harlow Vale District Council Housing", lead: "Private sector housing team leader", starts: -90, due: 180, lived: "",
             updates: [Step(daysAgo: 30, status: .onTrack, note: "41 properties checked; 3 licences reviewed.")]),
        Item(goal: 2, title: "Rights-at-work sessions at the Jobcentre", description: "Short sessions on pay, contracts and recruitment fees for new claimants looking for agency work.",
             place: (.literacy, .before), strand: .prevent, factors: ["local.public_awareness", "delivery.empowerment"],
             owner: "Jobcentre Plus Westmere", lead: "Partnership work coach", starts: -45, due: 135, lived: "",
             updates: [Step(daysAgo: 20, status: .onTrack, note: "Running weekly at both Westmere offices.")]),
        Item(goal: 2, title: "Labour-provider inspections in food packing", description: "Inspections of labour providers supplying the county’s food-packing sites.",
             place: (.disruption, .early), strand: .pursue, factors: ["national.regulation", "local.partnerships"],
             owner: "Gangmasters and Labour Abuse Authority (Westmere team)", lead: "Senior investigating officer", starts: -150, due: -20, lived: "",
             updates: [Step(daysAgo: 100, status: .onTrack, note: "Four providers inspected."),
                       Step(daysAgo: 50, status: .atRisk, note: "Investigation into one provider takes the team’s time."),
                       Step(daysAgo: 18, status: .offTrack, note: "Remaining inspections moved to next year’s plan.")]),
        Item(goal: 2, title: "Emergency accommodation for people found sleeping at workplaces", description: "A same-day bed for anyone found living where they work.",
             place: (.fundamentals, .before), strand: .protect, factors: ["local.survivor_support", "design.responsiveness"],
             owner: "Harlow Vale District Council Housing", lead: "Out-of-hours housing officer", starts: -30, due: -5, lived: "",
             updates: [Step(daysAgo: 28, status: .notStarted, note: "Waiting for the out-of-hours rota to be agreed.")]),
        Item(goal: 2, title: "Community champions on the Eastgate estate", description: "Residents trained to notice and report exploitation, and to point neighbours to help.",
             place: (.control, .before), strand: .prevent, factors: ["local.community_resilience", "local.trust_building"],
             owner: "Westmere Freedom Project", lead: "Community organiser", starts: -120, due: 240,
             lived: "Two champions have lived experience of labour exploitation and co-deliver the training.",
             updates: [Step(daysAgo: 90, status: .onTrack, note: "12 champions trained."),
                       Step(daysAgo: 10, status: .onTrack, note: "Champions’ first reports received through the public form.")]),
        Item(goal: 1, title: "Shared case review for survivors nearing the end of support", description: "A monthly review, across agencies, of every survivor within eight weeks of the end of NRM support.",
             place: (.partnerships, .treat), strand: .protect, factors: ["principle.partnership", "design.care"],
             owner: "Westmere Modern Slavery Partnership Office", lead: "Partnership coordinator", starts: -90, due: 270, lived: "",
             updates: [Step(daysAgo: 60, status: .onTrack, note: "First two reviews held; housing and Jobcentre attend.")]),
        Item(goal: 3, title: "Referral pathway map every member uses", description: "One map of who to call, when, for adults and children, agreed by every member agency.",
             place: (.partnerships, .early), strand: .prepare, factors: ["design.planning", "local.partnerships", "design.reporting"],
             owner: "Westmere Modern Slavery Partnership Office", lead: "Partnership coordinator", starts: -300, due: -100, lived: "",
             updates: [Step(daysAgo: 250, status: .onTrack, note: "Draft circulated to members."),
                       Step(daysAgo: 110, status: .done, note: "Agreed by the board and published to every member.")]),
        Item(goal: 1, title: "Disrupting re-recruitment at known pick-up points", description: "Patrols and outreach at the pick-up points where survivors have been approached again.",
             place: (.disruption, .reexploitation), strand: .pursue, factors: ["local.trust_building", "principle.protection"],
             owner: "Westmere Constabulary", lead: "Neighbourhood inspector", starts: -60, due: 120, lived: "",
             updates: [Step(daysAgo: 30, status: .onTrack, note: "Patrols at three pick-up points."),
                       Step(daysAgo: 4, status: .atRisk, note: "A fourth pick-up point reported; patrols stretched.")]),
        Item(goal: 3, title: "Evaluate the plan with Westmere University", description: "An independent evaluation of the plan’s first year, using Cairn’s indicators and interviews.",
             place: (.partnerships, .before), strand: .prepare, factors: ["principle.evidence", "design.evaluation"],
             owner: "Westmere Modern Slavery Partnership Office", lead: "Partnership coordinator", starts: 20, due: 330,
             lived: "The survivor advisory group will co-design the interview questions.",
             updates: [Step(daysAgo: 3, status: .notStarted, note: "Evaluation brief agreed with the university.")]),
    ]

    static func load(into services: AppServices, now: Date) async throws {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let admin = try await DemoReports.identity("admin@demo.invalid", services)
        let plan = services.plan
        let today = PlanService.today(now)
        let agencies = Dictionary(try await services.accounts.agencies().compactMap { a in a.id.map { (a.name, $0) } }, uniquingKeysWith: { first, _ in first })
        var goalIDs: [UUID] = []
        for (index, goal) in goals.enumerated() {
            goalIDs.append(try await plan.createGoal(.init(title: goal.title, description: goal.description), identity: coordinator, address: "demo",
                                                     now: DemoReports.ago(now, days: Double(320 - index))).requireID())
        }
        for (index, item) in items.enumerated() {
            guard let owner = agencies[item.owner] else { throw AppError.notFound("demo agency \(item.owner)") }
            let created = DemoReports.ago(now, days: Double(max(item.updates.map(\.daysAgo).max() ?? 0, -item.starts, 0) + 5))
            let action = try await plan.createAction(
                .init(goal: goalIDs[item.goal], title: item.title, description: item.description, pathway: item.place.0, level: item.place.1,
                      strand: item.strand, factors: item.factors, owner: owner, lead: item.lead, startsOn: today.adding(days: item.starts),
                      dueOn: today.adding(days: item.due), livedExperience: item.lived),
                identity: coordinator, address: "demo", now: created)
            for (step, update) in item.updates.sorted(by: { $0.daysAgo > $1.daysAgo }).enumerated() {
                try await plan.recordUpdate(try action.requireID(), status: update.status.rawValue, note: update.note,
                                            identity: (index + step).isMultiple(of: 3) ? admin : coordinator, address: "demo",
                                            now: DemoReports.ago(now, days: Double(update.daysAgo), hours: Double(step + 2)))
            }
        }
    }
}
