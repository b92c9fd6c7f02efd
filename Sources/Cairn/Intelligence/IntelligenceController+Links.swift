import CairnCore
import Foundation
import Linkage

/// What analysts read of links: the panel on the report page, and one link's page with the
/// engine's explanation, term by term.
extension IntelligenceController {
    struct LinkRow: Sendable {
        let linkID: String
        let id: String
        let reference: String
        let received: String
        let direction: String
        let summary: String
        let strength: String
    }

    struct LinkPanel: Sendable {
        let none: Bool
        let headline: String
        let rows: [LinkRow]
        /// nil when the report is in no network.
        let network: String?
        let networkSize: Int
    }

    /// What the report page shows analysts about the report's links.
    static func panel(for reportID: UUID, services: AppServices, identity: Identity, address: String) async throws -> LinkPanel? {
        guard identity.can(.analyseIntelligence) else { return nil }
        let found = try await services.intelligence.reportLinks(of: reportID, identity: identity, address: address, via: "web")
        let linked = found.links
        let earlier = linked.filter(\.otherIsEarlier).count
        let phrases = ReportLinker.summary(linked.flatMap { $0.link.reasons })
        let count = linked.count
        var headline = "Linked to \(count) \(count == 1 ? "report" : "reports")"
        if earlier == count { headline = "Linked to \(count) earlier \(count == 1 ? "report" : "reports")" }
        else if earlier == 0 { headline = "Linked to \(count) later \(count == 1 ? "report" : "reports")" }
        headline += ": \(phrases)."
        return LinkPanel(
            none: linked.isEmpty, headline: headline,
            rows: try linked.map { l in
                LinkRow(linkID: try l.link.requireID().uuidString, id: l.other.id.uuidString, reference: l.other.reference, received: when(l.other.receivedAt),
                        direction: l.otherIsEarlier ? "Earlier" : "Later", summary: l.link.summary, strength: percent(l.link.probability))
            },
            network: found.networkID?.uuidString, networkSize: found.networkSize)
    }

    struct TermRow: Sendable {
        let comparison: String
        let level: String
        let weight: String
        let frequency: String?
    }

    struct ReasonRow: Sendable {
        let index: Int
        let kind: String
        let phrase: String
        let earlierValue: String
        let laterValue: String
        let probability: String
        let person: Bool
        let terms: [TermRow]
        let prior: String
        let total: String
        let swapped: Bool
    }

    struct LinkPage: Sendable {
        let id: String
        let earlierID: String
        let earlierReference: String
        let earlierReceived: String
        let laterID: String
        let laterReference: String
        let laterReceived: String
        let summary: String
        let probability: String
        let confirmed: Bool
        let reasons: [ReasonRow]
        let network: String?
    }

    static func comparisonLabel(_ raw: String) -> String {
        switch raw {
        case ComparisonKind.givenName.rawValue: "Given name"
        case ComparisonKind.familyName.rawValue: "Family name"
        case ComparisonKind.dateOfBirth.rawValue: "Date of birth"
        case ComparisonKind.contact.rawValue: "Home and phone (one piece of evidence)"
        case ComparisonKind.email.rawValue: "Email"
        case ComparisonKind.vehicle.rawValue: "Vehicle"
        case ComparisonKind.business.rawValue: "Business"
        case ComparisonKind.username.rawValue: "Username"
        case "full_name_frequency": "How common the full name is"
        default: raw
        }
    }

    /// "1 in N" for a probability, whatever the stored number (a zero or NaN reads as "more
    /// than a trillion").
    static func oneIn(_ probability: Double) -> String {
        guard probability.isFinite, probability >= 1e-12 else { return "more than 1000000000000" }
        return String(Int((1 / min(probability, 1)).rounded()))
    }

    static func linkPage(_ d: IntelligenceService.LinkDetail) throws -> LinkPage {
        LinkPage(
            id: try d.link.requireID().uuidString, earlierID: d.earlier.id.uuidString, earlierReference: d.earlier.reference, earlierReceived: when(d.earlier.receivedAt),
            laterID: d.later.id.uuidString, laterReference: d.later.reference, laterReceived: when(d.later.receivedAt),
            summary: d.link.summary, probability: percent(d.link.probability), confirmed: d.link.confirmedByID != nil,
            reasons: d.link.reasons.enumerated().map { i, r in
                let e = r.explanation
                return ReasonRow(index: i, kind: MentionKind(rawValue: r.kind)?.label ?? r.kind, phrase: r.phrase, earlierValue: r.earlierValue,
                                 laterValue: r.laterValue, probability: percent(r.probability), person: e != nil,
                                 terms: (e?.terms ?? []).map { t in
                                     TermRow(comparison: comparisonLabel(t.comparison), level: t.level, weight: bits(t.weight),
                                             frequency: t.termFrequencyAdjustment == 0 ? nil : "includes \(bits(t.termFrequencyAdjustment)) for how common the value is")
                                 },
                                 prior: e.map { "\(bits($0.priorWeight)) (1 in \(Self.oneIn($0.priorProbability)) pairs are the same person)" } ?? "",
                                 total: e.map { "\(bits($0.totalWeight)) bits, match probability \(percent($0.matchProbability))" } ?? "",
                                 swapped: e?.namesSwapped ?? false)
            },
            network: d.networkID?.uuidString)
    }
}
