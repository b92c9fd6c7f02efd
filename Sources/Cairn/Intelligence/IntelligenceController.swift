import CairnCore
import Foundation
import Hummingbird
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

/// The analysts' dashboard (`/intelligence`): alerts, and the largest networks.
extension IntelligenceController {
    struct AlertRow: Sendable {
        let id: String
        let kind: String
        let message: String
        let at: String
        let reportID: String
        let reference: String
        let network: String
    }

    struct NetworkRow: Sendable {
        let id: String
        let size: Int
        let first: String
        let firstID: String
        let latest: String
    }

    struct Dashboard: Sendable {
        let alerts: [AlertRow]
        let noAlerts: Bool
        let networks: [NetworkRow]
        let noNetworks: Bool
        let showRead: Bool
    }

    static func dashboard(alerts: [(IntelligenceAlert, ReportBrief?)], networks: [IntelligenceService.NetworkSummary], showRead: Bool) throws -> Dashboard {
        Dashboard(
            alerts: try alerts.map { a, r in
                AlertRow(id: try a.requireID().uuidString, kind: IntelligenceAlertKind(rawValue: a.kind)?.label ?? a.kind, message: a.message,
                         at: when(a.createdAt), reportID: a.reportID.uuidString, reference: r?.reference ?? "", network: a.networkID.uuidString)
            },
            noAlerts: alerts.isEmpty,
            networks: networks.map { n in
                NetworkRow(id: n.id.uuidString, size: n.size, first: n.first.reference, firstID: n.first.id.uuidString, latest: when(n.latest))
            },
            noNetworks: networks.isEmpty, showRead: showRead)
    }
}

/// A network's page: a picture of its reports and what connects them, and the tables behind it.
extension IntelligenceController {
    struct Node: Sendable {
        let x: Int
        let y: Int
        let label: String
        let title: String
        let cls: String
        let labelX: Int
        let anchor: String
    }

    struct Edge: Sendable {
        let x1: Int, y1: Int, x2: Int, y2: Int
    }

    struct NetworkReportRow: Sendable {
        let id: String
        let reference: String
        let received: String
        let types: String
        let district: String
        let status: String
    }

    struct EntityRow: Sendable {
        let kind: String
        let label: String
        let reports: String
        let count: Int
    }

    struct NetworkPage: Sendable {
        let id: String
        let size: Int
        let linkCount: Int
        let width: Int
        let height: Int
        let nodes: [Node]
        let edges: [Edge]
        let pictureNote: String
        let reports: [NetworkReportRow]
        let entities: [EntityRow]
        let links: [LinkRow]
    }

