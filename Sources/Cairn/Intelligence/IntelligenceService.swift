import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// What analysts read of the linked reports (links, explanations, networks, alerts), the
/// hotspots, and graded intelligence items with partner sharing. Every read of personal data
/// is authorised here and written to the audit log, once, whether a page or the API asked.
///
/// Reports are read through Reports' directory (`reports`), never its models or tables.
public struct IntelligenceService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    /// Reports' read interface (`ReportDirectory+Intelligence.swift`).
    let reports: ReportDirectory
    let linker: ReportLinker

    /// `reportsLinked` hears which earlier reports each new report links to (`ReportsLinked`).
    init(database: CairnDatabase, audit: AuditLog, reports: ReportDirectory, config: AppConfig, reportsLinked: @escaping ReportsLinked) {
        self.database = database
        self.audit = audit
        self.reports = reports
        self.linker = ReportLinker(database: database, directory: reports, alertSize: config.linkAlertSize, reportsLinked: reportsLinked)
    }

    var db: any Database { database.db }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// `cairn link rebuild`: re-links every report in the database. Written to the audit log.
    public func rebuild(actor: AuditActor, progress: (@Sendable (String, Double) -> Void)? = nil) async throws -> ReportLinker.RebuildSummary {
        let summary = try await linker.rebuild(progress: progress)
        try await audit.append(AuditEvent(actor: actor, action: "links.rebuilt", recordType: "report_link", recordID: "", address: "cli",
                                          detail: "\(summary.reports) reports; \(summary.links) links; \(summary.networks) networks"))
        return summary
    }
}

/// The links of a report, and one link with its explanation.
extension IntelligenceService {
    struct LinkedReport: Sendable {
        let link: ReportLink
        let other: ReportBrief
        let otherIsEarlier: Bool
    }

    /// A report's links, strongest first, and the network it is in.
    struct ReportLinks: Sendable {
        let report: ReportBrief
        let links: [LinkedReport]
        /// nil when the report is in no network.
        let networkID: UUID?
        let networkSize: Int
    }

    /// The reports linked to one report, strongest first, with the network the report is in
    /// (the report page's panel and the API). One audit entry.
    func reportLinks(of reportID: UUID, identity: Identity, address: String, via: String) async throws -> ReportLinks {
        try require(identity, .analyseIntelligence)
        guard let report = try await reports.brief(reportID) else { throw AppError.notFound("report") }
        let rows = try await ReportLink.query(on: db).group(.or) { $0.filter(\.$earlierReportID == reportID).filter(\.$laterReportID == reportID) }.all()
        let others = try await reports.briefs(rows.map { $0.other(than: reportID) })
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.links.viewed", recordType: "report", recordID: reportID.uuidString,
                                          address: address, detail: "\(via); \(rows.count) links"))
        let linked = rows.compactMap { link in
            others[link.other(than: reportID)].map { LinkedReport(link: link, other: $0, otherIsEarlier: link.laterReportID == reportID) }
        }.sorted { ($0.link.probability, $0.other.receivedAt) > ($1.link.probability, $1.other.receivedAt) }
        let network = try await ReportNetwork.find(reportID, on: db)?.networkID
        var size = 0
        if let network { size = try await ReportNetwork.query(on: db).filter(\.$networkID == network).count() }
        return ReportLinks(report: report, links: linked, networkID: network, networkSize: size)
    }

    /// The reports linked to one report, strongest first.
    func links(of reportID: UUID, identity: Identity, address: String, via: String) async throws -> [LinkedReport] {
        try await reportLinks(of: reportID, identity: identity, address: address, via: via).links
    }

    struct LinkDetail: Sendable {
        let link: ReportLink
        let earlier: ReportBrief
        let later: ReportBrief
        let networkID: UUID?
    }

    func link(_ id: UUID, identity: Identity, address: String, via: String) async throws -> LinkDetail {
        try require(identity, .analyseIntelligence)
        guard let link = try await ReportLink.find(id, on: db) else { throw AppError.notFound("link") }
        let both = try await reports.briefs([link.earlierReportID, link.laterReportID])
        guard let earlier = both[link.earlierReportID], let later = both[link.laterReportID] else { throw AppError.notFound("link") }
        let network = try await ReportNetwork.find(earlier.id, on: db)?.networkID
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "link.viewed", recordType: "report_link", recordID: id.uuidString,
                                          address: address, detail: via))
        return LinkDetail(link: link, earlier: earlier, later: later, networkID: network)
    }
}

