import Foundation

/// A scored link between two records.
public struct Link: Sendable, Codable, Hashable {
    public var left: String
    public var right: String
    public var matchProbability: Double
    public init(left: String, right: String, matchProbability: Double) {
        self.left = left
        self.right = right
        self.matchProbability = matchProbability
    }
}

/// What happened when one record was added to the index.
public struct AddOutcome: Sendable, Codable, Hashable {
    public var id: String
    /// The cluster the record is in now (the id of its earliest record).
    public var clusterID: String
    /// Links to earlier records at or above the threshold, strongest first.
    public var links: [Link]
    /// How many earlier records the blocking rules put forward for scoring.
    public var candidatesScored: Int
}

/// Counts and timings of a batch run.
public struct BatchReport: Sendable, Codable, Hashable {
    public var records: Int
    public var blocking: [BlockingReport]
    public var training: TrainingReport?
    public var pairsScored: Int
    public var links: Int
    public var clusters: Int
    public var mergesRejectedByCoherence: Int
    public var mergesRejectedByFeedback: Int
    public var seconds: [String: Double]
}

/// An internal scored pair.
struct Edge: Sendable {
    var i: Int32, j: Int32, w: Float
}

/// Every record held, normalised and blocked, with the trained model, the clusters and the
/// analysts' feedback. Batch dedupe builds one; the application keeps one and adds each new
/// record with `add`, which scores it against the history through the blocking keys and
/// updates clusters without a re-run.
///
/// A value type: an application shares one through an actor. It is not persisted; at start-up
/// rebuild it from stored records with `batch(_:model:train: false, feedback:)`, passing the
/// stored (Codable) `model` and `feedback`.
public struct LinkageIndex: Sendable {
    public private(set) var store = RecordStore()
    public private(set) var model: LinkageModel
    public private(set) var feedback: FeedbackLog
    public var settings: LinkSettings
    var scorer: Scorer
    var blocks: BlockIndex
    var clusters = Clusters()
    public var referenceYear = 2026

    public init(model: LinkageModel = .initial, rules: [BlockingRule] = BlockingRule.defaults,
                settings: LinkSettings = LinkSettings(), feedback: FeedbackLog = FeedbackLog()) {
        self.model = model
        self.settings = settings
        self.feedback = feedback
        scorer = Scorer(model: model)
        blocks = BlockIndex(rules: rules, maxBlockSize: settings.maxBlockSize)
    }

    public var count: Int { store.count }

    /// Reserve room for `n` records in total (see `RecordStore.reserveCapacity`).
    public mutating func reserveCapacity(_ n: Int) {
        store.reserveCapacity(n)
        clusters.root.reserveCapacity(n)
        for r in blocks.keys.indices { blocks.keys[r].reserveCapacity(n) }
    }

    // MARK: batch

    /// Link a whole set of records at once: normalise, block, train (unless `train` is false),
    /// score every blocked pair, and cluster. `progress` gets (stage, fraction) updates.
    public static func batch(_ records: [NormalisedRecord], model: LinkageModel = .initial, train: Bool = true,
                             rules: [BlockingRule] = BlockingRule.defaults, settings: LinkSettings = LinkSettings(),
                             feedback: FeedbackLog = FeedbackLog(),
                             progress: (@Sendable (String, Double) -> Void)? = nil) -> (index: LinkageIndex, links: [Link], report: BatchReport) {
        var index = LinkageIndex(model: model, rules: rules, settings: settings, feedback: feedback)
        for r in records { index.store.append(r) }
        return index.finishBatch(train: train, progress: progress)
    }

    /// Batch from records already appended with `appendForBatch` (lets a caller stream input).
    public mutating func appendForBatch(_ r: NormalisedRecord) { store.append(r) }

