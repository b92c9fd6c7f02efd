import CairnCore
import Foundation

/// Which reports an identifier links: mentions grouped by the value they share, and the pairs
/// of reports each group makes. Pure functions (tested on their own in `LinkPairingTests`):
/// the incremental pass, a rebuild and the back-fill all pair the same way.
extension ReportLinker {
    /// Above this many reports sharing one identifier, each is linked to the first and the one
    /// before it rather than to all, so a common value cannot make millions of pairs.
    static let fullPairLimit = 30

    /// Two linked reports, the earlier first.
    struct PairKey: Hashable {
        let earlier: UUID
        let later: UUID
    }

    /// Pairs of reports that share an identifier, with the reason, for one group of mentions
    /// holding the same key (reports in time order). With `involving`, only pairs with one of
    /// those reports (a linking pass needs only the new reports' pairs: making every pair of a
    /// group of thirty and dropping most was most of its identifier work).
    ///
    /// Up to `fullPairLimit` reports, every pair; above it, each report pairs with the first
    /// and with the one before it, so a common value cannot make millions of pairs.
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

    /// A report's person mentions in the order the index takes them.
    static func people(_ mentions: [MentionFacts]) -> [MentionFacts] {
        mentions.filter { $0.kind == .person }.sorted { $0.id.sortsBefore($1.id) }
    }
}
