import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

/// Identifier links: which reports share a value, and the rows that record links, keys and
/// network summaries.
extension ReportLinker {
    struct PairKey: Hashable {
        let earlier: UUID
        let later: UUID
    }

    /// Pairs of reports that share an identifier, with the reason, for one group of mentions
    /// holding the same key (reports in time order). With `involving`, only pairs with one of
    /// those reports (a linking pass needs only the new reports' pairs: making every pair of a
    /// group of thirty and dropping most was most of its identifier work).
    static func keyPairs(_ group: [(MentionFacts, ReportFacts)], involving: Set<UUID>? = nil, into pairs: inout [PairKey: [LinkReason]]) {
        // One mention per report: the first.
        var seen = Set<UUID>()
        let byReport = group.sorted { ReportFacts.before($0.1, $1.1) }.filter { seen.insert($0.1.id).inserted }
        guard byReport.count > 1 else { return }
        func add(_ a: (MentionFacts, ReportFacts), _ b: (MentionFacts, ReportFacts)) {
            if let involving, !involving.contains(a.1.id), !involving.contains(b.1.id) { return }
            pairs[PairKey(earlier: a.1.id, later: b.1.id), default: []].append(
                LinkReason(kind: a.0.kind.rawValue, earlierMentionID: a.0.id, laterMentionID: b.0.id, earlierValue: a.0.value, laterValue: b.0.value,
                           phrase: phrase(for: a.0.kind), probability: 1, explanation: nil))
        }
        if byReport.count <= fullPairLimit {
            for i in 0..<byReport.count { for j in (i + 1)..<byReport.count { add(byReport[i], byReport[j]) } }
        } else {
            for j in 1..<byReport.count {
                add(byReport[0], byReport[j])
                if j > 1 { add(byReport[j - 1], byReport[j]) }
            }
        }
    }

    /// Mentions grouped by identifier value, each group in report time order with one mention
    /// per report.
    static func keyGroups(_ mentions: [MentionFacts], reports: [UUID: ReportFacts]) -> [String: [(MentionFacts, ReportFacts)]] {
        var groups: [String: [(MentionFacts, ReportFacts)]] = [:]
        for m in mentions { if let key = m.key, let r = reports[m.reportID] { groups[key, default: []].append((m, r)) } }
        return groups.mapValues { group in
            var seen = Set<UUID>()
            return group.sorted { ReportFacts.before($0.1, $1.1) }.filter { seen.insert($0.1.id).inserted }
        }
    }

    /// Replaces `link_keys` with the first and latest mention and the count of each group.
    static func writeKeyRows(_ groups: [String: [(MentionFacts, ReportFacts)]], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: LinkKeyRow.schema).run()
        let rows: [[SQLValue]] = groups.compactMap { key, group in
            guard let first = group.first, let last = group.last else { return nil }
            return [SQLValue(key), SQLValue(first.0.id), SQLValue(last.0.id), SQLValue(group.count)]
        }
        try await SQLRows.insert(into: LinkKeyRow.schema, columns: ["key", "first_mention_id", "last_mention_id", "reports"], rows: rows, on: sql)
    }

    /// Recomputes `link_networks` for these networks (all when nil) from their members.
    static func writeNetworkRows(_ networks: [UUID]?, on sql: any SQLDatabase) async throws {
        var query = sql.select()
            .column(SQLColumn("network_id", table: ReportNetwork.schema), as: "network_id")
            .column(SQLColumn("reporting_agency_id", table: Report.schema), as: "agency")
            .from(ReportNetwork.schema)
            .join(Report.schema, on: SQLColumn("id", table: Report.schema), .equal, SQLColumn("report_id", table: ReportNetwork.schema))
        if let networks {
            guard !networks.isEmpty else { return }
            query = query.where(SQLColumn("network_id", table: ReportNetwork.schema), .in, SQLBind.group(networks))
            try await sql.delete(from: LinkNetworkRow.schema).where("network_id", .in, SQLBind.group(networks)).run()
        } else {
            try await sql.delete(from: LinkNetworkRow.schema).run()
        }
        var summary: [UUID: (reports: Int, sources: Set<String>)] = [:]
        for row in try await query.all() {
            let network = try row.decode(column: "network_id", as: UUID.self)
            let agency = try row.decode(column: "agency", as: UUID?.self)
            summary[network, default: (0, [])].reports += 1
            summary[network, default: (0, [])].sources.insert(agency?.uuidString ?? "public")
        }
        try await SQLRows.insert(into: LinkNetworkRow.schema, columns: ["network_id", "reports", "sources"],
                                 rows: summary.map { [SQLValue($0.key), SQLValue($0.value.reports), SQLValue($0.value.sources.sorted().joined(separator: ","))] },
                                 on: sql)
    }

    static func linkRow(_ key: PairKey, _ reasons: [LinkReason], now: Date) -> [SQLValue] {
        let reasonsJSON = Self.json(reasons)
        return [SQLValue(UUID.timeOrdered(at: now)), SQLValue(key.earlier), SQLValue(key.later), SQLValue(reasons.map(\.probability).max() ?? 0),
                SQLValue(summary(reasons)), SQLValue(reasonsJSON), SQLValue(now), .null]
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

    static let linkColumns = ["id", "earlier_report_id", "later_report_id", "probability", "summary", "reasons", "created_at", "confirmed_by_id"]

    static func alert(_ kind: IntelligenceAlertKind, network: UUID, report: ReportFacts, now: Date, message: String) -> IntelligenceAlert {
        let alert = IntelligenceAlert()
        alert.networkID = network
        alert.reportID = report.id
        alert.kind = kind.rawValue
        alert.message = message
        alert.createdAt = now
        return alert
    }
}