    public mutating func finishBatch(train: Bool, progress: (@Sendable (String, Double) -> Void)? = nil)
        -> (index: LinkageIndex, links: [Link], report: BatchReport) {
        var seconds = [String: Double]()
        var clock = Date()
        func lap(_ name: String) { seconds[name] = Date().timeIntervalSince(clock); clock = Date() }
        blocks = BlockIndex(rules: blocks.rules, maxBlockSize: settings.maxBlockSize)
        blocks.build(store)
        lap("blocking")
        var trainingReport: TrainingReport? = nil
        if train && store.count >= 20 {
            progress?("training", 0)
            trainingReport = Trainer.train(&model, store, blocks, seed: settings.seed, uPairs: settings.uSamplePairs,
                                           emPairs: settings.emSamplePairs)
            scorer = Scorer(model: model)
        }
        lap("training")
        let (edges, reports, scored) = scoreAllBlockedPairs(progress: progress)
        lap("scoring")
        clusters = Clusters()
        for i in 0..<store.count { clusters.appendSingleton(group: store.group[i]) }
        let stats = clusterEdges(edges)
        lap("clustering")
        let minW = Float(settings.minWeight)
        var links = [Link]()
        links.reserveCapacity(edges.count)
        for e in edges where e.w >= minW && !isCannotLink(e.i, e.j) {
            links.append(Link(left: store.ids[Int(e.i)], right: store.ids[Int(e.j)], matchProbability: probability(fromWeight: Double(e.w))))
        }
        var roots = Set<Int32>()
        for r in clusters.root { roots.insert(r) }
        let report = BatchReport(records: store.count, blocking: reports, training: trainingReport, pairsScored: scored,
                                 links: links.count, clusters: roots.count, mergesRejectedByCoherence: stats.coherence,
                                 mergesRejectedByFeedback: stats.feedback, seconds: seconds)
        return (self, links, report)
    }

    /// Score every pair the blocking rules produce (each pair once), on all cores; keep the
    /// pairs at or above the threshold.
    func scoreAllBlockedPairs(progress: (@Sendable (String, Double) -> Void)?) -> ([Edge], [BlockingReport], Int) {
        let minW = Float(settings.minWeight)
        var reports = [BlockingReport]()
        var allEdges = [Edge]()
        var scored = 0
        let store = self.store, scorer = self.scorer, blocks = self.blocks
        let ruleRuns = blocks.rules.indices.map { blocks.runs($0) }
        let grandTotal = max(1, ruleRuns.reduce(0) { $0 + $1.runs.reduce(0) { $0 + ($1.1 - $1.0) * ($1.1 - $1.0 - 1) / 2 } })
        var done = 0
        for r in blocks.rules.indices {
            let (runs, skipped, skippedRecords) = ruleRuns[r]
            let total = runs.reduce(0) { $0 + ($1.1 - $1.0) * ($1.1 - $1.0 - 1) / 2 }
            // Split runs into chunks of similar pair counts for the worker threads.
            var chunks = [[(Int, Int)]]()
            let target = max(20_000, total / 64)
            var cur = [(Int, Int)](), curPairs = 0
            for run in runs {
                cur.append(run); curPairs += (run.1 - run.0) * (run.1 - run.0 - 1) / 2
                if curPairs >= target { chunks.append(cur); cur = []; curPairs = 0 }
            }
            if !cur.isEmpty { chunks.append(cur) }
            let sink = EdgeSink(chunks: chunks.count)
            let recs = blocks.sortedRecords[r]
            let work = chunks
            DispatchQueue.concurrentPerform(iterations: work.count) { c in
                var local = [Edge](), newPairs = 0
                for (a, b) in work[c] {
                    for x in a..<(b - 1) {
                        let i = Int(recs[x])
                        for y in (x + 1)..<b {
                            let j = Int(recs[y])
                            if blocks.coveredBefore(r, i, j) { continue }
                            newPairs += 1
                            let w = Float(scorer.weight(store, i, j))
                            if w >= minW { local.append(Edge(i: Int32(min(i, j)), j: Int32(max(i, j)), w: w)) }
                        }
                    }
                }
                sink.put(c, local, newPairs)
            }
            let (edges, newPairs) = sink.take()
            allEdges.append(contentsOf: edges)
            scored += newPairs
            done += total
            progress?("scoring", Double(done) / Double(grandTotal))
            reports.append(BlockingReport(rule: blocks.rules[r].name, pairs: total, newPairs: newPairs,
                                          skippedBlocks: skipped, skippedRecords: skippedRecords))
        }
        return (allEdges, reports, scored)
    }

