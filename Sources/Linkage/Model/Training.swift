import Foundation

/// Deterministic pseudo-random numbers (SplitMix64), so training and the generator give the
/// same result on every run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9e3779b97f4a7c15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
}

/// What training found, for the run report.
public struct TrainingReport: Sendable, Codable, Hashable {
    public var randomPairsForU: Int
    public var emSessions: [EMSession]
    public var priorMatchProbability: Double
    public struct EMSession: Sendable, Codable, Hashable {
        public var blockingRule: String
        public var pairs: Int
        public var iterations: Int
        public var converged: Bool
        public var matchProportion: Double
    }
}

/// Training is separate from scoring: u by random sampling, m by expectation–maximisation
/// on blocked pairs (no labels), then the prior from the blocked pairs' match proportion.
enum Trainer {
    static func packed(_ v: LevelVector) -> UInt32 {
        var p: UInt32 = 0
        for c in 0..<8 { p |= UInt32(v[c] & 7) << (3 * c) }
        return p
    }
    static func unpack(_ p: UInt32) -> LevelVector {
        var v = LevelVector(repeating: 0)
        for c in 0..<8 { v[c] = UInt8((p >> (3 * c)) & 7) }
        return v
    }

    /// u: level frequencies among random pairs (almost all are non-matches).
    static func estimateU(_ model: inout LinkageModel, _ s: RecordStore, pairs: Int, seed: UInt64) -> Int {
        let n = s.count
        guard n >= 2 else { return 0 }
        let scorer = Scorer(model: model)
        let shape = model.comparisons.map { [Double](repeating: 0, count: $0.levels.count) }
        // Several independent streams, one per worker, each seeded from the run's seed.
        let streams = 8
        let sink = CountSink(streams: streams)
        DispatchQueue.concurrentPerform(iterations: streams) { k in
            var rng = SeededRandom(seed: seed &+ UInt64(k) &* 0x9e3779b97f4a7c15)
            var counts = shape
            for _ in 0..<(pairs / streams) {
                let i = Int(rng.next() % UInt64(n)), j = Int(rng.next() % UInt64(n))
                if i == j { continue }
                let l = scorer.levels(s, i, j).levels
                for c in counts.indices { counts[c][Int(l[c])] += 1 }
            }
            sink.put(k, counts)
        }
        var counts = shape
        for part in sink.all() { for c in counts.indices { for l in counts[c].indices { counts[c][l] += part[c][l] } } }
        for c in counts.indices {
            let seen = counts[c].dropFirst().reduce(0, +)
            guard seen > 0 else { continue }
            let floor = 0.5 / seen   // a level never seen among random pairs is rarer than 1 in `seen`
            let levels = model.comparisons[c].levels.count
            for l in 1..<levels { model.comparisons[c].levels[l].u = max(counts[c][l] / seen, floor) }
            // Renormalise so the levels still sum to one.
            let total = (1..<levels).reduce(0.0) { $0 + model.comparisons[c].levels[$1].u }
            for l in 1..<levels { model.comparisons[c].levels[l].u /= total }
        }
        return pairs
    }

    /// Pattern counts for a sample of the pairs one blocking rule produces.
    static func patterns(_ s: RecordStore, _ blocks: BlockIndex, rule r: Int, scorer: Scorer, limit: Int, seed: UInt64,
                         excludeCovered: Bool) -> (counts: [UInt32: Double], pairs: Int, sampled: Int) {
        let runs = blocks.runs(r).runs
        let total = runs.reduce(0) { $0 + ($1.1 - $1.0) * ($1.1 - $1.0 - 1) / 2 }
        let keep = total <= limit ? 1.0 : Double(limit) / Double(total)
        var rng = SeededRandom(seed: seed)
        var counts = [UInt32: Double]()
        var sampled = 0
        let recs = blocks.sortedRecords[r]
        for (a, b) in runs {
            for x in a..<(b - 1) {
                for y in (x + 1)..<b {
                    if keep < 1 && Double(rng.next() >> 11) * 0x1p-53 >= keep { continue }
                    let i = Int(recs[x]), j = Int(recs[y])
                    if excludeCovered && blocks.coveredBefore(r, i, j) { continue }
                    counts[packed(scorer.levels(s, i, j).levels), default: 0] += 1
                    sampled += 1
                }
            }
        }
        return (counts, total, sampled)
    }

