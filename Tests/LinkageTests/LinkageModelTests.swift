import Foundation
import Testing
@testable import Linkage

/// Helpers to build small record sets.
enum Fixture {
    static func rec(_ id: String, _ given: String, _ family: String, dob: String = "", address: String = "",
                    postcode: String = "", phone: String = "", email: String = "", town: String = "") -> RawRecord {
        var v: [Field: String] = [:]
        for (f, s) in [(Field.givenName, given), (.familyName, family), (.dateOfBirth, dob), (.address, address),
                       (.postcode, postcode), (.phone, phone), (.email, email), (.town, town)] where !s.isEmpty { v[f] = s }
        return RawRecord(id: id, values: v)
    }

    /// A hand-set model for small sets where training has too little data: the initial
    /// levels and a prior typical of a few thousand records.
    static var model: LinkageModel {
        var m = LinkageModel.initial
        m.priorMatchProbability = 1e-4
        return m
    }

    static func store(_ records: [RawRecord]) -> RecordStore {
        var s = RecordStore()
        for r in records { s.append(NormalisedRecord(r)) }
        return s
    }

    static func partition(_ assignments: [(id: String, clusterID: String)]) -> Set<Set<String>> {
        var groups = [String: Set<String>]()
        for a in assignments { groups[a.clusterID, default: []].insert(a.id) }
        return Set(groups.values)
    }

    static func batch(_ records: [RawRecord], feedback: FeedbackLog = FeedbackLog()) -> LinkageIndex {
        LinkageIndex.batch(records.map { NormalisedRecord($0) }, model: model, train: false, feedback: feedback).index
    }
}

@Suite("Similarity")
struct SimilarityTests {
    @Test func jaroWinklerKnownValues() {
        #expect(abs(Similarity.jaroWinkler(Array("MARTHA".utf8), Array("MARHTA".utf8)) - 0.9611) < 0.001)
        #expect(abs(Similarity.jaroWinkler(Array("DWAYNE".utf8), Array("DUANE".utf8)) - 0.84) < 0.001)
        #expect(Similarity.jaroWinkler(Array("ABC".utf8), Array("XYZ".utf8)) == 0)
        #expect(Similarity.jaroWinkler([], []) == 1)
    }

    @Test func editDistanceCountsTranspositionsOnce() {
        #expect(Similarity.editDistance(Array("SMITH".utf8), Array("SMTIH".utf8)) == 1)
        #expect(Similarity.editDistance(Array("KITTEN".utf8), Array("SITTING".utf8)) == 3)
        #expect(Similarity.editDistance(Array("A".utf8), Array("ABCDEFG".utf8), limit: 2) == 3)
    }
}

@Suite("Comparison levels")
struct ComparisonLevelTests {
    let records = [
        Fixture.rec("a", "William", "Smith", dob: "14/03/1990", address: "12 High St", postcode: "M14 5AB", phone: "07700 900123"),
        Fixture.rec("b", "Bill", "Smith", dob: "1990-03-14", address: "12 High Street", postcode: "m145ab", phone: "+44 7700 900123"),
        Fixture.rec("c", "Wiliam", "Smyth", dob: "03/1990", postcode: "M14 9ZZ"),
        Fixture.rec("d", "Smith", "William", dob: "14/04/1990"),
        Fixture.rec("e", "Zofia", "Nowak", dob: "03/14/1990", town: "Leeds"),
        Fixture.rec("f", "", "", dob: ""),
    ]

    @Test func levelsForVariants() {
        let s = Fixture.store(records)
        let scorer = Scorer(model: Fixture.model)
        let ab = scorer.levels(s, 0, 1).levels
        #expect(ab[0] == 2)   // nickname
        #expect(ab[1] == 1)   // exact family
        #expect(ab[2] == 1)   // same date in two formats
        #expect(ab[3] == 1)   // same phone and home
        let ac = scorer.levels(s, 0, 2).levels
        #expect(ac[0] == 3)   // close spelling
        #expect(ac[1] == 2)   // SMITH/SMYTH close
        #expect(ac[2] == 3)   // partial date consistent
        #expect(ac[3] == 6)   // same district only
        let ad = scorer.levels(s, 0, 3)
        #expect(ad.swapped)
        #expect(ad.levels[0] == 1 && ad.levels[1] == 1)
        #expect(ad.levels[2] == 2)   // one part of the date differs
        let ae = scorer.levels(s, 0, 4).levels
        #expect(ae[0] == 5 && ae[1] == 4)
        #expect(ae[2] == 1)   // US-order date recognised
        let af = scorer.levels(s, 0, 5).levels
        #expect(af == LevelVector(repeating: 0))   // nothing to compare: all missing
    }

