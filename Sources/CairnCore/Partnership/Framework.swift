/// The public-health framework for modern slavery (the IASC / University of Sheffield framework,
/// seed 001) as data: its seven principles and the factors that counter slavery and promote
/// wellbeing nationally, regionally and locally, in how services are designed, and in how they
/// are delivered. Plan actions name the factors they address; self-assessment rounds rate them.
public enum FrameworkGroup: String, CaseIterable, Codable, Sendable {
    case principle
    case national
    case local
    case serviceDesign = "service_design"
    case serviceDelivery = "service_delivery"

    public var label: String {
        switch self {
        case .principle: "Principles"
        case .national: "National factors"
        case .local: "Regional and local factors"
        case .serviceDesign: "Service design factors"
        case .serviceDelivery: "Service delivery factors"
        }
    }

    /// Whether member agencies rate this group in a self-assessment round: the principles and
    /// the factors a partnership can act on (not the national ones).
    public var isAssessed: Bool { self != .national }
}

/// One principle or factor, with a stable key (stored in records) and the framework's wording.
public struct FrameworkFactor: Sendable, Hashable, Identifiable {
    public let key: String
    public let group: FrameworkGroup
    /// A short name for tables and filters.
    public let name: String
    /// The framework's own wording.
    public let wording: String
    public var id: String { key }

    init(_ key: String, _ group: FrameworkGroup, _ name: String, _ wording: String) {
        self.key = key
        self.group = group
        self.name = name
        self.wording = wording
    }
}

public enum Framework {
    /// Every principle and factor, in the framework's order.
    public static let all: [FrameworkFactor] = principles + national + local + serviceDesign + serviceDelivery

    /// The factor with this key, if there is one.
    public static func factor(_ key: String) -> FrameworkFactor? { byKey[key] }

    /// Keys of the principles and factors member agencies rate.
    public static var assessed: [FrameworkFactor] { all.filter(\.group.isAssessed) }

    private static let byKey: [String: FrameworkFactor] = Dictionary(all.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })

    static let principles: [FrameworkFactor] = [
        .init("principle.population", .principle, "Understanding the problem", "Understanding the problem at a population level"),
        .init("principle.system", .principle, "What is driving it", "What is driving it? Framing the problem as part of a complex, interdependent system"),
        .init("principle.evidence", .principle, "Data and evidence", "Collating data and evidence of what works/what happens"),
        .init("principle.prevention", .principle, "Prevention", "Prevention (better than cure)"),
        .init("principle.protection", .principle, "Health and wellbeing protection", "Health and wellbeing protection"),
        .init("principle.partnership", .principle, "Partnership working", "Multi-agency/partnership working"),
        .init("principle.equity", .principle, "Equity and human rights", "Equity, social justice, advocacy and human rights"),
    ]

    static let national: [FrameworkFactor] = [
        .init("national.legislative_protection", .national, "Legislative protection", "Legislative protection e.g. victim immunity from prosecution (consistent application of Section 45) & protection for survivors outside of referral systems"),
        .init("national.duty_of_care", .national, "Duty of care", "Clear legislative duty of care"),
        .init("national.whole_systems", .national, "Whole systems engagement", "Whole systems engagement & response; private, public, third sector & civil society"),
        .init("national.survivor_centred_policy", .national, "Survivor-centred policy", "Survivor-centred, rights-based policy & criminal justice system"),
        .init("national.policy_coherence", .national, "Policy coherence", "Coherence, coordination & consistency across policy (e.g. foreign, migration, anti-trafficking, welfare, health)"),
        .init("national.data_sharing", .national, "Data and intelligence", "Adequate and accurate data & intelligence gathering and sharing"),
        .init("national.evidence_at_scale", .national, "Evidence-led interventions", "Use of evidence-led interventions at scale"),
        .init("national.public_awareness", .national, "Public awareness", "Public awareness/education promotion"),
        .init("national.infrastructure", .national, "National infrastructure", "National infrastructure for effective referral, assessment and support"),
        .init("national.political_commitment", .national, "Political commitment", "Political commitment; non-partisan"),
        .init("national.long_term_plan", .national, "Long-term plan", "Fully resourced, long-term strategic and operational plan e.g. sustainable prevention coordination through Anti-Slavery Partnership Networks"),
        .init("national.regulation", .national, "Regulatory compliance", "Strong regulatory compliance standards & mechanisms e.g. inspection of care standards, labour regulations"),
        .init("national.implementation_guidance", .national, "Implementation guidance", "Policy implementation guidance that can be applied in the local context"),
    ]

    static let local: [FrameworkFactor] = [
        .init("local.partnerships", .local, "Multi-agency partnerships", "Multi-agency partnerships: At the core of effective counter-slavery local action"),
        .init("local.public_awareness", .local, "Public awareness and readiness", "Public awareness/ education/ readiness"),
        .init("local.community_resilience", .local, "Community resilience", "Community resilience building"),
        .init("local.strategies", .local, "Bespoke local strategies", "Bespoke local strategies - context driven, fully resourced"),
        .init("local.survivor_support", .local, "Integrated survivor support", "Well resourced & integrated infrastructure for survivor support"),
        .init("local.leadership", .local, "Systems leadership", "Political and senior leadership in the local system ('systems leadership')"),
        .init("local.trust_building", .local, "Trust-building", "Trust-building interventions with at-risk populations and local organisations and practitioners e.g. social work, health, police, community organisations"),
    ]

    static let serviceDesign: [FrameworkFactor] = [
        .init("design.responsiveness", .serviceDesign, "Responsiveness", "Rapid, early stage response services focusing on i) safety, ii) meeting survivors' immediate needs, iii) dignity and autonomy"),
        .init("design.reporting", .serviceDesign, "Reporting", "Clear reporting mechanisms with actionable outcomes"),
        .init("design.mainstreaming", .serviceDesign, "Mainstreaming", "Ensuring services are 'modern slavery aware' e.g. 'Making Every Contact Count' approach"),
        .init("design.planning", .serviceDesign, "Planning", "Transparent, clear responsibilities, operational procedures and allocation of personnel across services"),
        .init("design.care", .serviceDesign, "Care", "Coordinated between multi-disciplinary professionals, wrap-around, holistic, personalised/tailored, long-term survivor care that meets specified standards"),
        .init("design.specialist_services", .serviceDesign, "Specialist services", "Development and adequate resourcing of services designed to meet specific needs, bearing in mind intersecting vulnerabilities and ability to access services e.g. outreach services, free legal advice"),
        .init("design.evaluation", .serviceDesign, "Evaluation and research", "In-built, robust development and testing of tools and interventions"),
        .init("design.diversity", .serviceDesign, "Diversity", "A diverse workforce of service delivery practitioners"),
        .init("design.training", .serviceDesign, "Training", "Adequately trained practitioners"),
    ]

    static let serviceDelivery: [FrameworkFactor] = [
        .init("delivery.empowerment", .serviceDelivery, "Empowerment", "Enabled decision-making, communication support for speakers of languages other than English, focus on the dignity and autonomy of the individual and their families"),
        .init("delivery.trauma_informed", .serviceDelivery, "Trauma-informed practice", "Across all interventions designed to support victims and survivors"),
        .init("delivery.peer_led", .serviceDelivery, "Peer-led support", "Opportunities for peer connection and support among survivors"),
        .init("delivery.person_centred", .serviceDelivery, "Tailored and person-centred", "Services tailored along the trajectory of individual and family recovery"),
        .init("delivery.culturally_competent", .serviceDelivery, "Culturally competent", "Flexible to the needs of diverse communities"),
    ]
}