    func isCannotLink(_ i: Int32, _ j: Int32) -> Bool { clusters.cannotLink[i]?.contains(j) ?? false }

    /// Greedy clustering, strongest links first, with the coherence and feedback checks.
    mutating func clusterEdges(_ edges: [Edge]) -> (coherence: Int, feedback: Int) {
        applyFeedbackConstraints()
        var sorted = edges
        sorted.sort { $0.w != $1.w ? $0.w > $1.w : ($0.i != $1.i ? $0.i < $1.i : $0.j < $1.j) }
        var rejectedC = 0, rejectedF = 0
        for e in sorted {
            switch tryMerge(e.i, e.j) {
            case .merged, .same: break
            case .incoherent: rejectedC += 1
            case .forbidden: rejectedF += 1
            }
        }
        return (rejectedC, rejectedF)
    }

    enum MergeResult { case merged, same, incoherent, forbidden }

    /// Merge the clusters of i and j if the feedback allows it and the clusters agree as a whole.
    mutating func tryMerge(_ i: Int32, _ j: Int32) -> MergeResult {
        let a = clusters.root[Int(i)], b = clusters.root[Int(j)]
        if a == b { return .same }
        if clusters.cannotMerge(a, b) { return .forbidden }
        let ma = clusters.membersOf(a), mb = clusters.membersOf(b)
        if ma.count + mb.count > 2 {
            // Mean probability over cross pairs, sampled evenly when the clusters are large.
            let limit = settings.coherenceSample
            let stepA = max(1, ma.count * mb.count > limit ? ma.count / max(1, Int(Double(limit).squareRoot())) : 1)
            let stepB = max(1, ma.count * mb.count > limit ? mb.count / max(1, Int(Double(limit).squareRoot())) : 1)
            var sum = 0.0, n = 0
            var x = 0
            while x < ma.count {
                var y = 0
                while y < mb.count {
                    sum += scorer.probability(store, Int(ma[x]), Int(mb[y])); n += 1
                    y += stepB
                }
                x += stepA
            }
            if n > 0 && sum / Double(n) < settings.coherence { return .incoherent }
        }
        clusters.union(a, b)
        return .merged
    }

    /// Turn the feedback log into constraints on the records present, merging must-links.
    mutating func applyFeedbackConstraints() {
        clusters.mustLink = [:]; clusters.cannotLink = [:]
        for f in feedback.entries {
            switch f {
            case .notSame(let a, let b):
                guard let i = store.idIndex[a], let j = store.idIndex[b] else { continue }
                clusters.cannotLink[i, default: []].insert(j); clusters.cannotLink[j, default: []].insert(i)
            case .sameEntity(let a, let b):
                guard let i = store.idIndex[a], let j = store.idIndex[b] else { continue }
                clusters.mustLink[i, default: []].append(j); clusters.mustLink[j, default: []].append(i)
            case .splitOut:
                continue
            }
        }
        // Must-links are applied before isolation so a confirmed pair stays together.
        var isolate = Set<Int32>()
        for f in feedback.entries { if case .splitOut(let a) = f, let i = store.idIndex[a] { isolate.insert(i) } }
        // Later decisions win: a "same" after a "not the same" lifts the cannot-link.
        for (i, js) in clusters.mustLink { for j in js { clusters.cannotLink[i]?.remove(j) } }
        for (i, js) in clusters.mustLink.sorted(by: { $0.key < $1.key }) {
            for j in js {
                let a = clusters.root[Int(i)], b = clusters.root[Int(j)]
                if a != b && !clusters.cannotMerge(a, b) { clusters.union(a, b) }
            }
        }
        clusters.isolated = isolate
    }