/// Analysts' judgements on the people a link joins: confirmed, not the same, or taken out of
/// the group; the links and networks are made to agree under the linker's lock.
extension IntelligenceService {
    /// An analyst's decision on one person reason of a link: `same` confirms it; `not_same`
    /// removes it (and the link, if nothing else joins the two reports) and keeps the two
    /// people apart in every later run; `split` takes the later report's person out of the
    /// group altogether (every link through them goes) and keeps them alone until confirmed.
    func decide(linkID: UUID, reason index: Int, decision: String, note: String, identity: Identity, address: String) async throws -> ReportLink? {
        try require(identity, .analyseIntelligence)
        guard let link = try await ReportLink.find(linkID, on: db) else { throw AppError.notFound("link") }
        let reasons = link.reasons
        guard reasons.indices.contains(index) else { throw AppError.invalid([.init("reason", "Choose one of the link’s reasons.")]) }
        let reason = reasons[index]
        guard reason.kind == MentionKind.person.rawValue else {
            throw AppError.invalid([.init("reason", "Only a judgement that two people are the same can be confirmed or undone; shared identifiers are facts of the reports.")])
        }
        guard ["same", "not_same", "split"].contains(decision) else {
            throw AppError.invalid([.init("decision", "Say whether these are the same person or not.")])
        }
        let cleanNote = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard cleanNote.count <= 1000 else { throw AppError.invalid([.init("note", "Keep the note under 1,000 characters.")]) }
        let row = LinkFeedbackRow()
        row.decision = decision
        row.leftMentionID = decision == "split" ? reason.laterMentionID : reason.earlierMentionID
        row.rightMentionID = reason.laterMentionID
        row.actorID = identity.userID
        row.note = cleanNote
        row.at = Date()
        let actorID = identity.userID
        // Under the linker's lock, so no linking pass of any instance comes between the judgement
        // and the links it changes.
        let result: ReportLink? = try await linker.feedback(row) { db in
            switch decision {
            case "same":
                link.confirmedByID = actorID
                try await link.save(on: db)
                return link
            case "not_same":
                let kept = try await self.removePersonReasons(from: [link], on: db) {
                    $0.earlierMentionID == reason.earlierMentionID && $0.laterMentionID == reason.laterMentionID
                }
                return kept.first
            default:
                // Every link of the later report's reports that goes through this person.
                let mention = reason.laterMentionID
                let candidates = try await ReportLink.query(on: db).group(.or) {
                    $0.filter(\.$earlierReportID == link.laterReportID).filter(\.$laterReportID == link.laterReportID)
                }.all()
                let kept = try await self.removePersonReasons(from: candidates, on: db) { $0.earlierMentionID == mention || $0.laterMentionID == mention }
                return kept.first { $0.id == link.id }
            }
        }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: ["same": "link.confirmed", "not_same": "link.rejected"][decision] ?? "link.split",
                                          recordType: "report_link", recordID: linkID.uuidString, address: address, detail: "reason \(index)"))
        return result
    }

    /// Takes the person reasons that match out of the links; a link with no reason left goes,
    /// and the networks they were in are re-worked. Returns the links that remain.
    private func removePersonReasons(from links: [ReportLink], on db: any Database, where matches: (LinkReason) -> Bool) async throws -> [ReportLink] {
        var kept: [ReportLink] = []
        var networks = Set<UUID>()
        for link in links {
            let reasons = link.reasons
            let remaining = reasons.filter { !($0.kind == MentionKind.person.rawValue && matches($0)) }
            guard remaining.count != reasons.count else { kept.append(link); continue }
            if let network = try await ReportNetwork.find(link.earlierReportID, on: db)?.networkID { networks.insert(network) }
            if remaining.isEmpty {
                try await link.delete(on: db)
            } else {
                link.reasonsJSON = String(decoding: try JSONEncoder().encode(remaining), as: UTF8.self)
                link.summary = ReportLinker.summary(remaining)
                link.probability = remaining.map(\.probability).max() ?? 0
                try await link.save(on: db)
                kept.append(link)
            }
        }
        for network in networks { try await recomputeNetwork(network, on: db) }
        return kept
    }

    /// Re-works one network's membership from its stored links (after a link was removed).
    func recomputeNetwork(_ network: UUID, on db: any Database) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            let members = try await ReportNetwork.query(on: tx).filter(\.$networkID == network).all().compactMap(\.id)
            let reports = try await self.reports.linkableReports(members, on: sql).mapValues(ReportLinker.facts)
            let links = try await ReportLink.query(on: tx).filter(\.$earlierReportID ~~ members).all()
            var parent = Dictionary(uniqueKeysWithValues: members.map { ($0, $0) })
            func find(_ x: UUID) -> UUID {
                var x = x
                while let p = parent[x], p != x { x = p }
                return x
            }
            for l in links {
                guard parent[l.laterReportID] != nil, let ra = reports[find(l.earlierReportID)], let rb = reports[find(l.laterReportID)], ra.id != rb.id else { continue }
                if ReportLinker.ReportFacts.before(ra, rb) { parent[rb.id] = ra.id } else { parent[ra.id] = rb.id }
            }
            try await ReportNetwork.query(on: tx).filter(\.$id ~~ members).delete()
            // A report with no links left belongs to no network.
            let linked = Set(links.flatMap { [$0.earlierReportID, $0.laterReportID] })
            let rows: [[SQLValue]] = members.filter(linked.contains).map { [SQLValue($0), SQLValue(find($0))] }
            try await SQLRows.insert(into: ReportNetwork.schema, columns: ["report_id", "network_id"], rows: rows, on: sql)
            // The old network's summary goes; each part it split into gets its own.
            try await LinkNetworkRow.query(on: tx).filter(\.$id == network).delete()
            try await ReportLinker.writeNetworkRows(Array(Set(members.filter(linked.contains).map(find))), reports: self.reports, on: sql)
        }
    }
}

