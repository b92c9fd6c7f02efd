import CairnAPI
import CairnCore
import Foundation
import Linkage
import OpenAPIRuntime

/// Links, networks, alerts, hotspots and intelligence items: the same rules and audit as the
/// analysts' pages.
extension APIHandler {
    static func explanation(_ e: MatchExplanation) -> Components.Schemas.Explanation {
        .init(priorProbability: e.priorProbability, priorWeight: e.priorWeight,
              terms: e.terms.map { .init(comparison: $0.comparison, level: $0.level, levelWeight: $0.levelWeight,
                                         termFrequencyAdjustment: $0.termFrequencyAdjustment, weight: $0.weight) },
              namesSwapped: e.namesSwapped, totalWeight: e.totalWeight, matchProbability: e.matchProbability)
    }

    static func link(_ l: ReportLink, earlier: String, later: String, network: UUID?) throws -> Components.Schemas.ReportLink {
        .init(id: try l.requireID().uuidString, earlierReportId: l.earlierReportID.uuidString, earlierReference: earlier,
              laterReportId: l.laterReportID.uuidString, laterReference: later, summary: l.summary, matchProbability: l.probability,
              confirmed: l.confirmedByID != nil, networkId: network?.uuidString,
              reasons: try l.reasons.map { r in
                  .init(kind: try APIEnum.map(r.kind), phrase: r.phrase, earlierValue: r.earlierValue, laterValue: r.laterValue,
                        matchProbability: r.probability, explanation: r.explanation.map(explanation))
              })
    }

    func listReportLinks(_ input: Operations.ListReportLinks.Input) async throws -> Operations.ListReportLinks.Output {
        let (identity, context) = try APIRequest.authorize(.listReportLinks)
        let id = try Self.uuid(input.path.reportId, "report")
        let found = try await services.intelligence.reportLinks(of: id, identity: identity, address: context.clientAddress, via: "api")
        let me = found.report
        return .ok(.init(body: .json(.init(networkId: found.networkID?.uuidString, items: try found.links.map { l in
            try Self.link(l.link, earlier: l.otherIsEarlier ? l.other.reference : me.reference, later: l.otherIsEarlier ? me.reference : l.other.reference,
                      network: found.networkID)
        }))))
    }

