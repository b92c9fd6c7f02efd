import Foundation

/// Computes comparison levels and match weights for pairs of records in a store.
/// Built from a model; cheap to rebuild when the model changes.
public struct Scorer: Sendable {
    public let model: LinkageModel
    /// weights[c][l] = log2(m/u), 0 for the missing level.
    let weights: [[Double]]
    let uExact: [Double]
    /// u per comparison and level, and the family-name exact level's m and u (hot-path copies).
    let uTable: [[Double]]
    let termFrequency: [[Bool]]
    let familyExactM: Double, familyExactU: Double
    let closeSim: Double, farSim: Double

    public init(model: LinkageModel) {
        self.model = model
        weights = model.comparisons.map { c in c.levels.enumerated().map { $0.offset == 0 ? 0 : $0.element.weight } }
        uExact = model.comparisons.map { c in c.levels.count > 1 ? max(c.levels[1].u, 1e-12) : 1 }
        closeSim = model.closeSimilarity; farSim = model.farSimilarity
        uTable = model.comparisons.map { $0.levels.map(\.u) }
        termFrequency = model.comparisons.map { $0.levels.map(\.termFrequency) }
        familyExactM = model.comparisons.count > 1 && model.comparisons[1].levels.count > 1 ? model.comparisons[1].levels[1].m : 1
        familyExactU = model.comparisons.count > 1 && model.comparisons[1].levels.count > 1 ? model.comparisons[1].levels[1].u : 1
    }

    // MARK: levels

    @inline(__always)
    func givenLevel(_ s: RecordStore, _ a: Int32, _ a2: Int32, _ b: Int32, _ b2: Int32) -> UInt8 {
        if a < 0 || b < 0 { return 0 }
        if a == b { return 1 }
        let ca = s.canonical[Int(a)], cb = s.canonical[Int(b)]
        if ca == cb || (a2 >= 0 && s.canonical[Int(a2)] == cb) || (b2 >= 0 && s.canonical[Int(b2)] == ca) { return 2 }
        let x = s.names.bytes[Int(ca)], y = s.names.bytes[Int(cb)]
        // An initial agrees with any name starting with that letter, but only weakly.
        if x.count == 1 || y.count == 1 { return x.first == y.first ? 4 : 5 }
        // Compare as written and as canonical (JOMIE is a typo of JAMIE, not of JAMES).
        var jw = Similarity.jaroWinkler(x, y)
        if ca != a || cb != b { jw = max(jw, Similarity.jaroWinkler(s.names.bytes[Int(a)], s.names.bytes[Int(b)])) }
        if jw >= closeSim { return 3 }
        if jw >= farSim || s.phonetic[Int(ca)] == s.phonetic[Int(cb)] { return 4 }
        return 5
    }

    @inline(__always)
    func familyLevel(_ s: RecordStore, _ a: Int32, _ b: Int32) -> UInt8 {
        if a < 0 || b < 0 { return 0 }
        if a == b { return 1 }
        let x = s.names.bytes[Int(a)], y = s.names.bytes[Int(b)]
        let jw = Similarity.jaroWinkler(x, y)
        if jw >= closeSim { return 2 }
        // One slip in a name of four letters or more (SMITH/SMYTH, NOWAK/NOVAK); such pairs
        // always have a Jaro–Winkler above 0.7, so the cheaper test screens first.
        if jw >= 0.7 && min(x.count, y.count) >= 4 && Similarity.editDistance(x, y, limit: 1) <= 1 { return 2 }
        if jw >= farSim || s.phonetic[Int(a)] == s.phonetic[Int(b)] { return 3 }
        // Double-barrelled: SMITHJONES vs JONES.
        if x.count >= 4 && y.count >= 4 && x.count != y.count {
            let (short, long) = x.count < y.count ? (x, y) : (y, x)
            if long.starts(with: short) || long.reversed().starts(with: short.reversed()) { return 3 }
        }
        return 4
    }