    static func networkPage(_ n: IntelligenceService.Network) throws -> NetworkPage {
        let reference = Dictionary(uniqueKeysWithValues: n.reports.map { ($0.id, $0.reference) })
        // The picture: reports on the left, what connects them (shared by two or more) on the right.
        let connectors = n.entities.filter { $0.reports.count > 1 }
        let shownReports = Array(n.reports.prefix(40))
        let shownEntities = Array(connectors.prefix(40))
        let rowHeight = 30
        let height = max(shownReports.count, shownEntities.count) * rowHeight + 40
        let width = 720
        func y(_ i: Int, of count: Int) -> Int {
            let total = max(shownReports.count, shownEntities.count)
            let offset = (total - count) * rowHeight / 2
            return 30 + offset + i * rowHeight
        }
        var position: [UUID: (Int, Int)] = [:]
        var nodes: [Node] = []
        for (i, r) in shownReports.enumerated() {
            let p = (200, y(i, of: shownReports.count))
            position[r.id] = p
            nodes.append(Node(x: p.0, y: p.1, label: r.reference, title: "Report \(r.reference), received \(when(r.receivedAt))", cls: "node-report",
                              labelX: p.0 - 12, anchor: "end"))
        }
        var edges: [Edge] = []
        for (i, e) in shownEntities.enumerated() {
            let p = (500, y(i, of: shownEntities.count))
            let label = e.label.count > 28 ? String(e.label.prefix(27)) + "…" : e.label
            nodes.append(Node(x: p.0, y: p.1, label: "\(e.kind.label): \(label)", title: "\(e.kind.label) \(e.label) in \(e.reports.count) reports",
                              cls: "node-\(e.kind.rawValue)", labelX: p.0 + 12, anchor: "start"))
            for r in e.reports { if let from = position[r] { edges.append(Edge(x1: from.0, y1: from.1, x2: p.0, y2: p.1)) } }
        }
        var note = "Reports on the left; on the right, the people, places, phones, vehicles and businesses that two or more of them share."
        if n.reports.count > shownReports.count || connectors.count > shownEntities.count {
            note += " The picture shows the first 40 of each; the tables list everything."
        }
        return NetworkPage(
            id: n.id.uuidString, size: n.reports.count, linkCount: n.links.count, width: width, height: height, nodes: nodes, edges: edges,
            pictureNote: note,
            reports: n.reports.map { r in
                NetworkReportRow(id: r.id.uuidString, reference: r.reference, received: when(r.receivedAt), types: r.typesText,
                                 district: r.postcodeDistrict ?? "", status: r.reportStatus.label)
            },
            entities: n.entities.map { e in
                EntityRow(kind: e.kind.label, label: e.label, reports: e.reports.compactMap { reference[$0] }.joined(separator: ", "), count: e.reports.count)
            },
            links: try n.links.sorted { $0.probability > $1.probability }.map { l in
                LinkRow(linkID: try l.requireID().uuidString, id: l.laterReportID.uuidString,
                        reference: "\(reference[l.earlierReportID] ?? "?") and \(reference[l.laterReportID] ?? "?")", received: "",
                        direction: "", summary: l.summary, strength: percent(l.probability))
            })
    }
}

/// The hotspots page: reports by postcode district and month, as a table and a bar chart.
extension IntelligenceController {
    struct Cell: Sendable {
        let count: Int
        let level: Int
    }

    struct HotspotRow: Sendable {
        let district: String
        let cells: [Cell]
        let total: Int
    }

    struct Bar: Sendable {
        let y: Int
        let width: Int
        let district: String
        let total: Int
        let labelX: Int
    }

    struct HotspotPage: Sendable {
        let months: [String]
        let rows: [HotspotRow]
        let empty: Bool
        let bars: [Bar]
        let chartHeight: Int
        let total: Int
        /// nil when every report gave a postcode.
        let withoutDistrict: Int?
        let types: [Choice]
        let periods: [Choice]
        let filterText: String
    }

    static func hotspotPage(_ h: IntelligenceService.Hotspots, type: ExploitationType?, months: Int) -> HotspotPage {
        let peak = max(1, h.rows.flatMap(\.counts).max() ?? 1)
        let top = Array(h.rows.prefix(15))
        let maxTotal = max(1, top.first?.total ?? 1)
        return HotspotPage(
            months: h.months.map { m in
                let parts = m.split(separator: "-")
                let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                let index = parts.count == 2 ? (Int(parts[1]) ?? 1) - 1 : 0
                return "\(names.indices.contains(index) ? names[index] : m) \(parts[0].suffix(2))"
            },
            rows: h.rows.map { r in
                HotspotRow(district: r.district, cells: r.counts.map { Cell(count: $0, level: $0 == 0 ? 0 : min(4, 1 + ($0 * 4 - 1) / peak)) }, total: r.total)
            },
            empty: h.rows.isEmpty, bars: top.enumerated().map { i, r in
                let w = Int((Double(r.total) / Double(maxTotal) * 480).rounded())
                return Bar(y: 10 + i * 26, width: max(2, w), district: r.district, total: r.total, labelX: 80 + max(2, w) + 6)
            },
            chartHeight: 20 + top.count * 26, total: h.total, withoutDistrict: h.withoutDistrict == 0 ? nil : h.withoutDistrict,
            types: [Choice(value: "", label: "All types", selected: type == nil)]
                + ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == type) },
            periods: [3, 6, 12, 24].map { Choice(value: "\($0)", label: "Last \($0) months", selected: $0 == months) },
            filterText: "\(type?.label ?? "All types of exploitation"), last \(months) months")
    }
}