/// Networks of linked reports: one with its reports, links and what connects them, and the
/// largest for the dashboard.
extension IntelligenceService {
    struct Entity: Sendable {
        let kind: MentionKind
        /// The value as most often written.
        let label: String
        let reports: [UUID]
    }

    struct Network: Sendable {
        let id: UUID
        /// Earliest first.
        let reports: [ReportBrief]
        let links: [ReportLink]
        let entities: [Entity]
    }

    func network(_ id: UUID, identity: Identity, address: String, via: String) async throws -> Network {
        try require(identity, .analyseIntelligence)
        let members = try await ReportNetwork.query(on: db).filter(\.$networkID == id).all().map { try $0.requireID() }
        guard !members.isEmpty else { throw AppError.notFound("network") }
        let reports = try await self.reports.briefs(members).values
            .sorted { a, b in ReportLinker.ReportFacts.before(a.receivedAt, a.id, b.receivedAt, b.id) }
        let links = try await ReportLink.query(on: db).filter(\.$earlierReportID ~~ members).all()
        let mentions = try await self.reports.linkableMentions(.all, ofReports: members, on: database.sql).map(ReportLinker.MentionFacts.init)
        let clusters = Dictionary(uniqueKeysWithValues: try await PersonCluster.query(on: db).filter(\.$reportID ~~ members).all().map { (try $0.requireID(), $0.clusterID) })
        // What the network's reports mention, one entity per person (as the engine clusters
        // them) or identifier value; a mention with no key stands alone.
        var groups: [String: [ReportLinker.MentionFacts]] = [:]
        for m in mentions {
            let key: String
            if m.kind == .person { key = "person|\((clusters[m.id] ?? m.id).uuidString)" }
            else { key = m.key ?? "\(m.kind.rawValue)|\(m.id.uuidString)" }
            groups[key, default: []].append(m)
        }
        let order = Dictionary(uniqueKeysWithValues: reports.enumerated().map { ($1.id, $0) })
        let entities = groups.values.compactMap { group -> Entity? in
            guard let first = group.first else { return nil }
            var counts: [String: Int] = [:]
            for m in group { counts[m.value, default: 0] += 1 }
            let label = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? first.value
            let ids = Array(Set(group.map(\.reportID))).sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }
            return Entity(kind: first.kind, label: label, reports: ids)
        }.sorted { (ReportLinker.kindOrder[$0.kind.rawValue] ?? 9, -$0.reports.count, $0.label) < (ReportLinker.kindOrder[$1.kind.rawValue] ?? 9, -$1.reports.count, $1.label) }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "network.viewed", recordType: "network", recordID: id.uuidString,
                                          address: address, detail: "\(via); \(reports.count) reports"))
        return Network(id: id, reports: reports, links: links, entities: entities)
    }

    struct NetworkSummary: Sendable {
        let id: UUID
        let size: Int
        let first: ReportBrief
        let latest: Date
    }

    /// The largest networks (most reports), then the most recently active. Which reports are in
    /// which network is Intelligence's; when each was received, Reports' (two reads, joined here).
    func networks(identity: Identity, limit: Int = 50) async throws -> [NetworkSummary] {
        try require(identity, .analyseIntelligence)
        var members: [(report: UUID, network: UUID)] = []
        for row in try await database.sql.select().columns("report_id", "network_id").from(ReportNetwork.schema).all() {
            members.append((try row.decode(column: "report_id", as: UUID.self), try row.decode(column: "network_id", as: UUID.self)))
        }
        let received = try await reports.receivedTimes(of: members.map(\.report))
        var networks: [UUID: (size: Int, latest: Date)] = [:]
        for (report, network) in members {
            guard let at = received[report] else { continue }
            let current = networks[network]
            networks[network] = ((current?.size ?? 0) + 1, max(current?.latest ?? at, at))
        }
        let largest = networks.sorted { ($0.value.size, $0.value.latest) > ($1.value.size, $1.value.latest) }.prefix(max(limit, 0))
        let firsts = try await reports.briefs(largest.map(\.key))
        return largest.compactMap { network in
            firsts[network.key].map { NetworkSummary(id: network.key, size: network.value.size, first: $0, latest: network.value.latest) }
        }
    }
}

