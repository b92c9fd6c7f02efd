import CairnCore
import Foundation

/// Two self-assessment rounds of the fictional Westmere partnership, a year apart and both
/// closed: five agencies rated every principle and factor last year; this year six took part
/// (one only rated the principles), practice improved where the plan acted (data and evidence,
/// reporting, training) and slipped in survivor care, and several factors are still gaps.
/// Written through `AssessmentService`, as the coordinator and each agency's demo account.
enum DemoAssessment {
    /// Each assessed factor's typical level last year, in `Framework.assessed` order.
    static let lastYear: [String: Int] = [
        "principle.population": 2, "principle.system": 2, "principle.evidence": 1, "principle.prevention": 2,
        "principle.protection": 3, "principle.partnership": 3, "principle.equity": 2,
        "local.partnerships": 3, "local.public_awareness": 2, "local.community_resilience": 1, "local.strategies": 2,
        "local.survivor_support": 2, "local.leadership": 2, "local.trust_building": 2,
        "design.responsiveness": 3, "design.reporting": 2, "design.mainstreaming": 2, "design.planning": 2, "design.care": 3,
        "design.specialist_services": 2, "design.evaluation": 1, "design.diversity": 2, "design.training": 2,
        "delivery.empowerment": 2, "delivery.trauma_informed": 2, "delivery.peer_led": 1, "delivery.person_centred": 3,
        "delivery.culturally_competent": 2,
    ]

    /// How each factor's typical level moved this year.
    static let movement: [String: Int] = [
        "principle.population": 1, "principle.evidence": 2, "principle.prevention": 1, "principle.partnership": 1,
        "local.public_awareness": 1, "local.strategies": 1, "local.leadership": 1, "local.trust_building": 1,
        "design.reporting": 2, "design.planning": 1, "design.training": 1, "design.mainstreaming": 1, "design.care": -1,
        "delivery.empowerment": 1, "delivery.trauma_informed": 1, "delivery.culturally_competent": 1,
    ]

    /// Agencies differ from the typical level by these, in turn, so the median is the typical level.
    static let spread = [0, 1, -1, 0, 1]

    static let evidence: [MaturityLevel: String] = [
        .basic: "Not in place yet; named as a priority in the partnership plan.",
        .early: "Started in some teams, not yet consistent across the agency.",
        .substantial: "In place across most teams, with examples in the quarterly returns to the partnership.",
        .mature: "Embedded and reviewed each year; shared with partners as good practice.",
    ]

    static func load(into services: AppServices, now: Date) async throws {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let raters = ["coordinator@demo.invalid", "analyst@demo.invalid", "caseworker@demo.invalid", "caseworker2@demo.invalid",
                      "practitioner@demo.invalid"]
        var identities: [Identity] = []
        for email in raters { identities.append(try await DemoReports.identity(email, services)) }

        let lastOpened = DemoReports.ago(now, days: 455)
        try await round(services, coordinator: coordinator, raters: identities, opened: lastOpened, levels: lastYear, only: nil)

        var thisYear = lastYear
        for (key, change) in movement { thisYear[key, default: 2] += change }
        let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
        try await round(services, coordinator: coordinator, raters: identities + [trainer], opened: DemoReports.ago(now, days: 85),
                        levels: thisYear, only: (trainer.agencyID, .principle))
        try await answerGap("design.care", services, coordinator: coordinator, now: now)
    }

    /// The coordinator turns this year's gap in survivor care into an action on the plan, as the
    /// heat map's "Plan an action" does, so the round shows a gap answered and others not yet.
    static func answerGap(_ key: String, _ services: AppServices, coordinator: Identity, now: Date) async throws {
        guard let round = try await services.assessments.rounds(identity: coordinator).first?.round, let roundID = round.id,
              let goal = try await services.plan.goals(identity: coordinator).first(where: { $0.title == DemoPlan.goals[1].title })?.id,
              let owner = try await services.accounts.agencies().first(where: { $0.name == "Safe Harbour Survivor Support" })?.id,
              let factor = Framework.factor(key) else { return }
        let today = CalendarDate(now, in: .london)
        try await services.plan.createAction(
            .init(goal: goal, title: "Care standards review with every support provider",
                  description: "Each provider checks its care against the partnership’s survivor care standards and agrees what it will change.",
                  pathway: .partnerships, level: .treat, strand: .protect, factors: [factor.key], owner: owner,
                  lead: "Safe Harbour service manager", startsOn: today.adding(days: -14), dueOn: today.adding(days: 120), status: .onTrack,
                  livedExperience: "The survivor advisory group wrote the questions providers answer.", assessmentRound: roundID),
            identity: coordinator, address: "demo", now: now.addingTimeInterval(-14 * 86_400))
    }

    /// Opens a round on `opened`, has each rater's agency rate over the next weeks, and closes
    /// it seven weeks after it opened. `only` limits one agency to one group of the framework.
    static func round(_ services: AppServices, coordinator: Identity, raters: [Identity], opened: Date, levels: [String: Int],
                      only: (agency: UUID, group: FrameworkGroup)?) async throws {
        let service = services.assessments
        let opensOn = CalendarDate(opened, in: .london)
        let round = try await service.openRound(
            .init(name: String(opensOn.year), opensOn: opensOn.description, closesBy: opensOn.adding(days: 42).description),
            identity: coordinator, address: "demo", now: opened)
        let id = try round.requireID()
        for (index, rater) in raters.enumerated() {
            let inputs = Framework.assessed.enumerated().compactMap { position, factor -> AssessmentService.RatingInput? in
                if let only, only.agency == rater.agencyID, factor.group != only.group { return nil }
                let typical = levels[factor.key] ?? 2
                let level = MaturityLevel(rawValue: max(1, min(4, typical + spread[(position + index) % spread.count]))) ?? .early
                let link = level >= .substantial ? "https://westmere.example/partnership/evidence/\(AssessmentService.field(factor.key))" : ""
                let comment = level == .basic ? "We would welcome joint work with partners on this." : ""
                return .init(factor: factor.key, level: level.rawValue, evidence: "\(factor.name): \(evidence[level] ?? "")",
                             evidenceLink: link, comment: comment)
            }
            _ = try await service.saveRatings(id, agencyID: rater.agencyID, inputs, identity: rater, address: "demo",
                                              now: opened.addingTimeInterval(Double(index + 1) * 4 * 86_400))
        }
        _ = try await service.closeRound(id, identity: coordinator, address: "demo", now: opened.addingTimeInterval(49 * 86_400))
    }
}