/// Intelligence items' pages: the list, the form to record one, and one item as its reader
/// may see it (with the sharing form for its originator).
extension IntelligenceController {
    struct ItemRow: Sendable {
        let id: String
        let reference: String
        let title: String
        let grading: String
        let created: String
        let full: Bool
    }

    struct ItemsPage: Sendable {
        let rows: [ItemRow]
        let empty: Bool
        let canCreate: Bool
    }

    struct ItemForm: Sendable {
        let title: String
        let content: String
        let sanitised: String
        let partnerTitle: String
        let conditions: String
        let legacyGrading: String
        let reportReference: String
        let sources: [Choice]
        let assessments: [Choice]
        let handlings: [Choice]
        let agencies: [Choice]
    }

    struct ItemPage: Sendable {
        let id: String
        let reference: String
        let title: String
        let full: Bool
        let content: String
        let sanitised: String
        /// Originator's view: the title partners see.
        let partnerTitle: String
        let partnerTitleShown: String
        let noSanitised: Bool
        let grading: String
        // nil (not "") hides their sections: Mustache renders a section for any non-nil value.
        let gradingMeaning: String?
        let conditions: String?
        let legacy: String?
        let legacyMeaning: String
        let reason: String
        let originator: String
        let created: String
        let reportID: String
        let reportReference: String?
        let approved: String?
        let agencies: [Choice]
        let isC: Bool
    }

    func itemForm(_ input: IntelligenceService.ItemInput) async throws -> ItemForm {
        let agencies = try await services.accounts.agencies()
        return ItemForm(
            title: input.title, content: input.content, sanitised: input.sanitised, partnerTitle: input.partnerTitle,
            conditions: input.conditions, legacyGrading: input.legacyGrading,
            reportReference: input.reportReference,
            sources: SourceEvaluation.allCases.map { Choice(value: $0.rawValue, label: "\($0.rawValue) — \($0.meaning)", selected: $0.rawValue == input.sourceEvaluation) },
            assessments: IntelligenceAssessment.allCases.map { Choice(value: $0.rawValue, label: "\($0.rawValue) — \($0.meaning)", selected: $0.rawValue == input.assessment.uppercased()) },
            handlings: HandlingCode.allCases.map { Choice(value: $0.rawValue, label: "\($0.rawValue) — \($0.meaning)", selected: $0.rawValue == input.handling.uppercased()) },
            agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: input.approvedAgencies.contains(try $0.requireID().uuidString)) })
    }

    func itemPage(_ d: IntelligenceService.ItemDetail, identity: Identity) async throws -> ItemPage {
        let item = d.item
        let full: Bool
        var conditions = item.conditions
        switch d.view {
        case .full: full = true
        case .sanitised(let c): full = false; conditions = c ?? conditions
        }
        let agencies = full ? try await services.accounts.agencies().filter { $0.id != identity.agencyID } : []
        return ItemPage(
            id: try item.requireID().uuidString, reference: item.reference, title: item.title, full: full, content: full ? item.content : "",
            sanitised: item.sanitised, partnerTitle: full ? item.partnerTitle : "",
            partnerTitleShown: item.partnerTitle.isEmpty ? "Intelligence item \(item.reference)" : item.partnerTitle, noSanitised: item.sanitised.isEmpty, grading: item.grading?.description ?? "Not graded 3x5x2",
            gradingMeaning: item.grading?.meaning, conditions: conditions.flatMap { $0.isEmpty ? nil : $0 }, legacy: item.legacy?.description,
            legacyMeaning: item.legacy.map { "\($0.source.meaning); \($0.intelligence.meaning.lowercased()); \($0.handling.meaning.lowercased())." } ?? "",
            reason: d.reason, originator: d.originator?.name ?? "", created: Self.when(item.createdAt),
            reportID: d.report?.id.uuidString ?? "", reportReference: d.report?.reference,
            approved: d.approved.isEmpty ? nil : d.approved.map(\.name).joined(separator: ", "),
            agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: item.approved.contains(try $0.requireID())) },
            isC: item.handling == HandlingCode.c.rawValue)
    }

    static func itemInput(_ data: FormData) -> IntelligenceService.ItemInput {
        IntelligenceService.ItemInput(
            title: data["title"] ?? "", content: data["content"] ?? "", sanitised: data["sanitised"] ?? "", partnerTitle: data["partnerTitle"] ?? "",
            sourceEvaluation: data["sourceEvaluation"] ?? "", assessment: data["assessment"] ?? "", handling: data["handling"] ?? "",
            conditions: data["conditions"] ?? "", legacyGrading: data["legacyGrading"] ?? "", reportReference: data["reportReference"] ?? "",
            approvedAgencies: data.all("approvedAgencies"))
    }

    static func itemsPage(_ items: [(IntelligenceItem, IntelligenceService.ItemView)], canCreate: Bool) throws -> ItemsPage {
        ItemsPage(
            rows: try items.map { item, view in
                var full = false
                if case .full = view { full = true }
                return ItemRow(id: try item.requireID().uuidString, reference: item.reference, title: item.title,
                               grading: item.grading?.description ?? item.legacy.map { "5x5x5 \($0.description)" } ?? "", created: when(item.createdAt), full: full)
            },
            empty: items.isEmpty, canCreate: canCreate)
    }
}

