import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

extension ReportLinker {
    // MARK: Stored model and feedback

    static func storedModel(on sql: any SQLDatabase) async throws -> LinkageModel {
        guard let row = try await sql.select().column("value").from(LinkState.schema).where("name", .equal, SQLBind("model")).first(),
              let model = try? JSONDecoder().decode(LinkageModel.self, from: Data(try row.decode(column: "value", as: String.self).utf8)) else {
            return .initial
        }
        return model
    }

    static func feedbackQuery(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns("decision", "left_mention_id", "right_mention_id").from(LinkFeedbackRow.schema)
    }

    static func feedback(row: any SQLRow) throws -> Feedback {
        LinkFeedbackRow.feedback(decision: try row.decode(column: "decision", as: String.self),
                                 left: try row.decode(column: "left_mention_id", as: UUID.self),
                                 right: try row.decode(column: "right_mention_id", as: UUID.self))
    }

    /// Every analyst's judgement, oldest first.
    static func storedFeedback(on sql: any SQLDatabase) async throws -> FeedbackLog {
        FeedbackLog(entries: try await feedbackQuery(sql).orderBy("at").orderBy("id").all().map(feedback(row:)))
    }

    // MARK: Rebuild

    public struct RebuildSummary: Sendable {
        public var reports = 0
        public var mentions = 0
        public var people = 0
        public var personClusters = 0
        public var links = 0
        public var networks = 0
        public var trained = false
        public var seconds = 0.0
    }

    /// Re-links every report in the database with the engine and replaces the stored links,
    /// person clusters and networks. Analysts' feedback is kept and respected. Trains the
    /// model when there are enough people to learn from (1,000 mentions); otherwise uses the
    /// stored or starting model.
    ///
    /// It is the only linking work on the database while it runs (`LinkSession.exclusive`), and it
    /// logs itself, so every other instance builds its index again before it next links.
    func rebuild(progress: (@Sendable (String, Double) -> Void)? = nil) async throws -> RebuildSummary {
        try await serially {
            do {
                return try await LinkSession.exclusive(self.database) { session in
                    try await self.rebuildNow(session: session, progress: progress)
                }
            } catch {
                await self.forget()
                throw error
            }
        }
    }