/// Analysts' alerts: a network joined by another agency's report, or grown to the set size.
/// Shared by the team: one analyst marking an alert read marks it read for all.
extension IntelligenceService {
    /// The latest alerts (unread only, unless `includeRead`), each with its report.
    func alerts(identity: Identity, includeRead: Bool = false, limit: Int = 100) async throws -> [(IntelligenceAlert, ReportBrief?)] {
        try require(identity, .analyseIntelligence)
        var query = IntelligenceAlert.query(on: db).sort(\.$createdAt, .descending).limit(limit)
        if !includeRead { query = query.filter(\.$dismissedAt == nil) }
        let alerts = try await query.all()
        let reports = try await self.reports.briefs(alerts.map(\.reportID))
        return alerts.map { ($0, reports[$0.reportID]) }
    }

    func openAlertCount(identity: Identity) async throws -> Int {
        guard identity.can(.analyseIntelligence) else { return 0 }
        return try await IntelligenceAlert.query(on: db).filter(\.$dismissedAt == nil).count()
    }

    func dismissAlert(_ id: UUID, identity: Identity, address: String) async throws {
        try require(identity, .analyseIntelligence)
        guard let alert = try await IntelligenceAlert.find(id, on: db) else { throw AppError.notFound("alert") }
        guard alert.dismissedAt == nil else { return }
        alert.dismissedAt = Date()
        alert.dismissedByID = identity.userID
        try await alert.save(on: db)
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.alert.dismissed", recordType: "intelligence_alert",
                                          recordID: id.uuidString, address: address, detail: alert.kind))
    }
}

/// Where reports come from: counts by postcode district and month, never the reports.
extension IntelligenceService {
    struct Hotspots: Sendable {
        /// `yyyy-MM`, oldest first.
        let months: [String]
        /// Districts with at least one report, busiest first: counts per month and in all.
        let rows: [(district: String, counts: [Int], total: Int)]
        let withoutDistrict: Int
        let total: Int
    }