/// Analysts' pages: alerts and networks (`/intelligence`), a link's explanation with
/// feedback, a network as a picture and tables, hotspots, and intelligence items. Everything read
/// comes from `IntelligenceService`.
struct IntelligenceController {
    let services: AppServices
    let views: Views
    var intelligence: IntelligenceService { services.intelligence }

    static func uuid(_ context: CairnRequestContext, _ name: String, _ what: String) throws -> UUID {
        guard let id = context.parameters.get(name).flatMap(UUID.init(uuidString:)) else { throw AppError.notFound(what) }
        return id
    }

    static func percent(_ p: Double) -> String {
        if p >= 0.9995 { return "certain" }
        return String(format: "%.1f%%", p * 100)
    }

    static func bits(_ w: Double) -> String { String(format: "%+.2f", w) }

    static func when(_ date: Date) -> String { Format.dateTime(date) }

    // MARK: Routes

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/intelligence", .analyseIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.analyseIntelligence)
            let showRead = request.uri.queryParameters.get("alerts") == "all"
            let alerts = try await intelligence.alerts(identity: identity, includeRead: showRead)
            let networks = try await intelligence.networks(identity: identity)
            return try views.render("intelligence/index", Self.dashboard(alerts: alerts, networks: networks, showRead: showRead), title: "Intelligence",
                                    request: request, context: context)
        }
        router.add(.post, "/intelligence/alerts/:alert/dismiss", .analyseIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.analyseIntelligence)
            try await intelligence.dismissAlert(try Self.uuid(context, "alert", "alert"), identity: identity, address: context.clientAddress)
            return .seeOther("/intelligence", flash: "Alert marked as read for the team.")
        }
        router.add(.get, "/intelligence/links/:link", .analyseIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.analyseIntelligence)
            let detail = try await intelligence.link(try Self.uuid(context, "link", "link"), identity: identity, address: context.clientAddress, via: "web")
            return try views.render("intelligence/link", Self.linkPage(detail), title: "Link \(detail.earlier.reference) – \(detail.later.reference)",
                                    request: request, context: context)
        }
        router.add(.post, "/intelligence/links/:link/decision", .analyseIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.analyseIntelligence)
            let id = try Self.uuid(context, "link", "link")
            let data = try await FormData.read(request)
            do {
                let kept = try await intelligence.decide(linkID: id, reason: Int(data["reason"] ?? "") ?? -1, decision: data["decision"] ?? "",
                                                         note: data["note"] ?? "", identity: identity, address: context.clientAddress)
                if let kept {
                    return .seeOther("/intelligence/links/\(try kept.requireID().uuidString)",
                                     flash: ["same": "Confirmed: the same person. Later runs keep them together.",
                                             "split": "Taken out of the group. Later runs keep them alone until someone confirms a match."][data["decision"] ?? ""]
                                         ?? "Recorded: not the same person. Later runs keep them apart.")
                }
                return .seeOther("/intelligence", flash: "Recorded. Nothing else joined the two reports, so the link is gone.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await intelligence.link(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("intelligence/link", Self.linkPage(detail), title: "Link", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(.get, "/intelligence/networks/:network", .analyseIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.analyseIntelligence)
            let network = try await intelligence.network(try Self.uuid(context, "network", "network"), identity: identity,
                                                         address: context.clientAddress, via: "web")
            return try views.render("intelligence/network", Self.networkPage(network), title: "Network of \(network.reports.count) reports",
                                    request: request, context: context)
        }
        router.add(.get, "/hotspots", .viewHotspots, table: table) { request, context in
            let identity = try context.requireIdentity(.viewHotspots)
            let query = request.uri.queryParameters
            let typeText = query.get("type") ?? ""
            var errors: [AppError.FieldError] = []
            var type: ExploitationType?
            if !typeText.isEmpty {
                type = ExploitationType(rawValue: typeText)
                if type == nil { errors.append(.init("type", "Choose a type of exploitation from the list.")) }
            }
            let monthsText = query.get("months") ?? "12"
            var months = 12
            if let m = Int(monthsText), [3, 6, 12, 24].contains(m) { months = m } else { errors.append(.init("months", "Choose a period from the list.")) }
            let hotspots = try await intelligence.hotspots(type: type, months: months, identity: identity, address: context.clientAddress, via: "web")
            return try views.render("intelligence/hotspots", Self.hotspotPage(hotspots, type: type, months: months), title: "Hotspots",
                                    request: request, context: context, errors: errors, status: errors.isEmpty ? .ok : .badRequest)
        }
        router.add(.get, "/intelligence-items", .viewSharedIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.viewSharedIntelligence)
            let items = try await intelligence.items(identity: identity, address: context.clientAddress, via: "web")
            return try views.render("intelligence/items", Self.itemsPage(items, canCreate: identity.can(.analyseIntelligence)), title: "Intelligence items",
                                    request: request, context: context)
        }
        router.add(.get, "/intelligence-items/new", .analyseIntelligence, table: table) { request, context in
            _ = try context.requireIdentity(.analyseIntelligence)
            var input = IntelligenceService.ItemInput()
            input.reportReference = request.uri.queryParameters.get("report").map { String($0.prefix(20)) } ?? ""
            return try views.render("intelligence/item-form", try await itemForm(input), title: "Record intelligence", request: request, context: context)
        }
        router.add(.post, "/intelligence-items", .analyseIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.analyseIntelligence)
            let data = try await FormData.read(request)
            let input = Self.itemInput(data)
            do {
                let item = try await intelligence.createItem(input, identity: identity, address: context.clientAddress)
                return .seeOther("/intelligence-items/\(try item.requireID().uuidString)", flash: "Intelligence \(item.reference) recorded, graded \(item.grading?.description ?? "").")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("intelligence/item-form", try await itemForm(input), title: "Record intelligence", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(.get, "/intelligence-items/:item", .viewSharedIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.viewSharedIntelligence)
            let detail = try await intelligence.item(try Self.uuid(context, "item", "intelligence item"), identity: identity,
                                                     address: context.clientAddress, via: "web")
            return try views.render("intelligence/item", try await itemPage(detail, identity: identity), title: detail.item.title,
                                    request: request, context: context)
        }
        router.add(.post, "/intelligence-items/:item/sharing", .analyseIntelligence, table: table) { request, context in
            let identity = try context.requireIdentity(.analyseIntelligence)
            let id = try Self.uuid(context, "item", "intelligence item")
            let data = try await FormData.read(request)
            do {
                _ = try await intelligence.updateSharing(id, sanitised: data["sanitised"], partnerTitle: data["partnerTitle"], approvedAgencies: data.all("approvedAgencies"),
                                                         identity: identity, address: context.clientAddress)
                return .seeOther("/intelligence-items/\(id.uuidString)", flash: "Sharing updated.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await intelligence.item(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("intelligence/item", try await itemPage(detail, identity: identity), title: detail.item.title,
                                        request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
    }
}