    // MARK: incremental

    /// Add one record: normalise it, block it, score it against every earlier record that
    /// shares a block, and join it to clusters. No batch re-run.
    @discardableResult
    public mutating func add(_ raw: RawRecord) -> AddOutcome {
        add(NormalisedRecord(raw, referenceYear: referenceYear))
    }

    @discardableResult
    public mutating func add(_ record: NormalisedRecord) -> AddOutcome {
        let idx = store.append(record)
        clusters.appendSingleton(group: store.group[idx])
        blocks.add(store, idx)
        let i32 = Int32(idx)
        // Constraints from earlier feedback that mention this id.
        for f in feedback.entries {
            switch f {
            case .notSame(let a, let b) where a == record.id || b == record.id:
                if let o = store.idIndex[a == record.id ? b : a], o != i32 {
                    clusters.cannotLink[i32, default: []].insert(o); clusters.cannotLink[o, default: []].insert(i32)
                }
            case .sameEntity(let a, let b) where a == record.id || b == record.id:
                if let o = store.idIndex[a == record.id ? b : a], o != i32 {
                    clusters.mustLink[i32, default: []].append(o); clusters.mustLink[o, default: []].append(i32)
                    let ra = clusters.root[idx], rb = clusters.root[Int(o)]
                    if ra != rb && !clusters.cannotMerge(ra, rb) { clusters.union(ra, rb) }
                }
            case .splitOut(let a) where a == record.id:
                clusters.isolated.insert(i32)
            default: break
            }
        }
        let candidates = blocks.candidates(store, idx)
        let minW = settings.minWeight
        var edges = [(Int32, Double)]()
        for c in candidates {
            let w = scorer.weight(store, idx, Int(c))
            if w >= minW { edges.append((c, w)) }
        }
        edges.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        // Re-cluster the neighbourhood (the new record and every cluster it links to) as a
        // batch run would, strongest links first, so the order records arrive in does not
        // decide who ends up with whom. Very large neighbourhoods fall back to joining greedily.
        var hood: Set<Int32> = [i32]
        for (c, _) in edges { hood.formUnion(clusters.membersOf(clusters.root[Int(c)])) }
        if hood.count > 1 && hood.count <= 64 {
            recluster(hood.sorted())
        } else {
            for (c, _) in edges where !isCannotLink(i32, c) { _ = tryMerge(i32, c) }
        }
        return AddOutcome(id: record.id, clusterID: clusterID(ofIndex: idx),
                          links: edges.filter { !isCannotLink(i32, $0.0) }.map {
                              Link(left: record.id, right: store.ids[Int($0.0)], matchProbability: probability(fromWeight: $0.1)) },
                          candidatesScored: candidates.count)
    }

    // MARK: queries

    func clusterID(ofIndex i: Int) -> String {
        let m = clusters.membersOf(clusters.root[i])
        return store.ids[Int(m.min() ?? Int32(i))]
    }

    /// The cluster id of a record: the id of the earliest record in its cluster.
    public func clusterID(of id: String) -> String? {
        store.idIndex[id].map { clusterID(ofIndex: Int($0)) }
    }

    /// All record ids in the same cluster as `id` (itself included), in input order.
    public func clusterMembers(of id: String) -> [String] {
        guard let i = store.idIndex[id] else { return [] }
        return clusters.membersOf(clusters.root[Int(i)]).sorted().map { store.ids[Int($0)] }
    }

    /// Cluster ids for every record, in input order.
    public func clusterAssignments() -> [(id: String, clusterID: String)] {
        var minOf = [Int32: Int32]()
        for (r, m) in clusters.members { minOf[r] = m.min() }
        return store.ids.indices.map { i in
            let r = clusters.root[i]
            return (store.ids[i], store.ids[Int(minOf[r] ?? Int32(i))])
        }
    }

