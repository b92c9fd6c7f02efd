import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

// Forgetting reports the retention schedule anonymises (`RetentionKind.closedReports`).
//
// Everything linking derived from a report's mentions goes in the transaction that anonymises
// it, as the only linking work on the database (`LinkSession.exclusive`): its links, its
// people's clusters, its share of each identifier value (`link_keys`, recounted from the
// mentions that remain), analysts' feedback on its people, its alerts, and its place in its
// network (which is worked out again from the links that remain, so a network the report held
// together splits). A `link_log` row per report (`erase`) tells every instance: its people
// leave the index's clusters and link to nothing more. Their values stay in an instance's
// memory only until it next builds its index; a run of the schedule that anonymised reports ends
// with `forgetEverywhere`, which has every instance do that.

extension ReportLinker {
    /// Runs `anonymise` (which returns the reports it anonymised, of `candidates`) in one
    /// transaction with forgetting what linking holds about those reports; returns them.
    func erase(_ candidates: [UUID], anonymise: @escaping @Sendable (any Database) async throws -> [UUID]) async throws -> [UUID] {
        guard !candidates.isEmpty else { return [] }
        return try await serially {
            do {
                return try await LinkSession.exclusive(self.database) { session in
                    try await self.eraseNow(candidates, session: session, anonymise: anonymise)
                }
            } catch {
                await self.forget()
                throw error
            }
        }
    }

    /// Has every instance build its index again from the database, so the people of reports
    /// erased since leave memory too (logged as a rebuild; this instance forgets at once).
    func forgetEverywhere() async throws {
        try await serially {
            try await LinkSession.exclusive(self.database) { session in
                let seq = try await session.logBounds().last + 1
                var steps = SQLWriteSteps()
                steps.log(.rebuild, subject: nil, seq: seq, at: Date())
                try await session.write(steps)
            }
            await self.forget()
        }
    }

    private func eraseNow(_ candidates: [UUID], session: LinkSession,
                          anonymise: @escaping @Sendable (any Database) async throws -> [UUID]) async throws -> [UUID] {
        // An index held here must first be up to date, so its position numbers the new rows.
        if index != nil { try await catchUp(session) }
        let held = index != nil
        let after = held ? logPosition : try await session.logBounds().last
        let now = Date()
        let erased = try await session.db.transaction { tx -> [UUID] in
            guard let sql = tx as? any SQLDatabase else { throw LinkCoordinationError.notSQL }
            // What the reports mention, read before their mentions go.
            let mentions = try await self.directory.linkableMentions(.all, ofReports: candidates, on: sql).map(MentionFacts.init)
            let erased = try await anonymise(tx)
            guard !erased.isEmpty else { return [] }
            let gone = Set(erased)
            let theirs = mentions.filter { gone.contains($0.reportID) }
            try await Self.eraseStored(erased, mentions: theirs, directory: self.directory, on: sql)
            // People still in a cluster with one of theirs: their clusters, without them.
            let rows = await self.clustersWithout(theirs.filter { $0.kind == .person }.map(\.id.uuidString))
            var steps = SQLWriteSteps()
            steps.delete(from: PersonCluster.schema, where: "mention_id", in: rows.keys.map { SQLValue($0) })
            steps.insert(into: PersonCluster.schema, columns: ["mention_id", "report_id", "cluster_id"],
                         rows: rows.map { [SQLValue($0.key), SQLValue($0.value.report), SQLValue($0.value.cluster)] })
            steps.insert(into: LinkLogRow.schema, columns: ["seq", "kind", "subject_id", "at"], rows: erased.enumerated().map { n, id in
                [SQLValue(after + Int64(n) + 1), SQLValue(LinkLogKind.erase.rawValue), SQLValue(id), SQLValue(now)]
            })
            try await steps.run(in: sql)
            return erased
        }
        if held, !erased.isEmpty {
            forgetPeople(ofReports: Set(erased))
            logPosition = after + Int64(erased.count)
        }
        return erased
    }

    /// The cluster rows of everyone who shares a cluster with one of these mentions, as the
    /// clusters stand once those are split out (none when no index is held here: the stored
    /// rows stay as they are, and the index is built without these people when it is next built).
    private func clustersWithout(_ mentionIDs: [String]) -> [UUID: (report: UUID, cluster: UUID)] {
        guard var index, !mentionIDs.isEmpty else { return [:] }
        let leaving = Set(mentionIDs)
        var others = Set<String>()
        for id in mentionIDs { others.formUnion(index.clusterMembers(of: id)) }
        others.subtract(leaving)
        for id in mentionIDs where index.clusterID(of: id) != nil { index.splitOut(id) }
        var rows: [UUID: (report: UUID, cluster: UUID)] = [:]
        for member in others {
            guard let mention = UUID(uuidString: member), let report = reportOfMention[member],
                  let cluster = index.clusterID(of: member).flatMap(UUID.init(uuidString:)) else { continue }
            rows[mention] = (report, cluster)
        }
        return rows
    }

    /// Splits the people of these reports out of the index's clusters and forgets whose they
    /// were, so no new report links to them. (`catchUp` does the same for another instance's.)
    func forgetPeople(ofReports reports: Set<UUID>) {
        guard var index, !reports.isEmpty else { return }
        let leaving = reportOfMention.filter { reports.contains($0.value) }.map(\.key)
        for id in leaving where index.clusterID(of: id) != nil { index.splitOut(id) }
        for id in leaving { reportOfMention[id] = nil }
        self.index = index
        // Groups of identifier values may hold their mentions.
        fewGroups = [:]
    }
}
