import Foundation

/// Analyst feedback, stored by record id so that every later run respects it.
public enum Feedback: Sendable, Codable, Hashable {
    /// The two records are the same person (must-link).
    case sameEntity(String, String)
    /// The two records are not the same person (cannot-link).
    case notSame(String, String)
    /// Take the record out of its cluster: it stands alone unless later confirmed as the
    /// same as another record.
    case splitOut(String)
}

/// The analysts' decisions, in the order they were made. Codable for storage.
public struct FeedbackLog: Sendable, Codable, Hashable {
    public var entries: [Feedback]
    public init(entries: [Feedback] = []) { self.entries = entries }
}

/// Clusters as a union of records with member lists, so that finding a record's cluster is
/// one array read and a merge touches only the smaller cluster.
struct Clusters: Sendable {
    var root: [Int32] = []
    var members: [Int32: [Int32]] = [:]
    var mustLink: [Int32: [Int32]] = [:]
    var cannotLink: [Int32: Set<Int32>] = [:]
    /// Records split out by an analyst: they join nothing except through a must-link.
    var isolated: Set<Int32> = []
    /// Each record's group (-1 for none) and the records of each group with more than one:
    /// two records of one group (two people named in one report) are never in one cluster,
    /// whatever links or feedback say.
    var group: [Int32] = []
    var groupMembers: [Int32: [Int32]] = [:]

    mutating func appendSingleton(group g: Int32 = -1) {
        let x = Int32(root.count)
        root.append(x)
        group.append(g)
        if g >= 0 { groupMembers[g, default: []].append(x) }
    }

    func membersOf(_ r: Int32) -> [Int32] { members[r] ?? [r] }

    func cannotMerge(_ a: Int32, _ b: Int32) -> Bool {
        let ma = membersOf(a), mb = membersOf(b)
        if !isolated.isEmpty && (ma.contains(where: isolated.contains) || mb.contains(where: isolated.contains)) { return true }
        let (small, otherRoot) = ma.count <= mb.count ? (ma, b) : (mb, a)
        for x in small {
            guard let cl = cannotLink[x] else { continue }
            for y in cl where root[Int(y)] == otherRoot { return true }
        }
        return groupsClash(small, otherRoot)
    }

    /// Whether a record of `records` shares its group with a record in the cluster `otherRoot`.
    func groupsClash(_ records: [Int32], _ otherRoot: Int32) -> Bool {
        guard !groupMembers.isEmpty else { return false }
        for x in records {
            let g = group[Int(x)]
            guard g >= 0, let together = groupMembers[g] else { continue }
            for y in together where y != x && root[Int(y)] == otherRoot { return true }
        }
        return false
    }

    /// Whether the clusters `a` and `b` hold two records of one group.
    func groupsClash(clusters a: Int32, _ b: Int32) -> Bool {
        let ma = membersOf(a), mb = membersOf(b)
        return ma.count <= mb.count ? groupsClash(ma, b) : groupsClash(mb, a)
    }

    /// Merge two clusters; the smaller one's members are relabelled.
    @discardableResult
    mutating func union(_ a: Int32, _ b: Int32) -> Int32 {
        var ma = membersOf(a), mb = membersOf(b)
        var (keep, drop) = (a, b)
        if ma.count < mb.count { swap(&ma, &mb); swap(&keep, &drop) }
        for x in mb { root[Int(x)] = keep }
        members[drop] = nil
        ma.append(contentsOf: mb)
        members[keep] = ma
        return keep
    }

    /// Make each of the given records a singleton again (before re-clustering them).
    mutating func reset(_ records: [Int32]) {
        for x in records { members[root[Int(x)]] = nil }
        for x in records { root[Int(x)] = x }
    }
}

/// Settings for linking and clustering.
public struct LinkSettings: Sendable, Codable, Hashable {
    /// Pairs at or above this probability are links (written to pairs.csv, used for clusters).
    public var threshold: Double = 0.5
    /// A link only merges two clusters if the mean match probability over the pairs across
    /// them reaches this: one good-looking link cannot chain two different people together.
    public var coherence: Double = 0.3
    /// At most this many cross pairs are scored for the coherence check.
    public var coherenceSample: Int = 64
    /// Blocks larger than this are skipped (and reported).
    public var maxBlockSize: Int = 400
    public var seed: UInt64 = 20261123
    public var uSamplePairs: Int = 1_000_000
    public var emSamplePairs: Int = 200_000
    public init() {}
    public init(threshold: Double) { self.threshold = threshold }

    var minWeight: Double {
        let t = min(max(threshold, 1e-9), 1 - 1e-9)
        return log2(t / (1 - t))
    }
}
