import Foundation
import Testing
@testable import Linkage

@Suite("Clustering and the incremental index")
struct ClusteringTests {
    /// An HMO: six unrelated people at one address sharing a controller's phone, each reported
    /// twice; plus a family of three sharing surname, address and phone.
    static let house: [RawRecord] = {
        var r = [RawRecord]()
        let people = [("Ardit", "Gashi", "12/01/1995"), ("Ion", "Popescu", "03/04/1988"), ("Minh", "Nguyen", "1999"),
                      ("Piotr", "Nowak", "22/11/1979"), ("Mohammed", "Osman", ""), ("Yohannes", "Tekle", "05/06/2001")]
        for (k, p) in people.enumerated() {
            r.append(Fixture.rec("h\(k)a", p.0, p.1, dob: p.2, address: "Flat \(k + 1), 40 Stanley Road", postcode: "B21 9QS", phone: "07700 900555"))
            r.append(Fixture.rec("h\(k)b", p.0.uppercased(), p.1.uppercased(), dob: p.2, address: "40 Stanley Rd", postcode: "b219qs", phone: "+44 7700 900555"))
        }
        for (k, g) in ["Sarah", "Jessica", "Emily"].enumerated() {
            r.append(Fixture.rec("f\(k)", g, "Walker", dob: "0\(k + 1)/02/200\(k)", address: "7 Elm Grove", postcode: "LS8 2JX", phone: "0113 496 0000"))
        }
        return r
    }()

