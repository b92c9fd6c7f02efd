import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

/// The rows that record links, identifier values (`link_keys`) and network summaries
/// (`link_networks`), and the reads of them a linking pass makes.
extension ReportLinker {
    /// Replaces `link_keys` with the first and latest mention and the count of each group.
    static func writeKeyRows(_ groups: [String: [(MentionFacts, ReportFacts)]], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: LinkKeyRow.schema).run()
        let rows: [[SQLValue]] = groups.compactMap { key, group in
            guard let first = group.first, let last = group.last else { return nil }
            return [SQLValue(key), SQLValue(first.0.id), SQLValue(last.0.id), SQLValue(group.count)]
        }
        try await SQLRows.insert(into: LinkKeyRow.schema, columns: ["key", "first_mention_id", "last_mention_id", "reports"], rows: rows, on: sql)
    }

    /// Each network's size and sources (agency ids, or `public`) from its members: the
    /// network of each report, and each report's source.
    static func networkSummaries(_ members: [(report: UUID, network: UUID)], sources: [UUID: String]) -> [[SQLValue]] {
        var summary: [UUID: (reports: Int, sources: Set<String>)] = [:]
        for (report, network) in members {
            guard let source = sources[report] else { continue }
            summary[network, default: (0, [])].reports += 1
            summary[network, default: (0, [])].sources.insert(source)
        }
        return summary.map { [SQLValue($0.key), SQLValue($0.value.reports), SQLValue($0.value.sources.sorted().joined(separator: ","))] }
    }

    /// Recomputes `link_networks` for these networks from their members.
    static func writeNetworkRows(_ networks: [UUID], reports directory: ReportDirectory, on sql: any SQLDatabase) async throws {
        guard !networks.isEmpty else { return }
        var members: [(report: UUID, network: UUID)] = []
        for row in try await sql.select().columns("report_id", "network_id").from(ReportNetwork.schema)
            .where("network_id", .in, SQLBind.group(networks)).all() {
            members.append((try row.decode(column: "report_id", as: UUID.self), try row.decode(column: "network_id", as: UUID.self)))
        }
        let sources = try await directory.linkableReports(members.map(\.report), on: sql).mapValues { facts($0).source }
        try await sql.delete(from: LinkNetworkRow.schema).where("network_id", .in, SQLBind.group(networks)).run()
        try await SQLRows.insert(into: LinkNetworkRow.schema, columns: ["network_id", "reports", "sources"],
                                 rows: networkSummaries(members, sources: sources), on: sql)
    }

    /// A link's row, with when its two reports were received and whether they came from
    /// different sources (the dashboard counts links by these; `facts` holds both reports).
    static func linkRow(_ key: PairKey, _ reasons: [LinkReason], now: Date, facts: [UUID: ReportFacts]) -> [SQLValue] {
        let reasonsJSON = Self.json(reasons)
        let earlier = facts[key.earlier], later = facts[key.later]
        let crossAgency: SQLValue = earlier.flatMap { e in later.map { SQLValue(e.source != $0.source) } } ?? .null
        return [SQLValue(UUID.timeOrdered(at: now)), SQLValue(key.earlier), SQLValue(key.later), SQLValue(reasons.map(\.probability).max() ?? 0),
                SQLValue(summary(reasons)), SQLValue(reasonsJSON), SQLValue(now), .null,
                earlier.map { SQLValue($0.receivedAt) } ?? .null, later.map { SQLValue($0.receivedAt) } ?? .null, crossAgency]
    }

    /// The reasons as JSON. Identifier reasons (most links) are written directly: a
    /// `JSONEncoder` per link was a twentieth of the server's time under sustained intake.
    static func json(_ reasons: [LinkReason]) -> String {
        guard reasons.allSatisfy({ $0.explanation == nil }) else {
            return (try? String(decoding: JSONEncoder().encode(reasons), as: UTF8.self)) ?? "[]"
        }
        var out = "["
        for (n, reason) in reasons.enumerated() {
            out += n == 0 ? "{\"kind\":" : ",{\"kind\":"
            JSONLogHandler.appendQuoted(reason.kind, to: &out)
            out += ",\"earlierMentionID\":\"\(reason.earlierMentionID.text)\",\"laterMentionID\":\"\(reason.laterMentionID.text)\",\"earlierValue\":"
            JSONLogHandler.appendQuoted(reason.earlierValue, to: &out)
            out += ",\"laterValue\":"
            JSONLogHandler.appendQuoted(reason.laterValue, to: &out)
            out += ",\"phrase\":"
            JSONLogHandler.appendQuoted(reason.phrase, to: &out)
            out += ",\"probability\":\(reason.probability.isFinite ? reason.probability : 0)}"
        }
        return out + "]"
    }

    static let linkColumns = ["id", "earlier_report_id", "later_report_id", "probability", "summary", "reasons", "created_at", "confirmed_by_id",
                              "earlier_received_at", "later_received_at", "cross_agency"]

    static func alert(_ kind: IntelligenceAlertKind, network: UUID, report: ReportFacts, now: Date, message: String) -> IntelligenceAlert {
        let alert = IntelligenceAlert()
        alert.networkID = network
        alert.reportID = report.id
        alert.kind = kind.rawValue
        alert.message = message
        alert.createdAt = now
        return alert
    }

    struct KeyRow: Sendable {
        let firstMentionID: UUID
        let lastMentionID: UUID
        let reports: Int
    }

    static func keyRows(_ keys: [String], on sql: any SQLDatabase) async throws -> [String: KeyRow] {
        var found: [String: KeyRow] = [:]
        for chunk in SQLRows.chunks(keys) {
            let rows = try await sql.select().columns("key", "first_mention_id", "last_mention_id", "reports")
                .from(LinkKeyRow.schema).where("key", .in, SQLBind.group(chunk)).all()
            for row in rows {
                found[try row.decode(column: "key", as: String.self)] = KeyRow(
                    firstMentionID: try row.decode(column: "first_mention_id", as: UUID.self),
                    lastMentionID: try row.decode(column: "last_mention_id", as: UUID.self),
                    reports: try row.decode(column: "reports", as: Int.self))
            }
        }
        return found
    }
}
