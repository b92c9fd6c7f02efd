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
// together splits). `erase` rows in `link_log`, one per person mentioned and one more for the
// identifiers, tell every instance before it next links: those people leave the index's
// clusters and link to nothing more, and the identifier groups it holds are read again. Their
// values stay in an instance's memory only until it next builds its index; a run of the schedule
// that anonymised reports ends with `forgetEverywhere`, which has every instance do that.

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
        let (erased, logged) = try await session.db.transaction { tx -> ([UUID], Int) in
            guard let sql = tx as? any SQLDatabase else { throw LinkCoordinationError.notSQL }
            // What the reports mention, read before their mentions go.
            let mentions = try await self.directory.linkableMentions(.all, ofReports: candidates, on: sql).map(MentionFacts.init)
            let erased = try await anonymise(tx)
            guard !erased.isEmpty else { return ([], 0) }
            let gone = Set(erased)
            let theirs = mentions.filter { gone.contains($0.reportID) }
            try await Self.eraseStored(erased, mentions: theirs, directory: self.directory, on: sql)
            // Their people leave this index's clusters (if it holds one); the people who shared a
            // cluster with them are stored in their clusters as they now stand.
            let people = theirs.filter { $0.kind == .person }.map(\.id)
            let rows = await self.forgetPeople(people.map(\.uuidString))
            var steps = SQLWriteSteps()
            steps.delete(from: PersonCluster.schema, where: "mention_id", in: rows.keys.map { SQLValue($0) })
            steps.insert(into: PersonCluster.schema, columns: ["mention_id", "report_id", "cluster_id"],
                         rows: rows.map { [SQLValue($0.key), SQLValue($0.value.report), SQLValue($0.value.cluster)] })
            // One row per person for the other instances, and one without a subject: identifier
            // values changed too, so what they hold of them must be read again.
            let subjects: [UUID?] = people + [nil]
            steps.insert(into: LinkLogRow.schema, columns: ["seq", "kind", "subject_id", "at"], rows: subjects.enumerated().map { n, id in
                [SQLValue(after + Int64(n) + 1), SQLValue(LinkLogKind.erase.rawValue), id.map { SQLValue($0) } ?? .null, SQLValue(now)]
            })
            try await steps.run(in: sql)
            return (erased, subjects.count)
        }
        if held, logged > 0 { logPosition = after + Int64(logged) }
        return erased
    }

    /// Splits these person mentions out of the index's clusters and forgets whose they were, so
    /// no new report links to them; drops the identifier groups held (they may hold erased
    /// mentions). Returns the cluster rows of everyone who shared a cluster with them, as the
    /// clusters now stand. (`catchUp` does the same for another instance's erasures.)
    @discardableResult
    func forgetPeople(_ mentionIDs: [String]) -> [UUID: (report: UUID, cluster: UUID)] {
        fewGroups = [:]
        guard var held = index, !mentionIDs.isEmpty else { return [:] }
        // Taken out so the index is changed in place, not copied.
        index = nil
        let leaving = Set(mentionIDs)
        var others = Set<String>()
        for id in mentionIDs where held.clusterID(of: id) != nil {
            others.formUnion(held.clusterMembers(of: id))
            held.splitOut(id)
        }
        for id in mentionIDs { reportOfMention[id] = nil }
        index = held
        var rows: [UUID: (report: UUID, cluster: UUID)] = [:]
        for member in others.subtracting(leaving) {
            guard let mention = UUID(uuidString: member), let report = reportOfMention[member],
                  let cluster = held.clusterID(of: member).flatMap(UUID.init(uuidString:)) else { continue }
            rows[mention] = (report, cluster)
        }
        return rows
    }
}