    /// The term-by-term explanation of how two records compare.
    public func explain(_ a: String, _ b: String) -> MatchExplanation? {
        guard let i = store.idIndex[a], let j = store.idIndex[b] else { return nil }
        return scorer.explain(store, Int(i), Int(j))
    }

    // MARK: feedback

    /// Record an analyst's decision and apply it to the clusters now; it is kept in
    /// `feedback` so later batch runs respect it too.
    public mutating func apply(_ f: Feedback) {
        feedback.entries.append(f)
        switch f {
        case .sameEntity(let a, let b):
            guard let i = store.idIndex[a], let j = store.idIndex[b] else { return }
            clusters.cannotLink[i]?.remove(j); clusters.cannotLink[j]?.remove(i)
            clusters.mustLink[i, default: []].append(j); clusters.mustLink[j, default: []].append(i)
            let ra = clusters.root[Int(i)], rb = clusters.root[Int(j)]
            // Two people of one report stay two people, even when confirmed through others.
            if ra != rb && !clusters.groupsClash(clusters: ra, rb) { clusters.union(ra, rb) }
        case .notSame(let a, let b):
            guard let i = store.idIndex[a], let j = store.idIndex[b] else { return }
            clusters.cannotLink[i, default: []].insert(j); clusters.cannotLink[j, default: []].insert(i)
            if clusters.root[Int(i)] == clusters.root[Int(j)] { recluster(clusters.membersOf(clusters.root[Int(i)])) }
        case .splitOut(let a):
            guard let i = store.idIndex[a] else { return }
            let members = clusters.membersOf(clusters.root[Int(i)])
            clusters.isolated.insert(i)
            // Earlier confirmations involving this record no longer hold.
            for m in clusters.mustLink[i] ?? [] { clusters.mustLink[m]?.removeAll { $0 == i } }
            clusters.mustLink[i] = nil
            recluster(members)
        }
    }

    /// Take a record out of its cluster; it stays alone in later runs unless confirmed.
    public mutating func splitOut(_ id: String) { apply(.splitOut(id)) }

    /// Re-cluster a set of records from their pairwise scores under the current constraints.
    mutating func recluster(_ records: [Int32]) {
        clusters.reset(records)
        let isolated = clusters.isolated
        clusters.isolated = []
        for x in records {
            for y in clusters.mustLink[x] ?? [] where records.contains(y) {
                let a = clusters.root[Int(x)], b = clusters.root[Int(y)]
                if a != b && !clusters.cannotMerge(a, b) { clusters.union(a, b) }
            }
        }
        clusters.isolated = isolated
        var edges = [Edge]()
        let minW = settings.minWeight
        for (p, x) in records.enumerated() {
            // Only pairs that share a block, as in a batch run.
            for y in records[(p + 1)...] where blocks.coveredBefore(blocks.rules.count, Int(x), Int(y)) {
                let w = scorer.weight(store, Int(x), Int(y))
                if w >= minW { edges.append(Edge(i: min(x, y), j: max(x, y), w: Float(w))) }
            }
        }
        edges.sort { $0.w != $1.w ? $0.w > $1.w : ($0.i != $1.i ? $0.i < $1.i : $0.j < $1.j) }
        for e in edges { _ = tryMerge(e.i, e.j) }
    }
}

/// Collects each worker's edges; written once per chunk under a lock.
final class EdgeSink: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [[Edge]]
    private var pairs = 0
    init(chunks: Int) { parts = Array(repeating: [], count: chunks) }
    func put(_ c: Int, _ edges: [Edge], _ n: Int) {
        lock.lock(); parts[c] = edges; pairs += n; lock.unlock()
    }
    func take() -> ([Edge], Int) {
        lock.lock(); defer { lock.unlock() }
        return (parts.flatMap { $0 }, pairs)
    }
}