    @Test func coResidentsAreNotMerged() {
        let index = Fixture.batch(Self.house)
        for k in 0..<6 {
            #expect(index.clusterMembers(of: "h\(k)a") == ["h\(k)a", "h\(k)b"], "person \(k)")
        }
        for k in 0..<3 { #expect(index.clusterMembers(of: "f\(k)") == ["f\(k)"], "family member \(k)") }
    }

    @Test func nicknameTyposAndSwapsAreMerged() {
        let records = Self.variants
        let index = Fixture.batch(records)
        #expect(index.clusterMembers(of: "a") == ["a", "b", "c", "d"])
        #expect(index.clusterMembers(of: "e") == ["e", "f"])
        #expect(index.clusterMembers(of: "g") == ["g", "h"])
        #expect(index.clusterMembers(of: "z") == ["z"])
    }

    @Test func oneBadLinkDoesNotChainTwoPeople() {
        // Two different John Smiths, each well attested; a vague record that looks like both.
        var records = [RawRecord]()
        for k in 0..<3 {
            records.append(Fixture.rec("a\(k)", "John", "Smith", dob: "01/01/1980", address: "1 Oak Road", postcode: "NG7 1AA", phone: "07700 111111"))
            records.append(Fixture.rec("b\(k)", "John", "Smith", dob: "09/09/1995", address: "99 Mill Lane", postcode: "BS5 0AA", phone: "07700 222222"))
        }
        records.append(Fixture.rec("x", "John", "Smith", dob: "1980", address: "99 Mill Lane", postcode: "BS5 0AA", phone: "07700 111111"))
        let index = Fixture.batch(records)
        #expect(index.clusterID(of: "a0") != index.clusterID(of: "b0"))
        #expect(index.clusterMembers(of: "a0").filter { $0.hasPrefix("a") } == ["a0", "a1", "a2"])
        #expect(index.clusterMembers(of: "b0").filter { $0.hasPrefix("b") } == ["b0", "b1", "b2"])
    }

    static let variants = [
        Fixture.rec("a", "William", "Smith", dob: "14/03/1990", address: "12 High St", postcode: "M14 5AB"),
        Fixture.rec("b", "Bill", "Smith", dob: "1990-03-14", postcode: "M14 5AB"),
        Fixture.rec("c", "Smith", "William", dob: "14 March 1990"),
        Fixture.rec("d", "Wiliam", "Smtih", dob: "14/03/1990", phone: "07700 900123"),
        Fixture.rec("e", "Mohamed", "Hussain", dob: "01/01/1985", postcode: "E1 6AN"),
        Fixture.rec("f", "Muhammad", "Hussein", dob: "1985", postcode: "E16AN"),
        Fixture.rec("g", "Łukasz", "Wójcik", dob: "07/07/1992"),
        Fixture.rec("h", "LUKASZ", "WOJCIK", dob: "7/7/92"),
        Fixture.rec("z", "Wendy", "Smith", dob: "02/09/1961", postcode: "M14 5AB"),
    ]

    @Test func incrementalAddGivesTheSameClustersAsBatch() {
        let records = Self.variants + Self.house
        let batch = Fixture.batch(records)
        // Arrival order must not matter: forwards and backwards give the batch answer.
        for order in [records, records.reversed()] {
            var incremental = LinkageIndex(model: Fixture.model)
            for r in order { incremental.add(r) }
            #expect(Fixture.partition(incremental.clusterAssignments()) == Fixture.partition(batch.clusterAssignments()))
            #expect(incremental.count == records.count)
        }
    }

    @Test func incrementalAgreesWithBatchOnGeneratedData() {
        let rows = PersonGenerator(seed: 9).rows(count: 300)
        let records = rows.map { r in
            Fixture.rec(r.recordID, r.givenName, r.familyName, dob: r.dateOfBirth, address: r.address,
                        postcode: r.postcode, phone: r.phone, email: r.email, town: r.town)
        }
        let batch = Fixture.batch(records)
        var incremental = LinkageIndex(model: Fixture.model)
        for r in records { incremental.add(r) }
        // Greedy clustering can differ at the margins with arrival order; the same-cluster
        // pairs of the two runs must agree almost entirely.
        func pairs(_ a: [(id: String, clusterID: String)]) -> Set<String> {
            var groups = [String: [String]]()
            for x in a { groups[x.clusterID, default: []].append(x.id) }
            var out = Set<String>()
            for g in groups.values { for x in g { for y in g where x < y { out.insert(x + "|" + y) } } }
            return out
        }
        let a = pairs(incremental.clusterAssignments()), b = pairs(batch.clusterAssignments())
        let agreement = Double(a.intersection(b).count) / Double(max(1, a.union(b).count))
        #expect(agreement > 0.97, "agreement \(agreement)")
    }

    @Test func addReportsLinksAndCluster() {
        var index = LinkageIndex(model: Fixture.model)
        index.add(Fixture.rec("r1", "Ion", "Popa", dob: "02/02/1990", phone: "07700 333444"))
        index.add(Fixture.rec("r2", "Maria", "Rusu", dob: "03/03/1991"))
        let out = index.add(Fixture.rec("r3", "ION", "POPA", dob: "1990-02-02", phone: "+447700333444"))
        #expect(out.clusterID == "r1")
        #expect(out.links.map(\.right) == ["r1"])
        #expect(out.links[0].matchProbability > 0.99)
        let e = index.explain("r3", "r1")
        #expect(e?.terms.first { $0.comparison == "contact" }?.level == "same phone")
    }

    @Test func feedbackIsRespectedNowAndInLaterRuns() {
        let records = [
            Fixture.rec("a", "John", "Smith", dob: "01/01/1980", postcode: "NG7 1AA"),
            Fixture.rec("b", "John", "Smith", dob: "01/01/1980", postcode: "NG7 1AA"),
            Fixture.rec("c", "Jon", "Smith", dob: "1980", postcode: "NG7 1AA"),
            Fixture.rec("d", "Peter", "Jones", dob: "05/05/1975"),
            Fixture.rec("e", "P", "Jones"),
        ]
        var index = Fixture.batch(records)
        #expect(index.clusterMembers(of: "a") == ["a", "b", "c"])
        #expect(index.clusterMembers(of: "d") == ["d"])

        // "Not the same": a and b are split, and c goes with one of them at most.
        index.apply(.notSame("a", "b"))
        #expect(index.clusterID(of: "a") != index.clusterID(of: "b"))
        // Confirm: d and e are the same person.
        index.apply(.sameEntity("d", "e"))
        #expect(index.clusterMembers(of: "d") == ["d", "e"])
        // Split c out of whatever cluster it is in.
        index.splitOut("c")
        #expect(index.clusterMembers(of: "c") == ["c"])

        // A later batch run with the stored feedback gives the same answer.
        let data = try? JSONEncoder().encode(index.feedback)
        let stored = try? JSONDecoder().decode(FeedbackLog.self, from: data ?? Data())
        let rerun = Fixture.batch(records, feedback: stored ?? FeedbackLog())
        #expect(rerun.clusterID(of: "a") != rerun.clusterID(of: "b"))
        #expect(rerun.clusterMembers(of: "d") == ["d", "e"])
        #expect(rerun.clusterMembers(of: "c") == ["c"])

        // And an incremental index built record by record honours it as records arrive.
        var live = LinkageIndex(model: Fixture.model, feedback: stored ?? FeedbackLog())
        for r in records { live.add(r) }
        #expect(live.clusterID(of: "a") != live.clusterID(of: "b"))
        #expect(live.clusterMembers(of: "d") == ["d", "e"])
    }

    @Test func oversizeBlocksAreSkippedAndReported() {
        var settings = LinkSettings()
        settings.maxBlockSize = 5
        let records = (0..<8).map { Fixture.rec("r\($0)", "Name\($0)", "Other\($0)", phone: "07700 900000") }
        let result = LinkageIndex.batch(records.map { NormalisedRecord($0) }, model: Fixture.model, train: false, settings: settings)
        let phone = result.report.blocking.first { $0.rule == "phone" }
        #expect(phone?.skippedBlocks == 1 && phone?.skippedRecords == 8 && phone?.pairs == 0)
    }

    @Test func generatorIsDeterministic() {
        let a = PersonGenerator(seed: 1).rows(count: 300), b = PersonGenerator(seed: 1).rows(count: 300)
        let c = PersonGenerator(seed: 2).rows(count: 300)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == 300)
        #expect(Set(a.map(\.trueID)).count < 300)   // some people appear more than once
    }
}
