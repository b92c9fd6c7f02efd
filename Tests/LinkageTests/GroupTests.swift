import Foundation
import Testing
@testable import Linkage

/// Records taken from one source document (the people one report names) and contact details
/// recorded for the whole document rather than for one person.
@Suite("Groups and contact details recorded for a whole group")
struct GroupTests {
    /// A report naming a victim and the controller who holds his phone: one phone and one
    /// e-mail address for the report, so both records carry them.
    static func report(_ id: String, flagged: Bool = true) -> [RawRecord] {
        let contact: [Field: String] = [.phone: "07700 900456", .email: "marius.p@example.com", .postcode: "WM1 4AB"]
        return [
            RawRecord(id: "\(id)-marius", values: contact.merging([.fullName: "Marius Popesku", .dateOfBirth: "1984"]) { a, _ in a },
                      group: flagged ? id : nil, contactFromGroup: flagged),
            RawRecord(id: "\(id)-ion", values: contact.merging([.fullName: "Ion Vasile", .dateOfBirth: "2002"]) { a, _ in a },
                      group: flagged ? id : nil, contactFromGroup: flagged),
        ]
    }

    static func probability(_ index: LinkageIndex, _ a: String, _ b: String) -> Double {
        index.explain(a, b)?.matchProbability ?? -1
    }

    @Test func contactRecordedForAReportDoesNotJoinPeopleWhoseNamesDiffer() throws {
        let records = Self.report("r1") + Self.report("r2")
        let (index, links, _) = LinkageIndex.batch(records.map { NormalisedRecord($0) }, model: Fixture.model, train: false)
        // Each person links to their own counterpart, never to the other person.
        #expect(index.clusterMembers(of: "r1-marius") == ["r1-marius", "r2-marius"])
        #expect(index.clusterMembers(of: "r1-ion") == ["r1-ion", "r2-ion"])
        #expect(!links.contains { Set([$0.left, $0.right]) == ["r1-marius", "r2-ion"] || Set([$0.left, $0.right]) == ["r1-ion", "r2-marius"] })
        #expect(Self.probability(index, "r2-marius", "r1-ion") < 0.01)
        // The explanation shows the phone and e-mail, set aside, with no weight.
        let explanation = try #require(index.explain("r2-marius", "r1-ion"))
        let contact = try #require(explanation.terms.first { $0.comparison == "contact" })
        #expect(contact.weight == 0 && contact.level.contains("not counted"))
        let email = try #require(explanation.terms.first { $0.comparison == "email" })
        #expect(email.weight == 0 && email.level.contains("not counted"))

        // With names that partly agree the same details count as before.
        var brother = Self.report("r3")[1]
        brother.values[.fullName] = "Ion Popesku"
        let withFamily = LinkageIndex.batch((Self.report("r1") + [brother]).map { NormalisedRecord($0) }, model: Fixture.model, train: false).index
        let shared = try #require(withFamily.explain("r3-ion", "r1-marius")?.terms.first { $0.comparison == "contact" })
        #expect(shared.weight > 0)
    }

    @Test func personalContactDetailsStillCount() {
        // The engine's own records (a CSV of people, each with their own phone): unchanged.
        let records = Self.report("r1", flagged: false) + Self.report("r2", flagged: false)
        let index = LinkageIndex.batch(records.map { NormalisedRecord($0) }, model: Fixture.model, train: false).index
        #expect(Self.probability(index, "r2-marius", "r1-ion") > 0.5)
    }

    @Test func recordsOfOneGroupAreNeverInOneCluster() throws {
        // Two mentions of one man in one report (a report naming him twice): the strongest
        // possible link, and still two records in two clusters; a third record from another
        // report joins one of them.
        let same: [Field: String] = [.fullName: "Andrei Lupu", .dateOfBirth: "12/05/1990", .phone: "07700 900321"]
        let records = [RawRecord(id: "a1", values: same, group: "A", contactFromGroup: true),
                       RawRecord(id: "a2", values: same, group: "A", contactFromGroup: true),
                       RawRecord(id: "b1", values: same, group: "B", contactFromGroup: true)]
        let batch = LinkageIndex.batch(records.map { NormalisedRecord($0) }, model: Fixture.model, train: false).index
        #expect(batch.clusterID(of: "a1") != batch.clusterID(of: "a2"))
        #expect(batch.clusterMembers(of: "b1").count == 2)

        // Incrementally, in either order, and whatever an analyst confirms.
        for order in [records, records.reversed()] {
            var index = LinkageIndex(model: Fixture.model)
            for r in order { index.add(r) }
            #expect(index.clusterID(of: "a1") != index.clusterID(of: "a2"))
            index.apply(.sameEntity("a1", "b1"))
            index.apply(.sameEntity("a2", "b1"))
            #expect(index.clusterID(of: "a1") != index.clusterID(of: "a2"))
        }
        var confirmed = LinkageIndex.batch(records.map { NormalisedRecord($0) }, model: Fixture.model, train: false,
                                           feedback: FeedbackLog(entries: [.sameEntity("a1", "a2")])).index
        #expect(confirmed.clusterID(of: "a1") != confirmed.clusterID(of: "a2"))
        confirmed.apply(.sameEntity("a1", "a2"))
        #expect(confirmed.clusterID(of: "a1") != confirmed.clusterID(of: "a2"))
    }

    @Test func groupsSurviveEncoding() throws {
        let record = NormalisedRecord(Self.report("r1")[0])
        let decoded = try JSONDecoder().decode(NormalisedRecord.self, from: try JSONEncoder().encode(record))
        #expect(decoded.group == "r1" && decoded.contactFromGroup == true)
        // A record encoded before groups existed decodes as ungrouped, its contact its own.
        var old = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(record)) as? [String: Any])
        old["group"] = nil
        old["contactFromGroup"] = nil
        let plain = try JSONDecoder().decode(NormalisedRecord.self, from: try JSONSerialization.data(withJSONObject: old))
        #expect(plain.group == nil && plain.contactFromGroup == nil)
    }
}