    static func month(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.london
        let c = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year ?? 1970, c.month ?? 1)
    }

    /// Reports by postcode district and month over the last `months` months (counts only).
    func hotspots(type: ExploitationType?, months: Int, now: Date = Date(), identity: Identity, address: String, via: String) async throws -> Hotspots {
        try require(identity, .viewHotspots)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.london
        // `months` is one of 3, 6, 12 or 24 (checked by the callers); `now` is the clock.
        let months = min(max(months, 1), 120)
        let startOfMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: now)) ?? now
        let from = calendar.date(byAdding: .month, value: -(months - 1), to: startOfMonth) ?? startOfMonth
        let monthList = (0..<months).map { Self.month(calendar.date(byAdding: .month, value: $0, to: from) ?? from) }
        let position = Dictionary(uniqueKeysWithValues: monthList.enumerated().map { ($1, $0) })
        var counts: [String: [Int]] = [:]
        var without = 0, total = 0
        for r in try await reports.receivedByDistrict(since: from, type: type) {
            guard let slot = position[Self.month(r.receivedAt)] else { continue }
            total += 1
            guard let district = r.district, !district.isEmpty else { without += 1; continue }
            counts[district, default: Array(repeating: 0, count: months)][slot] += 1
        }
        let rows = counts.map { (district: $0.key, counts: $0.value, total: $0.value.reduce(0, +)) }
            .sorted { ($0.total, $1.district) > ($1.total, $0.district) }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "hotspots.viewed", recordType: "hotspots", recordID: "",
                                          address: address, detail: "\(via); \(type?.rawValue ?? "all types"); \(months) months"))
        return Hotspots(months: monthList, rows: rows, withoutDistrict: without, total: total)
    }
}

/// Graded intelligence items: recording one from an analyst's agency (3x5x2, or a legacy
/// 5x5x5 grading kept beside it).
extension IntelligenceService {
    struct ItemInput: Sendable {
        var title = ""
        var content = ""
        var sanitised = ""
        var partnerTitle = ""
        var sourceEvaluation = ""
        var assessment = ""
        var handling = ""
        var conditions = ""
        var legacyGrading = ""
        var reportReference = ""
        var approvedAgencies: [String] = []
    }