    /// EM for m (u held fixed) over one rule's pairs; comparisons the rule blocks on are left
    /// out, since every pair agrees on them by construction.
    static func em(_ model: LinkageModel, patterns: [UInt32: Double], free: [Bool], iterations: Int = 100)
        -> (m: [[Double]], lambda: Double, iterations: Int, converged: Bool) {
        var m = model.comparisons.map { $0.levels.map(\.m) }
        let u = model.comparisons.map { $0.levels.map { max($0.u, 1e-12) } }
        var lambda = 0.1
        let pats = patterns.map { (unpack($0.key), $0.value) }
        let total = pats.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return (m, lambda, 0, false) }
        var it = 0, converged = false
        while it < iterations {
            it += 1
            var mNum = m.map { [Double](repeating: 0, count: $0.count) }
            var matchSum = 0.0
            for (v, n) in pats {
                var logOdds = log2(lambda / (1 - lambda))
                for c in m.indices where free[c] {
                    let l = Int(v[c]); if l == 0 { continue }
                    logOdds += log2(max(m[c][l], 1e-12) / u[c][l])
                }
                let p = probability(fromWeight: logOdds)
                matchSum += p * n
                for c in m.indices where free[c] { mNum[c][Int(v[c])] += p * n }
            }
            var delta = 0.0
            let newLambda = min(max(matchSum / total, 1e-6), 1 - 1e-6)
            delta = max(delta, abs(newLambda - lambda))
            lambda = newLambda
            for c in m.indices where free[c] {
                let denom = mNum[c].dropFirst().reduce(0, +)
                guard denom > 1e-9 else { continue }
                for l in 1..<m[c].count {
                    // A small floor keeps a level that happens to be empty from reaching m = 0
                    // (which would make it an absolute veto).
                    let nm = max(mNum[c][l] / denom, 1e-4)
                    delta = max(delta, abs(nm - m[c][l]))
                    m[c][l] = nm
                }
                let s = m[c].dropFirst().reduce(0, +)
                for l in 1..<m[c].count { m[c][l] /= s }
            }
            if delta < 1e-3 { converged = true; break }
        }
        return (m, lambda, it, converged)
    }

    static func fixedComparisons(_ rule: BlockingRule) -> [Bool] {
        var fixed = [Bool](repeating: false, count: 8)
        for p in rule.parts {
            switch p {
            case .namePair, .phoneticNamePair: fixed[0] = true; fixed[1] = true
            case .givenCanonical, .givenInitial: fixed[0] = true
            case .familyPhonetic: fixed[1] = true
            case .dateOfBirth, .birthYear: fixed[2] = true
            case .postcode, .phone, .address: fixed[3] = true
            case .email: fixed[4] = true
            case .vehicle: fixed[5] = true
            case .business: fixed[6] = true
            case .username: fixed[7] = true
            }
        }
        return fixed
    }

    /// Full training: u, then m from EM sessions on the name and date-of-birth rules, then the prior.
    static func train(_ model: inout LinkageModel, _ s: RecordStore, _ blocks: BlockIndex, seed: UInt64, uPairs: Int = 1_000_000,
                      emPairs: Int = 200_000) -> TrainingReport {
        let uCount = estimateU(&model, s, pairs: uPairs, seed: seed)
        var sessions = [TrainingReport.EMSession]()
        var sums = model.comparisons.map { [Double](repeating: 0, count: $0.levels.count) }
        var times = [Int](repeating: 0, count: model.comparisons.count)
        let sessionRules = blocks.rules.indices.filter {
            let p = blocks.rules[$0].parts
            return p == [.namePair] || p == [.dateOfBirth] || p == [.phoneticNamePair]
        }
        for r in sessionRules {
            let scorer = Scorer(model: model)
            let pat = patterns(s, blocks, rule: r, scorer: scorer, limit: emPairs, seed: seed &+ UInt64(r), excludeCovered: false)
            let fixed = fixedComparisons(blocks.rules[r])
            let free = (0..<model.comparisons.count).map { $0 < 8 ? !fixed[$0] : false }
            let result = em(model, patterns: pat.counts, free: free)
            sessions.append(.init(blockingRule: blocks.rules[r].name, pairs: pat.sampled, iterations: result.iterations,
                                  converged: result.converged, matchProportion: result.lambda))
            for c in model.comparisons.indices where free[c] {
                for l in sums[c].indices { sums[c][l] += result.m[c][l] }
                times[c] += 1
            }
        }
        for c in model.comparisons.indices where times[c] > 0 {
            for l in 1..<model.comparisons[c].levels.count { model.comparisons[c].levels[l].m = sums[c][l] / Double(times[c]) }
        }
        model.householdFamilyAgreement = estimateHouseholdAgreement(model, s, blocks, seed: seed) ?? model.householdFamilyAgreement
        model.priorMatchProbability = estimatePrior(model, s, blocks, seed: seed)
        return TrainingReport(randomPairsForU: uCount, emSessions: sessions, priorMatchProbability: model.priorMatchProbability)
    }

    /// Among pairs that share a home or phone but clearly are different people (different
    /// given names, no agreeing date of birth), how often the family name agrees.
    static func estimateHouseholdAgreement(_ model: LinkageModel, _ s: RecordStore, _ blocks: BlockIndex, seed: UInt64) -> Double? {
        let scorer = Scorer(model: model)
        var same = 0.0, all = 0.0
        for r in blocks.rules.indices where blocks.rules[r].parts.contains(where: { $0 == .phone || $0 == .postcode || $0 == .address }) {
            let pat = patterns(s, blocks, rule: r, scorer: scorer, limit: 200_000, seed: seed &+ 31 &+ UInt64(r), excludeCovered: false)
            for (p, n) in pat.counts {
                let v = unpack(p)
                guard v[3] >= 1 && v[3] <= 4, v[0] == 5, v[2] == 0 || v[2] == 4, v[1] != 0 else { continue }
                all += n
                if v[1] == 1 { same += n }
            }
        }
        guard all >= 50 else { return nil }
        return min(max(same / all, 0.01), 0.9)
    }

    /// The prior: expected matches among all blocked pairs (posterior mass under the trained
    /// m and u) divided by all possible pairs.
    static func estimatePrior(_ model: LinkageModel, _ s: RecordStore, _ blocks: BlockIndex, seed: UInt64) -> Double {
        let n = Double(s.count)
        guard n >= 2 else { return model.priorMatchProbability }
        let allPairs = n * (n - 1) / 2
        // Iterate: the prior for blocked pairs and the expected match count depend on each other.
        var perRule = [(counts: [UInt32: Double], scale: Double)]()
        for r in blocks.rules.indices {
            let scorer = Scorer(model: model)
            let pat = patterns(s, blocks, rule: r, scorer: scorer, limit: 50_000, seed: seed &+ 977 &+ UInt64(r), excludeCovered: true)
            guard pat.pairs > 0 else { continue }
            let sampledAll = Double(min(pat.pairs, 50_000))
            perRule.append((pat.counts, Double(pat.pairs) / max(sampledAll, 1)))
        }
        let weights = model.comparisons.map { c in c.levels.enumerated().map { $0.offset == 0 ? 0 : $0.element.weight } }
        var blockedTotal = 0.0
        for pr in perRule { blockedTotal += pr.counts.values.reduce(0, +) * pr.scale }
        guard blockedTotal > 0 else { return model.priorMatchProbability }
        // Fixed point of the scoring model itself: the prior is the expected number of
        // matches (posteriors under that same prior) over all possible pairs. Using the
        // blocked pairs' own match share instead would over-count, because non-matches that
        // share a block agree on names far more often than random pairs do.
        var prior = min(0.5, 0.05 * blockedTotal / allPairs)
        for _ in 0..<100 {
            var expected = 0.0
            let base = log2(prior / (1 - prior))
            for pr in perRule {
                for (p, cnt) in pr.counts {
                    let v = unpack(p)
                    var w = base
                    for c in 0..<min(8, weights.count) { w += weights[c][Int(v[c])] }
                    expected += probability(fromWeight: w) * cnt * pr.scale
                }
            }
            let next = min(max(expected / allPairs, 1e-12), 0.5)
            if abs(log2(next) - log2(prior)) < 1e-4 { prior = next; break }
            prior = next
        }
        return prior
    }
}

final class CountSink: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [[[Double]]]
    init(streams: Int) { parts = Array(repeating: [], count: streams) }
    func put(_ k: Int, _ c: [[Double]]) { lock.lock(); parts[k] = c; lock.unlock() }
    func all() -> [[[Double]]] { lock.lock(); defer { lock.unlock() }; return parts }
}
