import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

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