    /// Parses a legacy 5x5x5 grading such as `B24` or `B 2 4`.
    static func parseLegacy(_ text: String) -> LegacyGrading? {
        let chars = Array(text.uppercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "/" })
        guard chars.count == 3, let s = LegacySourceEvaluation(rawValue: String(chars[0])),
              let i = LegacyIntelligenceEvaluation(rawValue: String(chars[1])),
              let h = LegacyHandlingCode(rawValue: String(chars[2])) else { return nil }
        return LegacyGrading(source: s, intelligence: i, handling: h)
    }

    /// Records a graded item from the analyst's agency.
    func createItem(_ input: ItemInput, identity: Identity, address: String) async throws -> IntelligenceItem {
        try require(identity, .analyseIntelligence)
        var v = Validator()
        let title = v.text(input.title, field: "title", label: "Title", max: 200)
        let content = v.text(input.content, field: "content", label: "Intelligence", max: 10_000)
        let sanitised = v.text(input.sanitised, field: "sanitised", label: "Sanitised version", required: false, max: 10_000)
        let partnerTitle = v.text(input.partnerTitle, field: "partnerTitle", label: "Title for partners", required: false, max: 200)
        var grading: IntelligenceGrading?
        if SourceEvaluation(rawValue: input.sourceEvaluation) == nil {
            v.add("sourceEvaluation", "Choose the source evaluation: 1 reliable, 2 untested or 3 not reliable.")
        }
        if IntelligenceAssessment(rawValue: input.assessment.uppercased()) == nil {
            v.add("assessment", "Choose the intelligence assessment, A to E.")
        }
        if HandlingCode(rawValue: input.handling.uppercased()) == nil {
            v.add("handling", "Choose the handling code: P (lawful sharing permitted) or C (with conditions).")
        }
        if let s = SourceEvaluation(rawValue: input.sourceEvaluation), let a = IntelligenceAssessment(rawValue: input.assessment.uppercased()),
           let h = HandlingCode(rawValue: input.handling.uppercased()) {
            do {
                grading = try IntelligenceGrading(source: s, assessment: a, handling: h, conditions: String(input.conditions.prefix(2000)))
            } catch {
                for issue in error.issues { v.add(issue.field, issue.message) }
            }
        }
        if input.conditions.count > 2000 { v.add("conditions", "Keep the conditions under 2,000 characters.") }
        let legacyText = input.legacyGrading.trimmingCharacters(in: .whitespaces)
        if !legacyText.isEmpty, Self.parseLegacy(legacyText) == nil {
            v.add("legacyGrading", "A 5x5x5 grading is a source A–E, intelligence 1–5 and handling 1–5, for example “B24”.")
        }
        var reportID: UUID?
        let reference = input.reportReference.trimmingCharacters(in: .whitespaces).uppercased()
        if !reference.isEmpty {
            // One answer for a report that does not exist and one the analyst may not see.
            if let id = try await reports.visibleReportID(reference: reference, identity: identity) { reportID = id }
            else { v.add("reportReference", "There is no report \(reference.prefix(20)).") }
        }
        let approved = try await approvedAgencies(input.approvedAgencies, handling: grading?.handling, into: &v)
        guard v.errors.isEmpty, let grading else { throw AppError.invalid(v.errors) }
        let item = IntelligenceItem()
        item.id = UUID()
        var generator = PooledRandomNumberGenerator()
        // The same form as a report's reference (`CRN-…`), so it is as easy to read aloud.
        item.reference = "INT-" + ReportReference.generate(using: &generator).value.dropFirst(4)
        item.reportID = reportID
        item.title = title
        item.content = content
        item.sanitised = sanitised
        item.partnerTitle = partnerTitle
        item.sourceEvaluation = grading.source.rawValue
        item.assessment = grading.assessment.rawValue
        item.handling = grading.handling.rawValue
        item.conditions = grading.conditions
        item.legacyGrading = legacyText.isEmpty ? nil : Self.parseLegacy(legacyText)?.description
        item.approvedAgencies = approved.map(\.uuidString).joined(separator: ",")
        item.originatorAgencyID = identity.agencyID
        item.authorID = identity.userID
        item.createdAt = Date()
        item.updatedAt = item.createdAt
        try await db.transaction { tx in
            try await item.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.created", recordType: "intelligence_item",
                                              recordID: try item.requireID().uuidString, address: address, detail: grading.description), on: tx)
        }
        return item
    }

    /// The agencies an originator approves for handling code C, each one of the partnership's.
    /// A choice that is not, or any choice for code P, is an error in `v`.
    func approvedAgencies(_ choices: [String], handling: HandlingCode?, into v: inout Validator) async throws -> [UUID] {
        let agencies = Set(try await Agency.query(on: db).all().compactMap(\.id))
        var approved: [UUID] = []
        for text in choices {
            if let id = UUID(uuidString: text), agencies.contains(id) { approved.append(id) }
            else { v.add("approvedAgencies", "Choose agencies from the list."); break }
        }
        if handling == .p, !approved.isEmpty {
            v.add("approvedAgencies", "Agencies are approved only for handling code C; P is shared with every partner.")
        }
        return approved
    }
}

/// Who sees which intelligence items, and how much: the originator everything, a partner the
/// sanitised version as the handling code allows (`PartnerSharingRule`), anyone else nothing.
extension IntelligenceService {
    /// What one person may see of an item: everything (the originating agency), the sanitised
    /// version (a partner, as the handling code allows), or nothing.
    enum ItemView: Sendable {
        case full
        case sanitised(conditions: String?)
    }

    func decision(for item: IntelligenceItem, identity: Identity, agencies: [UUID: Agency]) -> (ItemView?, String) {
        if item.originatorAgencyID == identity.agencyID, identity.can(.analyseIntelligence) { return (.full, "Your agency recorded this item.") }
        guard identity.can(.viewSharedIntelligence), item.originatorAgencyID != identity.agencyID || !identity.can(.analyseIntelligence) else { return (nil, "") }
        let decision = PartnerSharingRule.decide(PartnerSharingRequest(
            grading: item.grading, legacyGrading: item.legacy, hasSanitisedVersion: !item.sanitised.isEmpty,
            recipientAgencyType: agencies[identity.agencyID]?.agencyType ?? .other,
            // Every member agency signs the partnership's information-sharing agreement.
            recipientHasSharingAgreement: agencies[identity.agencyID] != nil,
            originatorApprovedRecipient: item.approved.contains(identity.agencyID)))
        return (decision.allowed ? .sanitised(conditions: decision.conditions) : nil, decision.reason)
    }