    @Test func explanationAddsUpAndRoundTrips() throws {
        let s = Fixture.store(records)
        let scorer = Scorer(model: Fixture.model)
        let e = scorer.explain(s, 0, 1)
        let sum = e.priorWeight + e.terms.reduce(0) { $0 + $1.weight }
        #expect(abs(sum - e.totalWeight) < 1e-9)
        #expect(abs(e.matchProbability - scorer.probability(s, 0, 1)) < 1e-12)
        #expect(e.terms.map(\.comparison).starts(with: ["given_name", "family_name", "date_of_birth", "contact"]))
        #expect(e.terms[0].level == "nickname or variant")
        let json = try JSONEncoder().encode(e)
        #expect(try JSONDecoder().decode(MatchExplanation.self, from: json) == e)
        #expect(e.text.contains("given_name: nickname or variant"))
    }

    @Test func sharedContactValuesAreWeakEvidence() {
        // Five unrelated families' members give the same phone: it is a controller's phone.
        var recs = (0..<5).map { Fixture.rec("p\($0)", "Given\($0)", ["Ahmed", "Popescu", "Nowak", "Hoxha", "Tran"][$0], phone: "07700 900999") }
        recs.append(Fixture.rec("x", "Ion", "Popa", phone: "07700 111222"))
        recs.append(Fixture.rec("y", "Ion", "Popa", phone: "07700 111222"))
        let s = Fixture.store(recs)
        let scorer = Scorer(model: Fixture.model)
        #expect(scorer.levels(s, 0, 1).levels[3] == 4)   // shared phone
        #expect(scorer.levels(s, 5, 6).levels[3] == 2)   // a private phone
        #expect(scorer.weight(s, 0, 1) < scorer.weight(s, 5, 6))
    }
}

@Suite("Training")
struct TrainingTests {
    @Test func emConvergesOnGeneratedData() throws {
        let rows = PersonGenerator(seed: 11).rows(count: 2500)
        let records = rows.map { r in
            NormalisedRecord(Fixture.rec(r.recordID, r.givenName, r.familyName, dob: r.dateOfBirth, address: r.address,
                                         postcode: r.postcode, phone: r.phone, email: r.email, town: r.town))
        }
        var settings = LinkSettings()
        settings.uSamplePairs = 50_000
        let (index, _, report) = LinkageIndex.batch(records, settings: settings)
        let training = try #require(report.training)
        #expect(training.emSessions.count >= 2)
        #expect(training.emSessions.allSatisfy { $0.iterations > 0 })
        #expect(training.emSessions.contains { $0.converged }, "\(training.emSessions)")
        let given = index.model.comparisons[0].levels
        #expect(given[1].m > given[5].m)        // matches mostly agree on given name
        #expect(given[1].u < given[5].u)        // non-matches mostly do not
        #expect(index.model.comparisons[2].levels[1].weight > 8)   // an exact date of birth is strong evidence
        #expect(index.model.priorMatchProbability > 1e-6 && index.model.priorMatchProbability < 1e-2)
        // Blocking is reported rule by rule.
        #expect(report.blocking.first?.rule == "names")
        #expect(report.blocking.reduce(0) { $0 + $1.newPairs } == report.pairsScored)
    }

    @Test func accuracyOnGeneratedData() {
        let rows = PersonGenerator(seed: 5).rows(count: 2000)
        let records = rows.map { r in
            NormalisedRecord(Fixture.rec(r.recordID, r.givenName, r.familyName, dob: r.dateOfBirth, address: r.address,
                                         postcode: r.postcode, phone: r.phone, email: r.email, town: r.town))
        }
        var settings = LinkSettings()
        settings.uSamplePairs = 50_000
        let (index, _, _) = LinkageIndex.batch(records, settings: settings)
        let truth = Dictionary(uniqueKeysWithValues: rows.map { ($0.recordID, $0.trueID) })
        var cluster = [String: String]()
        for a in index.clusterAssignments() { cluster[a.id] = a.clusterID }
        var tp = 0, fp = 0, fn = 0
        let ids = rows.map(\.recordID)
        for x in 0..<ids.count {
            for y in (x + 1)..<ids.count {
                let same = truth[ids[x]] == truth[ids[y]], linked = cluster[ids[x]] == cluster[ids[y]]
                if same && linked { tp += 1 } else if linked { fp += 1 } else if same { fn += 1 }
            }
        }
        let precision = Double(tp) / Double(max(1, tp + fp)), recall = Double(tp) / Double(max(1, tp + fn))
        #expect(precision > 0.85, "precision \(precision)")
        #expect(recall > 0.85, "recall \(recall)")
    }
}
