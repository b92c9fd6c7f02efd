import CairnCore
import FluentKit
import Foundation
import SQLKit

/// The stored rows linking derived from reports being erased (`ReportLinker+Retention.swift`),
/// removed or worked out again without them, inside the erasing transaction.
extension ReportLinker {
    static func eraseStored(_ reports: [UUID], mentions: [MentionFacts], directory: ReportDirectory, on sql: any SQLDatabase) async throws {
        let gone = Set(reports)
        // The networks they were in, before their rows go.
        var networks = Set<UUID>()
        for chunk in SQLRows.chunks(reports) {
            for row in try await sql.select().column("network_id").from(ReportNetwork.schema).where("report_id", .in, SQLBind.group(chunk)).all() {
                networks.insert(try row.decode(column: "network_id", as: UUID.self))
            }
        }
        let mentionIDs = mentions.map(\.id)
        for chunk in SQLRows.chunks(reports) {
            let group = SQLBind.group(chunk)
            try await sql.delete(from: ReportLink.schema).where("earlier_report_id", .in, group).run()
            try await sql.delete(from: ReportLink.schema).where("later_report_id", .in, group).run()
            try await sql.delete(from: LinkPendingRow.schema).where("report_id", .in, group).run()
            try await sql.delete(from: IntelligenceAlert.schema).where("report_id", .in, group).run()
        }
        // Their people's clusters (by key: the mentions going took them already where the
        // database enforces its foreign keys), and an analyst's judgement on one of them, with
        // its note.
        for chunk in SQLRows.chunks(mentionIDs) {
            let group = SQLBind.group(chunk)
            try await sql.delete(from: PersonCluster.schema).where("mention_id", .in, group).run()
            try await sql.delete(from: LinkFeedbackRow.schema).where("left_mention_id", .in, group).run()
            try await sql.delete(from: LinkFeedbackRow.schema).where("right_mention_id", .in, group).run()
        }
        try await recountKeys(Set(mentions.compactMap(\.key)), without: gone, directory: directory, on: sql)
        try await regroupNetworks(Array(networks), without: gone, directory: directory, on: sql)
    }

    /// Recounts each identifier value from the mentions that remain (the first, the latest and
    /// how many reports), dropping values no report mentions any more.
    static func recountKeys(_ keys: Set<String>, without gone: Set<UUID>, directory: ReportDirectory, on sql: any SQLDatabase) async throws {
        guard !keys.isEmpty else { return }
        var kinds = Set<String>(), values = Set<String>()
        for key in keys {
            // `kind|normalised` or `address|postcode|normalised` (`MentionFacts.key`); the
            // normalised value is the rest, whatever it holds.
            guard let bar = key.firstIndex(of: "|") else { continue }
            let kind = key[..<bar]
            var value = key[key.index(after: bar)...]
            if kind == Substring(MentionKind.address.rawValue), let next = value.firstIndex(of: "|") { value = value[value.index(after: next)...] }
            kinds.insert(String(kind))
            values.insert(String(value))
        }
        let remaining = try await directory.linkableMentions(kinds: Array(kinds), normalised: Array(values), on: sql).map(MentionFacts.init)
            .filter { !gone.contains($0.reportID) && $0.key.map(keys.contains) == true }
        let facts = try await directory.linkableReports(Array(Set(remaining.map(\.reportID))), on: sql).mapValues(Self.facts)
        let groups = keyGroups(remaining, reports: facts)
        let rows: [[SQLValue]] = groups.compactMap { key, group in
            guard let first = group.first, let last = group.last else { return nil }
            return [SQLValue(key), SQLValue(first.0.id), SQLValue(last.0.id), SQLValue(group.count)]
        }
        for chunk in SQLRows.chunks(Array(keys)) {
            try await sql.delete(from: LinkKeyRow.schema).where("key", .in, SQLBind.group(chunk)).run()
        }
        try await SQLRows.insert(into: LinkKeyRow.schema, columns: ["key", "first_mention_id", "last_mention_id", "reports"], rows: rows, on: sql)
    }

    /// Works out these networks again from the links left between their other reports: a
    /// report linked to none leaves its network, a network the erased reports held together
    /// splits, and each part is named by its earliest report. Alerts of reports that stay in
    /// a network follow it to its new name.
    static func regroupNetworks(_ networks: [UUID], without gone: Set<UUID>, directory: ReportDirectory, on sql: any SQLDatabase) async throws {
        guard !networks.isEmpty else { return }
        var members = Set<UUID>()
        for chunk in SQLRows.chunks(networks) {
            for row in try await sql.select().column("report_id").from(ReportNetwork.schema).where("network_id", .in, SQLBind.group(chunk)).all() {
                let id = try row.decode(column: "report_id", as: UUID.self)
                if !gone.contains(id) { members.insert(id) }
            }
        }
        // A network is a connected set of reports, so every link of a member is to a member.
        var pairs: [(UUID, UUID)] = []
        for chunk in SQLRows.chunks(Array(members)) {
            for row in try await sql.select().columns("earlier_report_id", "later_report_id").from(ReportLink.schema)
                .where("earlier_report_id", .in, SQLBind.group(chunk)).all() {
                pairs.append((try row.decode(column: "earlier_report_id", as: UUID.self), try row.decode(column: "later_report_id", as: UUID.self)))
            }
        }
        let facts = try await directory.linkableReports(Array(members), on: sql).mapValues(Self.facts)
        var parent: [UUID: UUID] = [:]
        func find(_ x: UUID) -> UUID {
            var x = x
            while let p = parent[x], p != x { parent[x] = parent[p] ?? p; x = p }
            return x
        }
        for (a, b) in pairs where members.contains(a) && members.contains(b) {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            guard ra != rb else { continue }
            // The root is the earliest report, so it names the network.
            if let fa = facts[ra], let fb = facts[rb], ReportFacts.before(fb, fa) { parent[ra] = rb } else { parent[rb] = ra }
        }
        let placed = parent.keys.map { (report: $0, network: find($0)) }
        for chunk in SQLRows.chunks(networks) {
            let group = SQLBind.group(chunk)
            try await sql.delete(from: ReportNetwork.schema).where("network_id", .in, group).run()
            try await sql.delete(from: LinkNetworkRow.schema).where("network_id", .in, group).run()
        }
        try await SQLRows.insert(into: ReportNetwork.schema, columns: ["report_id", "network_id"],
                                 rows: placed.map { [SQLValue($0.report), SQLValue($0.network)] }, on: sql)
        try await SQLRows.insert(into: LinkNetworkRow.schema, columns: ["network_id", "reports", "sources"],
                                 rows: networkSummaries(placed, sources: facts.mapValues(\.source)), on: sql)
        var steps = SQLWriteSteps()
        for (network, reports) in Dictionary(grouping: placed, by: \.network) {
            steps.update(IntelligenceAlert.schema, set: [("network_id", SQLValue(network))], where: "report_id", in: reports.map { SQLValue($0.report) })
        }
        try await steps.run(in: sql)
    }
}