    @inline(__always)
    func dobLevel(_ s: RecordStore, _ i: Int, _ j: Int) -> UInt8 {
        let yi = s.dobYear[i], yj = s.dobYear[j]
        if yi == 0 || yj == 0 { return 0 }
        let ti = s.dobYearTo[i], tj = s.dobYearTo[j]
        let mi = s.dobMonth[i], mj = s.dobMonth[j], di = s.dobDay[i], dj = s.dobDay[j]
        let fullI = ti == yi && mi != 0 && di != 0, fullJ = tj == yj && mj != 0 && dj != 0
        if fullI && fullJ {
            if yi == yj && mi == mj && di == dj { return 1 }
            var differing = 0
            if yi != yj { differing += 1 }
            if mi != mj { differing += 1 }
            if di != dj { differing += 1 }
            if differing == 1 {
                // A year typo is one or two digits off, not decades.
                if yi != yj { return Self.digitTypo(Int(yi), Int(yj)) ? 2 : 4 }
                return 2
            }
            if yi == yj && mi == dj && di == mj { return 2 }  // day and month transposed
            return 4
        }
        // At least one side is partial or a range: consistent on what both know?
        if ti < yj || tj < yi { return 4 }
        if ti == yi && tj == yj && mi != 0 && mj != 0 && mi != mj { return 4 }
        if ti == yi && tj == yj && mi != 0 && mj != 0 && di != 0 && dj != 0 && di != dj { return 4 }
        return 3
    }

    static func digitTypo(_ a: Int, _ b: Int) -> Bool {
        let x = Array(String(a).utf8), y = Array(String(b).utf8)
        return Similarity.editDistance(x, y, limit: 1) <= 1
    }

    @inline(__always)
    func contactLevel(_ s: RecordStore, _ i: Int, _ j: Int) -> (level: UInt8, tfValue: Int32, pool: UInt8) {
        let pi = s.phone[i], pj = s.phone[j], ai = s.address[i], aj = s.address[j]
        let ci = s.postcode[i], cj = s.postcode[j]
        let samePhone = pi >= 0 && pi == pj
        let sameAddress = ai >= 0 && ai == aj
        let samePostcode = ci >= 0 && ci == cj
        if samePhone && !s.phones.isShared(pi) {
            if (sameAddress && !s.addresses.isShared(ai)) || (samePostcode && !s.postcodes.isShared(ci)) { return (1, pi, 1) }
            return (2, pi, 1)
        }
        if sameAddress && !s.addresses.isShared(ai) { return (3, ai, 2) }
        if samePhone || sameAddress { return (4, -1, 0) }
        if samePostcode { return (5, ci, 3) }
        let di = s.district[i], dj = s.district[j], wi = s.town[i], wj = s.town[j]
        if (di >= 0 && di == dj) || (wi >= 0 && wi == wj) { return (6, -1, 0) }
        let comparable = (pi >= 0 && pj >= 0) || (ci >= 0 && cj >= 0) || (ai >= 0 && aj >= 0)
            || (di >= 0 && dj >= 0) || (wi >= 0 && wj >= 0)
        return (comparable ? 7 : 0, -1, 0)
    }

    @inline(__always)
    func emailLevel(_ s: RecordStore, _ i: Int, _ j: Int) -> UInt8 {
        let a = s.email[i], b = s.email[j]
        if a < 0 || b < 0 { return 0 }
        if a == b { return 1 }
        return s.emailLocal[i] == s.emailLocal[j] ? 2 : 3
    }

    @inline(__always)
    func otherLevel(_ s: RecordStore, _ a: Int32, _ b: Int32, business: Bool) -> UInt8 {
        if a < 0 || b < 0 { return 0 }
        if a == b { return 1 }
        let x = s.others.bytes[Int(a)], y = s.others.bytes[Int(b)]
        if business { return Similarity.jaroWinkler(x, y) >= 0.9 ? 2 : 3 }
        return Similarity.editDistance(x, y, limit: 1) <= 1 ? 2 : 3
    }

    /// The level vector for a pair, with the names compared in whichever order fits better
    /// (given and family names are often swapped in reports).
    public func levels(_ s: RecordStore, _ i: Int, _ j: Int) -> (levels: LevelVector, swapped: Bool, contactValue: Int32, contactPool: UInt8) {
        var v = LevelVector(repeating: 0)
        let gi = s.given[i], gj = s.given[j], fi = s.family[i], fj = s.family[j]
        var g = givenLevel(s, gi, s.given2[i], gj, s.given2[j])
        var f = familyLevel(s, fi, fj)
        var swapped = false
        // Try the crosswise order only when it could win: a cross pair starts with the same
        // letter or sounds alike (this skips most pairs and their string comparisons).
        if g > 2 || f > 2, gi >= 0, fj >= 0, fi >= 0, gj >= 0,
           s.names.bytes[Int(gi)].first == s.names.bytes[Int(fj)].first || s.names.bytes[Int(fi)].first == s.names.bytes[Int(gj)].first
            || s.phonetic[Int(gi)] == s.phonetic[Int(fj)] || s.phonetic[Int(fi)] == s.phonetic[Int(gj)] {
            let sg = familyLevel(s, gi, fj), sf = familyLevel(s, fi, gj)
            // Map family-style levels onto given-style levels for the swapped given name.
            let sgGiven: UInt8 = sg == 1 ? 1 : (sg == 2 ? 3 : (sg == 3 ? 4 : 5))
            if weights[0][Int(sgGiven)] + weights[1][Int(sf)] > weights[0][Int(g)] + weights[1][Int(f)] {
                g = sgGiven; f = sf; swapped = true
            }
        }
        v[0] = g; v[1] = f
        v[2] = dobLevel(s, i, j)
        let c = contactLevel(s, i, j)
        v[3] = c.level
        v[4] = emailLevel(s, i, j)
        v[5] = otherLevel(s, s.vehicle[i], s.vehicle[j], business: false)
        v[6] = otherLevel(s, s.business[i], s.business[j], business: true)
        v[7] = otherLevel(s, s.username[i], s.username[j], business: false)
        return (v, swapped, c.tfValue, c.pool)
    }