    /// What the viewer may be shown of an item: the item itself for its originator; for a
    /// partner a detached copy (never saved) holding only the sanitised version, under the
    /// title written for partners (or the reference), so no page or API answer can show more.
    static func shown(_ item: IntelligenceItem, _ view: ItemView) throws -> IntelligenceItem {
        guard case .sanitised = view else { return item }
        let copy = try JSONDecoder().decode(IntelligenceItem.self, from: JSONEncoder().encode(item))
        copy.title = item.partnerTitle.isEmpty ? "Intelligence item \(item.reference)" : item.partnerTitle
        copy.partnerTitle = ""
        copy.content = ""
        copy.reportID = nil
        copy.approvedAgencies = ""
        return copy
    }

    func items(identity: Identity, address: String, via: String) async throws -> [(IntelligenceItem, ItemView)] {
        try require(identity, .viewSharedIntelligence)
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { (try $0.requireID(), $0) })
        let all = try await IntelligenceItem.query(on: db).sort(\.$createdAt, .descending).all()
        let visible = try all.compactMap { item -> (IntelligenceItem, ItemView)? in
            try decision(for: item, identity: identity, agencies: agencies).0.map { (try Self.shown(item, $0), $0) }
        }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.listed", recordType: "intelligence_item", recordID: "",
                                          address: address, detail: "\(via); \(visible.count) items"))
        return visible
    }

    struct ItemDetail: Sendable {
        let item: IntelligenceItem
        let view: ItemView
        let reason: String
        /// The report the item was recorded from, for its originator only.
        let report: ReportBrief?
        let originator: Agency?
        let approved: [Agency]
    }

    func item(_ id: UUID, identity: Identity, address: String, via: String) async throws -> ItemDetail {
        try require(identity, .viewSharedIntelligence)
        guard let item = try await IntelligenceItem.find(id, on: db) else { throw AppError.notFound("intelligence item") }
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { (try $0.requireID(), $0) })
        let (view, reason) = decision(for: item, identity: identity, agencies: agencies)
        guard let view else {
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.refused", recordType: "intelligence_item",
                                              recordID: id.uuidString, address: address, detail: via))
            throw AppError.notFound("intelligence item")
        }
        let report: ReportBrief?
        if case .full = view, let reportID = item.reportID { report = try await reports.brief(reportID) } else { report = nil }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.viewed", recordType: "intelligence_item",
                                          recordID: id.uuidString, address: address,
                                          detail: "\(via); \({ if case .full = view { return "full" } else { return "sanitised" } }())"))
        return ItemDetail(item: try Self.shown(item, view), view: view, reason: reason, report: report, originator: agencies[item.originatorAgencyID],
                          approved: item.approved.compactMap { agencies[$0] }.sorted { $0.name < $1.name })
    }

    /// The originating agency writes or changes the sanitised version and, for code C, which
    /// partners it has confirmed meet the conditions.
    func updateSharing(_ id: UUID, sanitised: String?, partnerTitle: String? = nil, approvedAgencies: [String], identity: Identity,
                       address: String) async throws -> IntelligenceItem {
        try require(identity, .analyseIntelligence)
        guard let item = try await IntelligenceItem.find(id, on: db), item.originatorAgencyID == identity.agencyID else {
            throw AppError.notFound("intelligence item")
        }
        var v = Validator()
        // Left out: unchanged.
        let text = sanitised.map { v.text($0, field: "sanitised", label: "Sanitised version", required: false, max: 10_000) } ?? item.sanitised
        let title = partnerTitle.map { v.text($0, field: "partnerTitle", label: "Title for partners", required: false, max: 200) } ?? item.partnerTitle
        let approved = try await self.approvedAgencies(approvedAgencies, handling: item.handling.flatMap(HandlingCode.init(rawValue:)), into: &v)
        guard v.errors.isEmpty else { throw AppError.invalid(v.errors) }
        item.sanitised = text
        item.partnerTitle = title
        item.approvedAgencies = approved.map(\.uuidString).joined(separator: ",")
        item.updatedAt = Date()
        let count = approved.count
        try await db.transaction { tx in
            try await item.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.sharing.updated", recordType: "intelligence_item",
                                              recordID: id.uuidString, address: address, detail: "\(count) approved agencies"), on: tx)
        }
        return item
    }
}