    private func rebuildNow(session: LinkSession, progress: (@Sendable (String, Double) -> Void)?) async throws -> RebuildSummary {
        let start = Date()
        var summary = RebuildSummary()
        progress?("loading", 0)
        let sql = session.read
        let reports = try await allReportFacts(on: sql).sorted(by: ReportFacts.before)
        let reportByID = Dictionary(reports.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let order = Dictionary(reports.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let mentions = try await directory.linkableMentions(.all, on: sql).map(MentionFacts.init)
            .filter { reportByID[$0.reportID] != nil }
            .sorted { a, b in
                let (oa, ob) = (order[a.reportID] ?? 0, order[b.reportID] ?? 0)
                return oa != ob ? oa < ob : a.id.sortsBefore(b.id)
            }
        // Reports stored while this runs are not in what it read, and stay waiting.
        let linkedNow = try await session.allPending().filter { reportByID[$0] != nil }
        let log = try await session.logBounds()
        summary.reports = reports.count
        summary.mentions = mentions.count
        let byReport = Dictionary(grouping: mentions, by: \.reportID)

        // People, through the engine.
        var records: [NormalisedRecord] = []
        var mentionReport: [String: UUID] = [:]
        for m in mentions where m.kind == .person {
            records.append(NormalisedRecord(Self.personRecord(m, reportMentions: byReport[m.reportID] ?? [], reportPostcode: reportByID[m.reportID]?.postcode)))
            mentionReport[m.id.uuidString] = m.reportID
        }
        summary.people = records.count
        let train = records.count >= 1000
        summary.trained = train
        let (index, links, _) = LinkageIndex.batch(records, model: try await Self.storedModel(on: sql), train: train,
                                                   feedback: try await Self.storedFeedback(on: sql), progress: progress)
        let mentionByID = Dictionary(uniqueKeysWithValues: mentions.map { ($0.id.uuidString, $0) })
        var pairs: [PairKey: [LinkReason]] = [:]
        for link in links {
            guard let l = mentionByID[link.left], let r = mentionByID[link.right], l.reportID != r.reportID,
                  index.clusterID(of: link.left) == index.clusterID(of: link.right),
                  let lr = reportByID[l.reportID], let rr = reportByID[r.reportID],
                  let explanation = index.explain(link.left, link.right) else { continue }
            let (a, b) = ReportFacts.before(lr, rr) ? (l, r) : (r, l)
            let ordered = a.id == l.id ? explanation : index.explain(a.id.uuidString, b.id.uuidString) ?? explanation
            pairs[PairKey(earlier: a.reportID, later: b.reportID), default: []].append(
                LinkReason(kind: MentionKind.person.rawValue, earlierMentionID: a.id, laterMentionID: b.id, earlierValue: a.value, laterValue: b.value,
                           phrase: Self.phrase(for: ordered), probability: link.matchProbability, explanation: ordered))
        }
        // Identifiers, exactly.
        progress?("identifiers", 0)
        let groups = Self.keyGroups(mentions, reports: reportByID)
        for group in groups.values where group.count > 1 { Self.keyPairs(group, into: &pairs) }

        // Networks: connected reports.
        var parent: [UUID: UUID] = [:]
        func find(_ x: UUID) -> UUID {
            var x = x
            while let p = parent[x], p != x { parent[x] = parent[p] ?? p; x = p }
            return x
        }
        for key in pairs.keys {
            if parent[key.earlier] == nil { parent[key.earlier] = key.earlier }
            if parent[key.later] == nil { parent[key.later] = key.later }
            let a = find(key.earlier), b = find(key.later)
            if a != b {
                // The root is the earliest report, so it names the network.
                if let ra = reportByID[a], let rb = reportByID[b], ReportFacts.before(rb, ra) { parent[a] = b } else { parent[b] = a }
            }
        }
        let now = Date()
        let linkRows = pairs.sorted { $0.key.earlier != $1.key.earlier ? $0.key.earlier.sortsBefore($1.key.earlier) : $0.key.later.sortsBefore($1.key.later) }
            .map { Self.linkRow($0.key, $0.value, now: now, facts: reportByID) }
        let members = parent.keys.map { (report: $0, network: find($0)) }
        let networkRows: [[SQLValue]] = members.map { [SQLValue($0.report), SQLValue($0.network)] }
        let networkSummaryRows = Self.networkSummaries(members, sources: reportByID.mapValues(\.source))
        let clusterRows: [[SQLValue]] = index.clusterAssignments().compactMap { a in
            guard let mention = UUID(uuidString: a.id), let report = mentionReport[a.id], let cluster = UUID(uuidString: a.clusterID) else { return nil }
            return [SQLValue(mention), SQLValue(report), SQLValue(cluster)]
        }
        summary.links = linkRows.count
        summary.networks = Set(parent.keys.map(find)).count
        summary.personClusters = Set(index.clusterAssignments().map(\.clusterID)).count
        progress?("writing", 0)
        let model = index.model
        let modelJSON = train ? String(decoding: try JSONEncoder().encode(model), as: UTF8.self) : nil
        let seq = log.last + 1
        try await session.transaction { sql in
            try await sql.delete(from: ReportLink.schema).run()
            try await sql.delete(from: PersonCluster.schema).run()
            try await sql.delete(from: ReportNetwork.schema).run()
            try await SQLRows.insert(into: ReportLink.schema, columns: Self.linkColumns, rows: linkRows, on: sql)
            try await SQLRows.insert(into: ReportNetwork.schema, columns: ["report_id", "network_id"], rows: networkRows, on: sql)
            try await SQLRows.insert(into: PersonCluster.schema, columns: ["mention_id", "report_id", "cluster_id"], rows: clusterRows, on: sql)
            try await Self.writeKeyRows(groups, on: sql)
            try await sql.delete(from: LinkNetworkRow.schema).run()
            try await SQLRows.insert(into: LinkNetworkRow.schema, columns: ["network_id", "reports", "sources"], rows: networkSummaryRows, on: sql)
            if let modelJSON {
                try await sql.delete(from: LinkState.schema).where("name", .equal, SQLBind("model")).run()
                try await SQLRows.insert(into: LinkState.schema, columns: ["name", "value", "updated_at"],
                                         rows: [[SQLValue("model"), SQLValue(modelJSON), SQLValue(now)]], on: sql)
            }
            // Every report read is linked now; the other instances build their indexes again.
            var steps = SQLWriteSteps()
            steps.delete(from: LinkPendingRow.schema, where: "report_id", in: linkedNow.map { SQLValue($0) })
            steps.log(.rebuild, subject: nil, seq: seq, at: now)
            try await steps.run(in: sql)
        }
        self.index = index
        self.reportOfMention = mentionReport
        self.logPosition = seq
        fewGroups = [:]
        summary.seconds = Date().timeIntervalSince(start)
        progress?("done", 1)
        return summary
    }

    // MARK: Feedback

    /// Records that two person mentions are, or are not, the same person, applies it to the
    /// clusters now and keeps it for later rebuilds.
    ///
    /// `then` makes the stored links agree (run in the same session, so no linking pass of any
    /// instance comes between); its answer is returned.
    func feedback<T: Sendable>(_ row: LinkFeedbackRow, then: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await serially {
            do {
                return try await LinkSession.exclusive(self.database) { session in
                    try await self.feedbackNow(row, session: session)
                    return try await then(session.db)
                }
            } catch {
                await self.forget()
                throw error
            }
        }
    }

    private func feedbackNow(_ row: LinkFeedbackRow, session: LinkSession) async throws {
        try await catchUp(session)
        var index = try await indexForPass(session)
        index.apply(row.feedback)
        self.index = index
        var rows: [UUID: (report: UUID, cluster: UUID)] = [:]
        for id in [row.leftMentionID.uuidString, row.rightMentionID.uuidString] {
            for member in index.clusterMembers(of: id) {
                guard let mention = UUID(uuidString: member), let report = reportOfMention[member],
                      let cluster = index.clusterID(of: member).flatMap(UUID.init(uuidString:)) else { continue }
                rows[mention] = (report, cluster)
            }
        }
        let id = row.id ?? UUID()
        row.id = id
        var steps = SQLWriteSteps()
        steps.insert(into: LinkFeedbackRow.schema, columns: ["id", "decision", "left_mention_id", "right_mention_id", "actor_id", "note", "at"],
                     rows: [[SQLValue(id), SQLValue(row.decision), SQLValue(row.leftMentionID), SQLValue(row.rightMentionID),
                             SQLValue(row.actorID), SQLValue(row.note), SQLValue(row.at)]])
        steps.delete(from: PersonCluster.schema, where: "mention_id", in: rows.keys.map { SQLValue($0) })
        steps.insert(into: PersonCluster.schema, columns: ["mention_id", "report_id", "cluster_id"],
                     rows: rows.map { [SQLValue($0.key), SQLValue($0.value.report), SQLValue($0.value.cluster)] })
        steps.log(.feedback, subject: id, seq: logPosition + 1, at: row.at)
        try await session.write(steps)
        logPosition += 1
    }
}
