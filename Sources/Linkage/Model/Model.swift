import Foundation

/// One level of a comparison: how the two values relate, and how often that happens among
/// true matches (m) and among non-matches (u).
public struct ComparisonLevel: Sendable, Codable, Hashable {
    public var label: String
    public var m: Double
    public var u: Double
    /// Whether the level's weight is adjusted by how common the shared value is.
    public var termFrequency: Bool
    public init(_ label: String, m: Double, u: Double, termFrequency: Bool = false) {
        self.label = label; self.m = m; self.u = u; self.termFrequency = termFrequency
    }
    /// The level's match weight: log2 of its Bayes factor.
    public var weight: Double { log2(max(m, 1e-9) / max(u, 1e-12)) }
}

/// The fields the model compares, in level-vector order.
public enum ComparisonKind: String, Sendable, Codable, CaseIterable {
    case givenName = "given_name", familyName = "family_name", dateOfBirth = "date_of_birth"
    /// Postcode, address and phone as ONE piece of evidence: people who share a home share
    /// all three, so scoring them separately would count one fact three times.
    case contact
    case email, vehicle, business, username
}

/// A comparison as data: its kind and its levels. Level 0 is always "missing" (no evidence,
/// weight 0); the last level is "different".
public struct Comparison: Sendable, Codable, Hashable {
    public var kind: ComparisonKind
    public var levels: [ComparisonLevel]
}

/// A Fellegi–Sunter model: comparisons with m and u per level, and the prior probability
/// that two records picked at random are the same person.
public struct LinkageModel: Sendable, Codable, Hashable {
    public var comparisons: [Comparison]
    public var priorMatchProbability: Double
    /// Jaro–Winkler thresholds for the "close" and "far-but-similar" name levels.
    public var closeSimilarity: Double = 0.92
    public var farSimilarity: Double = 0.80
    /// Bounds on the term-frequency adjustment (bits), so one rare spelling cannot decide a link.
    public var maxTermFrequencyBonus: Double = 3
    public var maxTermFrequencyPenalty: Double = 8
    /// How often two different people who share a home or phone also share a family name
    /// (families, couples). When a pair shares contact details, agreeing on the family name
    /// is judged against this rate rather than against random pairs: that is what stops
    /// siblings and spouses being merged. Estimated in training.
    public var householdFamilyAgreement: Double = 0.3
    /// Below this many records, value frequencies are not used at all.
    public var minRecordsForTermFrequency: Int = 1000

    /// A starting model with hand-set m and u; training replaces u by sampling and m by EM.
    public static let initial = LinkageModel(comparisons: [
        Comparison(kind: .givenName, levels: [
            .init("missing", m: 0, u: 0), .init("exact", m: 0.80, u: 0.005, termFrequency: true),
            .init("nickname or variant", m: 0.08, u: 0.001), .init("close spelling", m: 0.06, u: 0.002),
            .init("sounds alike", m: 0.03, u: 0.01), .init("different", m: 0.03, u: 0.982)]),
        Comparison(kind: .familyName, levels: [
            .init("missing", m: 0, u: 0), .init("exact", m: 0.85, u: 0.002, termFrequency: true),
            .init("close spelling", m: 0.08, u: 0.001), .init("sounds alike", m: 0.04, u: 0.005),
            .init("different", m: 0.03, u: 0.992)]),
        Comparison(kind: .dateOfBirth, levels: [
            .init("missing", m: 0, u: 0), .init("exact", m: 0.80, u: 0.0001),
            .init("one part differs", m: 0.08, u: 0.002), .init("partial date consistent", m: 0.10, u: 0.02),
            .init("different", m: 0.02, u: 0.978)]),
        Comparison(kind: .contact, levels: [
            .init("missing", m: 0, u: 0), .init("same phone and home", m: 0.30, u: 0.000001),
            .init("same phone", m: 0.15, u: 0.000005), .init("same home", m: 0.15, u: 0.00001, termFrequency: true),
            .init("shared phone or home", m: 0.05, u: 0.00002), .init("same postcode", m: 0.05, u: 0.0001, termFrequency: true),
            .init("same district or town", m: 0.10, u: 0.01), .init("different", m: 0.20, u: 0.99)]),
        Comparison(kind: .email, levels: [
            .init("missing", m: 0, u: 0), .init("exact", m: 0.8, u: 0.00001),
            .init("same mailbox name", m: 0.1, u: 0.0001), .init("different", m: 0.1, u: 0.9999)]),
        Comparison(kind: .vehicle, levels: [
            .init("missing", m: 0, u: 0), .init("exact", m: 0.8, u: 0.0001),
            .init("one character differs", m: 0.1, u: 0.001), .init("different", m: 0.1, u: 0.9989)]),
        Comparison(kind: .business, levels: [
            .init("missing", m: 0, u: 0), .init("exact", m: 0.8, u: 0.001),
            .init("close spelling", m: 0.1, u: 0.005), .init("different", m: 0.1, u: 0.994)]),
        Comparison(kind: .username, levels: [
            .init("missing", m: 0, u: 0), .init("exact", m: 0.8, u: 0.00001),
            .init("one character differs", m: 0.1, u: 0.0001), .init("different", m: 0.1, u: 0.99989)]),
    ], priorMatchProbability: 1e-5)

    public var priorWeight: Double {
        let p = min(max(priorMatchProbability, 1e-15), 1 - 1e-9)
        return log2(p / (1 - p))
    }
}

/// The level each comparison reached for one pair (index = ComparisonKind order).
public typealias LevelVector = SIMD8<UInt8>

/// One term of an explanation: a comparison's level and its contribution.
public struct ExplanationTerm: Sendable, Codable, Hashable {
    public var comparison: String
    public var level: String
    public var levelIndex: Int
    /// log2(m/u) for the level.
    public var levelWeight: Double
    /// Extra weight because the shared value is rare (+) or common (-), in bits.
    public var termFrequencyAdjustment: Double
    public var weight: Double { levelWeight + termFrequencyAdjustment }
}

/// Why two records were (or were not) linked: a waterfall of match weights.
public struct MatchExplanation: Sendable, Codable, Hashable {
    public var left: String
    public var right: String
    public var priorProbability: Double
    public var priorWeight: Double
    public var terms: [ExplanationTerm]
    /// True when given and family names were compared crosswise (written in the other order).
    public var namesSwapped: Bool
    public var totalWeight: Double
    public var matchProbability: Double

    /// Plain text, one term a line, for logs and the command line.
    public var text: String {
        var lines = ["\(left) ~ \(right): p = \(String(format: "%.4f", matchProbability)) (total \(String(format: "%+.2f", totalWeight)) bits)",
                     "  prior \(String(format: "%+.2f", priorWeight))"]
        for t in terms {
            lines.append("  \(t.comparison): \(t.level) \(String(format: "%+.2f", t.weight))" +
                         (t.termFrequencyAdjustment != 0 ? String(format: " (tf %+.2f)", t.termFrequencyAdjustment) : ""))
        }
        if namesSwapped { lines.append("  (given and family names compared crosswise)") }
        return lines.joined(separator: "\n")
    }
}

@inline(__always) func probability(fromWeight w: Double) -> Double {
    if w > 60 { return 1 }
    if w < -60 { return 0 }
    let o = exp2(w)
    return o / (1 + o)
}