    // MARK: weights

    /// Term-frequency adjustment in bits for an exact agreement on a value held by `count`
    /// of `total` records: rare values are stronger evidence than the level's average, common
    /// ones weaker.
    @inline(__always)
    func tfAdjustment(comparison c: Int, level: Int, count: Int32, total: Int, penaltyOnly: Bool) -> Double {
        // Frequencies from a handful of records are noise (in five records every value is "common").
        guard total >= model.minRecordsForTermFrequency, count > 0 else { return 0 }
        let u = uTable[c][level]
        let tf = Double(count) / Double(total)
        var adj = log2(max(u, 1e-12) / tf)
        if penaltyOnly { adj = min(0, adj) }
        return min(max(adj, -model.maxTermFrequencyPenalty), model.maxTermFrequencyBonus)
    }

    /// Per-comparison weights (including term-frequency adjustment) for a pair.
    @inline(__always)
    func termWeights(_ s: RecordStore, _ i: Int, _ j: Int, _ l: (levels: LevelVector, swapped: Bool, contactValue: Int32, contactPool: UInt8))
        -> (base: SIMD8<Double>, tf: SIMD8<Double>, nameFrequency: Double) {
        var base = SIMD8<Double>(repeating: 0), tf = SIMD8<Double>(repeating: 0)
        var nameFrequency = 0.0
        let n = min(8, weights.count)
        for c in 0..<n { base[c] = weights[c][Int(l.levels[c])] }
        // A mailbox name is often the person's name, so once the names agree a shared
        // mailbox name at different providers adds little (an identical address still counts).
        if l.levels[4] == 2 && (l.levels[0] == 1 || l.levels[0] == 2) && l.levels[1] == 1 {
            base[4] = min(base[4], 1)
        }
        if Self.household(l.levels) {
            base[1] = min(base[1], log2(max(familyExactM, 1e-9) / max(familyExactU, model.householdFamilyAgreement)))
        }
        // When names were compared crosswise a value's frequency is counted over both columns.
        if l.levels[0] == 1 {
            let g = Int(s.given[i])
            let cnt = l.swapped ? s.givenCount[g] + s.familyCount[g] : s.givenCount[g]
            let total = l.swapped ? s.givenRecords + s.familyRecords : s.givenRecords
            tf[0] = tfAdjustment(comparison: 0, level: 1, count: cnt, total: total, penaltyOnly: false)
        }
        if l.levels[1] == 1 {
            let f = Int(s.family[i])
            let cnt = l.swapped ? s.givenCount[f] + s.familyCount[f] : s.familyCount[f]
            let total = l.swapped ? s.givenRecords + s.familyRecords : s.familyRecords
            tf[1] = tfAdjustment(comparison: 1, level: 1, count: cnt, total: total, penaltyOnly: false)
        }
        // Given and family names are not independent (both follow nationality), so agreeing
        // on a common full name is weaker than the two name terms suggest: weaken by how many
        // other records hold the same full name compared with what independence predicts.
        if (l.levels[0] == 1 || l.levels[0] == 2) && l.levels[1] == 1 {
            let fnI = s.fullName[i]
            if fnI >= 0 && fnI == s.fullName[j] && s.count >= model.minRecordsForTermFrequency {
                let others = Double(max(1, s.fullNames.count[Int(fnI)] - 1))
                let pairTF = others / Double(max(1, s.count))
                let implied = exp2(-(base[0] + tf[0] + base[1] + tf[1])) * (model.comparisons[0].levels[Int(l.levels[0])].m
                    * familyExactM)
                nameFrequency = max(-model.maxTermFrequencyPenalty, min(0, log2(max(implied, 1e-15) / pairTF)))
            }
        }
        let cl = Int(l.levels[3])
        if l.contactValue >= 0 && termFrequency[3][cl] || l.contactPool == 1 {
            // Only ever weaken contact evidence: a value held by many records (a hostel, an
            // agency's phone) says little, but a unique one is already scored by its level.
            let (cnt, total): (Int32, Int) = switch l.contactPool {
                case 1: (s.phones.count[Int(l.contactValue)], s.phoneRecords)
                case 2: (s.addresses.count[Int(l.contactValue)], s.addressRecords)
                default: (s.postcodes.count[Int(l.contactValue)], s.postcodeRecords)
            }
            tf[3] = tfAdjustment(comparison: 3, level: cl, count: cnt, total: total, penaltyOnly: true)
        }
        if Self.contextOnly(s, i, j, l.levels) {
            for c in Self.contactComparisons where base[c] > 0 { base[c] = 0; tf[c] = 0 }
        }
        return (base, tf, nameFrequency)
    }

