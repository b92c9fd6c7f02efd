import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

extension ReportLinker {
    /// Stores what linking found. Everything it needs is read first; then the new reports join
    /// their networks in memory, one at a time in time order (so alerts say what each joined);
    /// then one short transaction writes it all, so intake (which shares SQLite's single
    /// connection) is held up as little as possible. Only one linking pass runs at a time on the
    /// database (`LinkSession.exclusive`), so nothing read here changes before the write.
    func store(_ pairs: [PairKey: [LinkReason]], newReports: [ReportFacts], known: [UUID: ReportFacts],
               touchedMentions: Set<String>, index: LinkageIndex, keys: [String: [(MentionFacts, ReportFacts)]],
               keyRows: [String: KeyRow], session: LinkSession) async throws -> [CaseLink] {
        let now = Date()
        let sql = session.read
        // Person clusters of every mention whose cluster may have changed.
        var clusterRows: [UUID: (report: UUID, cluster: UUID)] = [:]
        for id in touchedMentions {
            for member in index.clusterMembers(of: id) {
                guard let mention = UUID(uuidString: member), let report = reportOfMention[member],
                      let cluster = index.clusterID(of: member).flatMap(UUID.init(uuidString:)) else { continue }
                clusterRows[mention] = (report, cluster)
            }
        }
        // The first and latest mention of each value, and how many reports have it.
        let keyList = Array(keys.keys)
        let keyRowValues: [[SQLValue]] = keyList.compactMap { key in
            guard let group = keys[key], let first = group.first, let last = group.last else { return nil }
            let before = keyRows[key]
            return [SQLValue(key), SQLValue(before?.firstMentionID ?? first.0.id), SQLValue(last.0.id), SQLValue((before?.reports ?? 0) + group.count)]
        }

        // Links not stored yet.
        var existingKeys = Set<PairKey>()
        for chunk in SQLRows.chunks(Array(Set(pairs.keys.map(\.later)))) {
            let rows = try await sql.select().columns("earlier_report_id", "later_report_id").from(ReportLink.schema)
                .where("later_report_id", .in, SQLBind.group(chunk)).all()
            for row in rows {
                existingKeys.insert(PairKey(earlier: try row.decode(column: "earlier_report_id", as: UUID.self),
                                            later: try row.decode(column: "later_report_id", as: UUID.self)))
            }
        }
        let fresh = pairs.filter { !existingKeys.contains($0.key) }

        // Networks as they stand: of each report involved, and the size and sources of each
        // (from `link_networks`: a network can hold thousands of reports).
        var linkedTo: [UUID: [UUID]] = [:]
        for key in fresh.keys {
            linkedTo[key.earlier, default: []].append(key.later)
            linkedTo[key.later, default: []].append(key.earlier)
        }
        let involved = Array(linkedTo.keys)
        var startNetwork: [UUID: UUID] = [:]
        for chunk in SQLRows.chunks(involved) {
            for row in try await sql.select().columns("report_id", "network_id").from(ReportNetwork.schema)
                .where("report_id", .in, SQLBind.group(chunk)).all() {
                startNetwork[try row.decode(column: "report_id", as: UUID.self)] = try row.decode(column: "network_id", as: UUID.self)
            }
        }
        let startNetworks = Array(Set(startNetwork.values))
        var summaries: [UUID: (reports: Int, sources: Set<String>)] = [:]
        for chunk in SQLRows.chunks(startNetworks) {
            for row in try await sql.select().columns("network_id", "reports", "sources").from(LinkNetworkRow.schema)
                .where("network_id", .in, SQLBind.group(chunk)).all() {
                summaries[try row.decode(column: "network_id", as: UUID.self)] =
                    (try row.decode(column: "reports", as: Int.self),
                     Set(try row.decode(column: "sources", as: String.self).split(separator: ",").map(String.init)))
            }
        }
        var facts = known
        facts.merge(try await reportFacts(Array(Set(involved + startNetworks).filter { facts[$0] == nil }), on: sql),
                    uniquingKeysWith: { a, _ in a })

        // The new reports join, in time order.
        var mergedInto: [UUID: UUID] = [:]
        func current(_ network: UUID) -> UUID {
            var network = network
            while let next = mergedInto[network] { network = next }
            return network
        }
        var joinedNetwork: [UUID: UUID] = [:]
        func network(of report: UUID) -> UUID? { (startNetwork[report] ?? joinedNetwork[report]).map(current) }
        var alerts: [IntelligenceAlert] = []
        var caseLinks: [CaseLink] = []
        // A new report joins with what came before it, exactly as if each had its own pass: a
        // link to a later report of this pass is taken when that report joins.
        let passIDs = Set(newReports.map(\.id))
        var joined = Set<UUID>()
        for report in newReports {
            joined.insert(report.id)
            guard let linked = linkedTo[report.id]?.filter({ !passIDs.contains($0) || joined.contains($0) }), !linked.isEmpty else { continue }
            let members = Set(linked + [report.id])
            let networks = Set(members.compactMap(network(of:)))
            // Reports in no network yet (the new one, usually, and any linked one that was alone).
            let singles = members.filter { network(of: $0) == nil }
            let singleOthers = singles.subtracting([report.id])
            // The network is named by its earliest report.
            let named = networks.union(singles).compactMap { facts[$0] }.min(by: ReportFacts.before)?.id ?? report.id
            let reportsBefore = networks.map { summaries[$0]?.reports ?? 0 }.reduce(0, +)
            let sizeBefore = reportsBefore + singleOthers.count - (network(of: report.id) == nil ? 0 : 1)
            var sources = networks.reduce(into: Set<String>()) { $0.formUnion(summaries[$1]?.sources ?? []) }
            sources.formUnion(singleOthers.compactMap { facts[$0]?.source })
            let otherSource = !sources.subtracting([report.source]).isEmpty
            for merged in networks where merged != named {
                mergedInto[merged] = named
                summaries[merged] = nil
            }
            for single in singles { joinedNetwork[single] = named }
            summaries[named] = (reportsBefore + singles.count, sources.union([report.source]))
            let sizeAfter = sizeBefore + 1

            // Alerts: another agency's reports, or the network reaching the set size.
            if otherSource {
                alerts.append(Self.alert(.crossAgency, network: named, report: report, now: now,
                                         message: "\(report.reference) joins a network of \(sizeBefore) report\(sizeBefore == 1 ? "" : "s") with reports from another agency or the public."))
            }
            if sizeBefore < alertSize && sizeAfter >= alertSize {
                alerts.append(Self.alert(.size, network: named, report: report, now: now,
                                         message: "\(report.reference) brings its network to \(sizeAfter) reports."))
            }
            caseLinks.append((report.reference, Dictionary(linked.map { other in
                let reportFirst = ReportFacts.before(report, facts[other] ?? report)
                let key = PairKey(earlier: reportFirst ? report.id : other, later: reportFirst ? other : report.id)
                let reasons = fresh[key] ?? []
                return (other, LinkedReportReason(summary: Self.summary(reasons), kinds: Set(reasons.map(\.kind))))
            }, uniquingKeysWith: { a, _ in a })))
        }
        // Members of merged networks move to the surviving name, grouped by it.
        let moves = Dictionary(grouping: startNetworks.filter { current($0) != $0 }, by: current)
        let joinedRows: [[SQLValue]] = joinedNetwork.map { [SQLValue($0.key), SQLValue(current($0.value))] }
        let summaryRows: [[SQLValue]] = summaries.map {
            [SQLValue($0.key), SQLValue($0.value.reports), SQLValue($0.value.sources.sorted().joined(separator: ","))]
        }
        let rewrittenNetworks = Array(Set(startNetworks + summaries.keys))
        let linkRows = fresh.map { Self.linkRow($0.key, $0.value, now: now, facts: facts) }

        // One transaction, in one trip on SQLite (see `SQLWriteSteps`).
        var steps = SQLWriteSteps()
        steps.delete(from: PersonCluster.schema, where: "mention_id", in: clusterRows.keys.map { SQLValue($0) })
        steps.insert(into: PersonCluster.schema, columns: ["mention_id", "report_id", "cluster_id"],
                     rows: clusterRows.map { [SQLValue($0.key), SQLValue($0.value.report), SQLValue($0.value.cluster)] })
        steps.delete(from: LinkKeyRow.schema, where: "key", in: keyList.map { SQLValue($0) })
        steps.insert(into: LinkKeyRow.schema, columns: ["key", "first_mention_id", "last_mention_id", "reports"], rows: keyRowValues)
        steps.insert(into: ReportLink.schema, columns: Self.linkColumns, rows: linkRows)
        for (target, merged) in moves {
            steps.update(ReportNetwork.schema, set: [("network_id", SQLValue(target))], where: "network_id", in: merged.map { SQLValue($0) })
        }
        steps.insert(into: ReportNetwork.schema, columns: ["report_id", "network_id"], rows: joinedRows)
        steps.delete(from: LinkNetworkRow.schema, where: "network_id", in: rewrittenNetworks.map { SQLValue($0) })
        steps.insert(into: LinkNetworkRow.schema, columns: ["network_id", "reports", "sources"], rows: summaryRows)
        steps.insert(into: IntelligenceAlert.schema, columns: ["id", "network_id", "report_id", "kind", "message", "created_at", "dismissed_at", "dismissed_by_id"],
                     rows: alerts.map { alert in
                         [SQLValue(alert.id ?? UUID()), SQLValue(alert.networkID), SQLValue(alert.reportID), SQLValue(alert.kind),
                          SQLValue(alert.message), SQLValue(alert.createdAt), .null, .null]
                     })
        // Linked: no longer waiting, and logged for the other instances' indexes.
        steps.logLinked(newReports.map(\.id), after: logPosition, at: now)
        try await session.write(steps)
        logPosition += Int64(newReports.count)
        return caseLinks
    }
}
