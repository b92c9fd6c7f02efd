import CairnCore
import FluentKit
import Foundation
import Linkage
import Testing

@testable import Cairn

/// The people one report names are different people, and a phone or e-mail address a report
/// gives belongs to the report, not to any one of them (issue 15, item 2).
@Suite struct ReportPeopleTests {
    /// A practitioner's report naming a victim and the controller who holds his phone.
    static func victimAndController(_ services: AppServices, by identity: Identity) async throws -> Report {
        var input = ReportInput()
        input.description = "Marius works at the car wash; Ion keeps his phone and his wages."
        input.phones = "07700 900456"
        input.websites = "marius.p@example.com"
        input.persons = [.init(name: "Marius Popesku", dateOfBirth: "1984"), .init(name: "Ion Vasile", age: "24")]
        input.exploitationTypes = [ExploitationType.labour.rawValue]
        input.ageGroup = AgeGroup.adult.rawValue
        let report = try await services.reports.submit(input, source: .practitioner, identity: identity, address: "test",
                                                       idempotencyKey: nil, requireFormAnswers: false).report
        await services.reports.settle()
        return report
    }

    static func people(_ report: Report, _ services: AppServices) async throws -> [String: UUID] {
        Dictionary(uniqueKeysWithValues: try await ReportMention.query(on: services.database.db).filter(\.$reportID == report.id!)
            .filter(\.$kind == MentionKind.person.rawValue).all().map { ($0.value, $0.id!) })
    }

    static func clusters(_ services: AppServices) async throws -> [UUID: UUID] {
        Dictionary(uniqueKeysWithValues: try await PersonCluster.query(on: services.database.db).all().map { ($0.id!, $0.clusterID) })
    }

    @Test func aVictimAndTheControllerHoldingHisPhoneStayTwoPeople() async throws {
        try await withApp { client, built in
            let services = built.services
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let first = try await Self.victimAndController(services, by: practitioner)
            let second = try await Self.victimAndController(services, by: practitioner)
            let (one, two) = (try await Self.people(first, services), try await Self.people(second, services))
            let (marius1, ion1) = (try #require(one["Marius Popesku"]), try #require(one["Ion Vasile"]))
            let (marius2, ion2) = (try #require(two["Marius Popesku"]), try #require(two["Ion Vasile"]))

            for when in ["as linked", "after a rebuild"] {
                if when == "after a rebuild" { _ = try await services.intelligence.rebuild(actor: .system) }
                // Each person is one cluster with their own counterpart, never with the other.
                let clusters = try await Self.clusters(services)
                #expect(clusters[marius1] != nil && clusters[marius1] == clusters[marius2], "\(when)")
                #expect(clusters[ion1] != nil && clusters[ion1] == clusters[ion2], "\(when)")
                #expect(clusters[marius1] != clusters[ion1], "\(when)")

                // The link between the reports: each person to their counterpart, and the
                // report's phone and e-mail address, which link the reports, not the people.
                let link = try #require(try await IntelligenceTests.link(first, second, services))
                let people = link.reasons.filter { $0.kind == MentionKind.person.rawValue }
                #expect(Set(people.map { [$0.earlierMentionID, $0.laterMentionID] }) == [[marius1, marius2], [ion1, ion2]], "\(when)")
                #expect(people.allSatisfy { $0.phrase.hasPrefix("same name") }, "\(when): \(people.map(\.phrase))")
                #expect(link.reasons.contains { $0.kind == "phone" } && link.reasons.contains { $0.kind == "email" }, "\(when)")

                // The network's people: both men, each in both reports.
                let networkID = try #require(try await ReportNetwork.find(first.id, on: services.database.db)?.networkID)
                let network = try await services.intelligence.network(networkID, identity: analyst, address: "test", via: "test")
                let named = network.entities.filter { $0.kind == .person }
                #expect(Set(named.map(\.label)) == ["Marius Popesku", "Ion Vasile"], "\(when)")
                #expect(named.allSatisfy { Set($0.reports) == [first.id!, second.id!] }, "\(when)")
            }

            // The page an analyst reads says what linked them.
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let page = try await browser.get("/reports/\(second.id!)")
            #expect(page.status == .ok && page.text.contains("Linked to 1 earlier report: same name"))
            #expect(!page.text.contains("similar name"))
        }
    }

    @Test func aLinkDecidedByContactDetailsSaysTheNamesDiffer() throws {
        // Two records with different names and the same phone, home and e-mail address, as the
        // engine scores its own people (contact that is theirs): linked, and worded as such.
        let contact: [Field: String] = [.phone: "07700 900456", .email: "marius.p@example.com", .address: "4 Mill Lane", .postcode: "WM1 4AB"]
        var index = LinkageIndex(model: { var m = LinkageModel.initial; m.priorMatchProbability = 1e-4; return m }())
        index.add(RawRecord(id: "a", values: contact.merging([.fullName: "Marius Popesku"]) { a, _ in a }))
        index.add(RawRecord(id: "b", values: contact.merging([.fullName: "Ion Vasile"]) { a, _ in a }))
        let explanation = try #require(index.explain("b", "a"))
        #expect(explanation.matchProbability > 0.5)
        let phrase = ReportLinker.phrase(for: explanation)
        #expect(phrase == "same phone and address, same e-mail address; names differ")
        #expect(!phrase.contains("similar name"))
        // The same details recorded for a report do not count at all.
        var grouped = LinkageIndex(model: { var m = LinkageModel.initial; m.priorMatchProbability = 1e-4; return m }())
        grouped.add(RawRecord(id: "a", values: contact.merging([.fullName: "Marius Popesku"]) { a, _ in a }, group: "r1", contactFromGroup: true))
        grouped.add(RawRecord(id: "b", values: contact.merging([.fullName: "Ion Vasile"]) { a, _ in a }, group: "r2", contactFromGroup: true))
        let setAside = try #require(grouped.explain("b", "a"))
        #expect(setAside.matchProbability < 0.01)
        #expect(ReportLinker.phrase(for: setAside) == "names differ")
        // A name that agrees in part is named for what it is.
        var partial = LinkageIndex(model: { var m = LinkageModel.initial; m.priorMatchProbability = 1e-4; return m }())
        partial.add(RawRecord(id: "a", values: contact.merging([.fullName: "Marius Popesku", .dateOfBirth: "1984"]) { a, _ in a }))
        partial.add(RawRecord(id: "b", values: contact.merging([.fullName: "Ion Popesku", .dateOfBirth: "1984"]) { a, _ in a }))
        let family = ReportLinker.phrase(for: try #require(partial.explain("b", "a")))
        #expect(family.hasPrefix("same family name (given name differs)"), "\(family)")
    }
}