    /// Contact, email, vehicle, business and username: what a report can record without
    /// saying whose it is.
    static let contactComparisons = [3, 4, 5, 6, 7]

    /// Whether the given or family name at least partly agree (exact, variant, close
    /// spelling, sounds alike or initial for the given name; exact, close spelling or sounds
    /// alike for the family name).
    @inline(__always)
    static func namesAgree(_ v: LevelVector) -> Bool { (v[0] >= 1 && v[0] <= 4) || (v[1] >= 1 && v[1] <= 3) }

    /// Whether the pair's contact agreement must not count: one side's contact details were
    /// recorded for its whole report (the victim's phone may be in the controller's hand, one
    /// e-mail may serve a whole house) and the names do not agree at all. Such details describe
    /// the report, not the person, so they can back a name that agrees but cannot stand in
    /// for one: two different people named in two reports that share a phone stay two people.
    @inline(__always)
    static func contextOnly(_ s: RecordStore, _ i: Int, _ j: Int, _ v: LevelVector) -> Bool {
        (s.contactFromGroup[i] || s.contactFromGroup[j]) && !namesAgree(v)
    }

    /// Same family name and same home or phone: the family-name evidence is discounted.
    @inline(__always)
    static func household(_ v: LevelVector) -> Bool { v[1] == 1 && v[3] >= 1 && v[3] <= 4 }

    /// Total match weight (bits, prior included) for a pair.
    @inline(__always)
    public func weight(_ s: RecordStore, _ i: Int, _ j: Int) -> Double {
        let l = levels(s, i, j)
        let t = termWeights(s, i, j, l)
        return model.priorWeight + (t.base + t.tf).sum() + t.nameFrequency
    }

    public func probability(_ s: RecordStore, _ i: Int, _ j: Int) -> Double {
        Linkage.probability(fromWeight: weight(s, i, j))
    }

    /// The term-by-term explanation of a pair's score.
    public func explain(_ s: RecordStore, _ i: Int, _ j: Int) -> MatchExplanation {
        let l = levels(s, i, j)
        let t = termWeights(s, i, j, l)
        var terms = [ExplanationTerm]()
        for (c, comp) in model.comparisons.enumerated() where c < 8 {
            let lv = Int(l.levels[c])
            // Comparisons with no data on either side are left out of the waterfall.
            if lv == 0 && comp.kind != .givenName && comp.kind != .familyName && comp.kind != .dateOfBirth && comp.kind != .contact { continue }
            var label = c == 1 && lv == 1 && Self.household(l.levels) ? "exact (same household)" : comp.levels[lv].label
            if Self.contactComparisons.contains(c) && lv > 0 && t.base[c] == 0 && Self.contextOnly(s, i, j, l.levels) && comp.levels[lv].weight > 0 {
                label += " (recorded for the whole report; not counted, as the names differ)"
            }
            terms.append(ExplanationTerm(comparison: comp.kind.rawValue, level: label, levelIndex: lv,
                                         levelWeight: t.base[c], termFrequencyAdjustment: t.tf[c]))
        }
        if t.nameFrequency != 0 {
            terms.append(ExplanationTerm(comparison: "full_name_frequency", level: "full name shared by other records",
                                         levelIndex: 0, levelWeight: 0, termFrequencyAdjustment: t.nameFrequency))
        }
        let total = model.priorWeight + (t.base + t.tf).sum() + t.nameFrequency
        return MatchExplanation(left: s.ids[i], right: s.ids[j], priorProbability: model.priorMatchProbability,
                                priorWeight: model.priorWeight, terms: terms, namesSwapped: l.swapped,
                                totalWeight: total, matchProbability: Linkage.probability(fromWeight: total))
    }
}
