import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

/// One linking pass: people through the engine's index, identifiers through `link_keys`.
extension ReportLinker {
    /// What a case team is told: a new report (by reference) and the reports it links to, with why.
    typealias CaseLink = (reference: String, linked: [UUID: LinkedReportReason])

    /// Links reports that are stored and still waiting, within a pass's session, and returns
    /// what the case teams of linked reports should be told once it has committed.
    func linkNew(_ newReports: [ReportFacts], mentions: [MentionFacts], session: LinkSession) async throws -> [CaseLink] {
        guard !newReports.isEmpty else { return [] }
        let sql = session.read
        var index = try await indexForPass(session)
        let byReport = Dictionary(grouping: mentions, by: \.reportID)
        var pairs: [PairKey: [LinkReason]] = [:]
        var touchedMentions = Set<String>()

        // People: scored against every person held, through the blocking keys.
        var known: [UUID: ReportFacts] = Dictionary(uniqueKeysWithValues: newReports.map { ($0.id, $0) })
        var neededReports = Set<UUID>()
        var personLinks: [(MentionFacts, Link)] = []
        for report in newReports {
            // In id order, as `catchUp` replays them on other instances.
            for m in Self.people(byReport[report.id] ?? []) {
                let id = m.id.uuidString
                touchedMentions.insert(id)
                var found: [Link] = []
                if reportOfMention[id] == nil {
                    let outcome = index.add(Self.personRecord(m, reportMentions: byReport[report.id] ?? [], reportPostcode: report.postcode))
                    reportOfMention[id] = m.reportID
                    found = outcome.links.filter { index.clusterID(of: $0.right) == outcome.clusterID }
                } else {
                    // Already indexed (the index was first built after this report was stored):
                    // its links are to the others in its cluster.
                    for other in index.clusterMembers(of: id) where other != id {
                        if let p = index.explain(other, id)?.matchProbability, p >= index.settings.threshold {
                            found.append(Link(left: id, right: other, matchProbability: p))
                        }
                    }
                }
                for link in found {
                    guard let other = reportOfMention[link.right], other != report.id else { continue }
                    neededReports.insert(other)
                    personLinks.append((m, link))
                }
            }
        }
        self.index = index

        // Identifiers: for each value the new reports mention, what `link_keys` holds. A value
        // seen in a few reports brings them all; a common one (a hotel reported a thousand
        // times) only its first and latest, as a new report links to those two (see `keyPairs`).
        let keyed = mentions.filter { $0.key != nil }
        let byKey = Dictionary(grouping: keyed, by: { $0.key ?? "" })
        let keyRows = try await Self.keyRows(Array(byKey.keys), on: sql)
        var stored: [MentionFacts] = []
        var ends: [UUID] = []
        var fewKinds = Set<String>(), fewValues = Set<String>()
        let batchIDs = Set(newReports.map(\.id))
        for (key, row) in keyRows {
            if row.reports > Self.fullPairLimit {
                ends += [row.firstMentionID, row.lastMentionID]
            } else if let cached = fewGroups[key], cached.count == row.reports, !cached.contains(where: { batchIDs.contains($0.1.id) }) {
                // Held from an earlier pass and still complete (no other instance added to it).
                for (m, r) in cached {
                    stored.append(m)
                    known[r.id] = known[r.id] ?? r
                }
            } else if let m = byKey[key]?.first, let normalised = m.normalised {
                fewKinds.insert(m.kind.rawValue)
                fewValues.insert(normalised)
            }
        }
        // Every mention of the values held in a few reports, in one look-up (the kind and value
        // index); rows of another kind or address that happen to share a value drop out below.
        stored += try await directory.linkableMentions(kinds: Array(fewKinds), normalised: Array(fewValues), on: sql)
            .map(MentionFacts.init).filter { !batchIDs.contains($0.reportID) }
        stored += try await mentionsByID(ends, on: sql).values
        for m in stored where known[m.reportID] == nil { neededReports.insert(m.reportID) }
        let newKeys = Set(keyed.compactMap(\.key))
        stored = stored.filter { $0.key.map(newKeys.contains) ?? false }
        let missing = neededReports.filter { known[$0] == nil }
        known.merge(try await reportFacts(Array(missing), on: sql), uniquingKeysWith: { a, _ in a })
        // Person reasons, with the earlier report first.
        let mentionValues = try await mentionsByID(personLinks.map { UUID(uuidString: $0.1.right) }.compactMap { $0 }, on: sql)
        for (m, link) in personLinks {
            guard let otherMention = mentionValues[link.right], let mine = known[m.reportID], let theirs = known[otherMention.reportID],
                  let explanation = index.explain(link.right, link.left) else { continue }
            touchedMentions.insert(link.right)
            let earlierIsMine = ReportFacts.before(mine, theirs)
            let (a, b) = earlierIsMine ? (m, otherMention) : (otherMention, m)
            let ordered = earlierIsMine ? (index.explain(link.left, link.right) ?? explanation) : explanation
            pairs[PairKey(earlier: a.reportID, later: b.reportID), default: []].append(
                LinkReason(kind: MentionKind.person.rawValue, earlierMentionID: a.id, laterMentionID: b.id, earlierValue: a.value, laterValue: b.value,
                           phrase: Self.phrase(for: ordered), probability: link.matchProbability, explanation: ordered))
        }
        // Identifier reasons: group stored (which includes the new reports' own rows) by key.
        var groups: [String: [(MentionFacts, ReportFacts)]] = [:]
        var seenMention = Set<UUID>()
        for m in stored + keyed where seenMention.insert(m.id).inserted {
            if let key = m.key, let r = known[m.reportID] { groups[key, default: []].append((m, r)) }
        }
        let newIDs = Set(newReports.map(\.id))
        for group in groups.values where group.count > 1 {
            // Only pairs that involve a new report: the others are stored already.
            Self.keyPairs(group, involving: newIDs, into: &pairs)
        }
        let newGroups = Self.keyGroups(keyed, reports: known)
        let caseLinks = try await store(pairs, newReports: newReports, known: known, touchedMentions: touchedMentions, index: index,
                                        keys: newGroups, keyRows: keyRows, session: session)

        // Keep each value still held by few reports, complete, for the next pass.
        for (key, added) in newGroups {
            let total = (keyRows[key]?.reports ?? 0) + added.count
            var seen = Set<UUID>()
            let group = (groups[key] ?? []).sorted { ReportFacts.before($0.1, $1.1) }.filter { seen.insert($0.1.id).inserted }
            if total <= Self.fullPairLimit && group.count == total { fewGroups[key] = group } else { fewGroups[key] = nil }
        }
        if fewGroups.count > Self.fewGroupsLimit { fewGroups = [:] }
        return caseLinks
    }
}
