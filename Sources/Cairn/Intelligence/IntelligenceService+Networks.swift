import CairnCore
import FluentKit
import Foundation
import SQLKit

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
    /// which network is Intelligence's; when each was received, Reports' (read for the largest
    /// networks only: those `limit` would take by size, and any tied with the last of them).
    func networks(identity: Identity, limit: Int = 50) async throws -> [NetworkSummary] {
        try require(identity, .analyseIntelligence)
        guard limit > 0 else { return [] }
        var sizes: [(network: UUID, size: Int)] = []
        for row in try await database.sql.select().column("network_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "size")
            .from(ReportNetwork.schema).groupBy("network_id").orderBy("size", .descending).all() {
            sizes.append((try row.decode(column: "network_id", as: UUID.self), try row.decode(column: "size", as: Int.self)))
        }
        guard sizes.count > 0 else { return [] }
        let smallest = sizes[min(limit, sizes.count) - 1].size
        let candidates = sizes.filter { $0.size >= smallest }
        var members: [(report: UUID, network: UUID)] = []
        for chunk in SQLRows.chunks(candidates.map(\.network)) {
            for row in try await database.sql.select().columns("report_id", "network_id").from(ReportNetwork.schema)
                .where(SQLColumn("network_id"), .in, SQLBind.group(chunk)).all() {
                members.append((try row.decode(column: "report_id", as: UUID.self), try row.decode(column: "network_id", as: UUID.self)))
            }
        }
        let received = try await reports.receivedTimes(of: members.map(\.report))
        var networks: [UUID: (size: Int, latest: Date)] = [:]
        for (report, network) in members {
            guard let at = received[report] else { continue }
            let current = networks[network]
            networks[network] = ((current?.size ?? 0) + 1, max(current?.latest ?? at, at))
        }
        let largest = networks.sorted { ($0.value.size, $0.value.latest) > ($1.value.size, $1.value.latest) }.prefix(limit)
        let firsts = try await reports.briefs(largest.map(\.key))
        return largest.compactMap { network in
            firsts[network.key].map { NetworkSummary(id: network.key, size: network.value.size, first: $0, latest: network.value.latest) }
        }
    }
}