    func getLink(_ input: Operations.GetLink.Input) async throws -> Operations.GetLink.Output {
        let (identity, context) = try APIRequest.authorize(.getLink)
        let d = try await services.intelligence.link(try Self.uuid(input.path.linkId, "link"), identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(try Self.link(d.link, earlier: d.earlier.reference, later: d.later.reference, network: d.networkID))))
    }

    func decideLink(_ input: Operations.DecideLink.Input) async throws -> Operations.DecideLink.Output {
        let (identity, context) = try APIRequest.authorize(.decideLink)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the decision as JSON.") }
        let id = try Self.uuid(input.path.linkId, "link")
        guard let kept = try await services.intelligence.decide(linkID: id, reason: body.reason, decision: body.decision.rawValue, note: body.note ?? "",
                                                                identity: identity, address: context.clientAddress) else {
            return .noContent(.init())
        }
        let d = try await services.intelligence.link(try kept.requireID(), identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(try Self.link(d.link, earlier: d.earlier.reference, later: d.later.reference, network: d.networkID))))
    }

    func getNetwork(_ input: Operations.GetNetwork.Input) async throws -> Operations.GetNetwork.Output {
        let (identity, context) = try APIRequest.authorize(.getNetwork)
        let n = try await services.intelligence.network(try Self.uuid(input.path.networkId, "network"), identity: identity,
                                                        address: context.clientAddress, via: "api")
        let reference = Dictionary(n.reports.map { ($0.id, $0.reference) }) { first, _ in first }
        return .ok(.init(body: .json(.init(
            id: n.id.uuidString,
            reports: n.reports.map { .init(id: $0.id.uuidString, reference: $0.reference, receivedAt: $0.receivedAt, status: $0.status,
                                           postcodeDistrict: $0.postcodeDistrict) },
            entities: try n.entities.map { .init(kind: try APIEnum.map($0.kind.rawValue), label: $0.label, reportIds: $0.reports.map(\.uuidString)) },
            links: try n.links.map { try Self.link($0, earlier: reference[$0.earlierReportID] ?? "", later: reference[$0.laterReportID] ?? "", network: n.id) }))))
    }

    func listIntelligenceAlerts(_ input: Operations.ListIntelligenceAlerts.Input) async throws -> Operations.ListIntelligenceAlerts.Output {
        let (identity, _) = try APIRequest.authorize(.listIntelligenceAlerts)
        let alerts = try await services.intelligence.alerts(identity: identity, includeRead: input.query.includeRead ?? false)
        return .ok(.init(body: .json(.init(items: try alerts.map { a, r in
            .init(id: try a.requireID().uuidString, kind: try APIEnum.map(a.kind), message: a.message, networkId: a.networkID.uuidString,
                  reportId: a.reportID.uuidString, reference: r?.reference, createdAt: a.createdAt, read: a.dismissedAt != nil)
        }))))
    }

    func getHotspots(_ input: Operations.GetHotspots.Input) async throws -> Operations.GetHotspots.Output {
        let (identity, context) = try APIRequest.authorize(.getHotspots)
        let type = try APIEnum.map(optional: input.query._type?.rawValue, to: ExploitationType.self)
        let months = input.query.months ?? 12
        guard [3, 6, 12, 24].contains(months) else { throw AppError.badRequest("months must be 3, 6, 12 or 24.") }
        let h = try await services.intelligence.hotspots(type: type, months: months, identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(.init(months: h.months, rows: h.rows.map { .init(district: $0.district, counts: $0.counts, total: $0.total) },
                                           total: h.total, withoutDistrict: h.withoutDistrict))))
    }

    static func item(_ item: IntelligenceItem, view: IntelligenceService.ItemView) throws -> Components.Schemas.IntelligenceItem {
        let id = try item.requireID().uuidString
        switch view {
        case .full:
            return .init(id: id, reference: item.reference, title: item.title, partnerTitle: item.partnerTitle, view: .full, content: item.content,
                         sanitised: item.sanitised, grading: item.grading?.description, conditions: item.conditions, legacyGrading: item.legacyGrading,
                         reportId: item.reportID?.uuidString, approvedAgencyIds: item.approved.map(\.uuidString).sorted(),
                         originatorAgencyId: item.originatorAgencyID.uuidString, createdAt: item.createdAt)
        case .sanitised(let conditions):
            return .init(id: id, reference: item.reference, title: item.title, view: .sanitised, sanitised: item.sanitised,
                         grading: item.grading?.description, conditions: conditions, legacyGrading: item.legacyGrading,
                         originatorAgencyId: item.originatorAgencyID.uuidString, createdAt: item.createdAt)
        }
    }

    func listIntelligenceItems(_ input: Operations.ListIntelligenceItems.Input) async throws -> Operations.ListIntelligenceItems.Output {
        let (identity, context) = try APIRequest.authorize(.listIntelligenceItems)
        let items = try await services.intelligence.items(identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(.init(items: try items.map { try Self.item($0.0, view: $0.1) }))))
    }

    func createIntelligenceItem(_ input: Operations.CreateIntelligenceItem.Input) async throws -> Operations.CreateIntelligenceItem.Output {
        let (identity, context) = try APIRequest.authorize(.createIntelligenceItem)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the item as JSON.") }
        let item = try await services.intelligence.createItem(
            .init(title: body.title, content: body.content, sanitised: body.sanitised ?? "", partnerTitle: body.partnerTitle ?? "", sourceEvaluation: body.sourceEvaluation.rawValue,
                  assessment: body.assessment.rawValue, handling: body.handling.rawValue, conditions: body.conditions ?? "",
                  legacyGrading: body.legacyGrading ?? "", reportReference: body.reportReference ?? "", approvedAgencies: body.approvedAgencyIds ?? []),
            identity: identity, address: context.clientAddress)
        return .created(.init(body: .json(try Self.item(item, view: .full))))
    }

    func getIntelligenceItem(_ input: Operations.GetIntelligenceItem.Input) async throws -> Operations.GetIntelligenceItem.Output {
        let (identity, context) = try APIRequest.authorize(.getIntelligenceItem)
        let d = try await services.intelligence.item(try Self.uuid(input.path.itemId, "intelligence item"), identity: identity,
                                                     address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(try Self.item(d.item, view: d.view))))
    }
}
