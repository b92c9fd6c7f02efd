import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import Cairn

/// Reports linked through the engine as they arrive, stored links and networks, alerts,
/// feedback, rebuilds, hotspots and graded intelligence items with partner sharing.
@Suite struct IntelligenceTests {
    struct Person {
        var name: String
        var dob = ""
    }

    /// A report as a practitioner (with `identity`) or the public (nil), stored and linked.
    static func report(_ services: AppServices, by identity: Identity?, text: String, people: [Person] = [], address: (String, String)? = nil,
                       phone: String = "", postcode: String = "", type: ExploitationType = .labour) async throws -> Report {
        var input = ReportInput()
        input.description = text
        input.phones = phone
        input.postcode = postcode
        input.persons = people.map { .init(name: $0.name, dateOfBirth: $0.dob) }
        if let address { input.addresses = [.init(line: address.0, postcode: address.1)] }
        if identity != nil {
            input.exploitationTypes = [type.rawValue]
            input.ageGroup = AgeGroup.adult.rawValue
        }
        let submitted = try await services.reports.submit(input, source: identity == nil ? .public : .practitioner, identity: identity,
                                                          address: "test", idempotencyKey: nil, requireFormAnswers: false).report
        await services.reports.settle()
        return submitted
    }

    static func pairs(_ services: AppServices) async throws -> Set<String> {
        Set(try await ReportLink.query(on: services.database.db).all().map { "\($0.earlierReportID)>\($0.laterReportID)" })
    }

    static func link(_ a: Report, _ b: Report, _ services: AppServices) async throws -> ReportLink? {
        try await ReportLink.query(on: services.database.db).filter(\.$earlierReportID == a.id!).filter(\.$laterReportID == b.id!).first()
    }

    @Test func newReportsAreLinkedExplainedAndGroupedIntoNetworksWithAlerts() async throws {
        try await withServices(demo: true, configure: { $0.linkAlertSize = 4 }) { services, _ in
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let before = try await Self.pairs(services)

            let first = try await Self.report(services, by: practitioner, text: "Car wash workers sleep on site.",
                                              people: [Person(name: "Bogdan Ionescu", dob: "1991")], address: ("5 Tannery Row", "WM5 1AB"),
                                              phone: "07700 900300")
            // The same phone written another way, from the public: linked, and another source.
            let second = try await Self.report(services, by: nil, text: "A man phones the house every morning.", phone: "+44 7700 900300")
            // The same man, spelt differently, at the same address.
            let third = try await Self.report(services, by: analyst, text: "Frightened worker at the car wash.",
                                              people: [Person(name: "Bogdan Ionesku", dob: "03/1991")], address: ("5 Tannery Row", "WM5 1AB"))
            // Someone else entirely.
            let unrelated = try await Self.report(services, by: nil, text: "Nail bar open all night.", phone: "07700 900999")
            // A co-resident: same address, a different person; linked by the address only.
            let coResident = try await Self.report(services, by: practitioner, text: "Older man at the same house.",
                                                   people: [Person(name: "Vasile Ionescu", dob: "1958")], address: ("5 Tannery Row", "WM5 1AB"))

            let phoneLink = try #require(try await Self.link(first, second, services))
            #expect(phoneLink.summary == "same phone")
            #expect(phoneLink.reasons.first?.kind == "phone")

            let personLink = try #require(try await Self.link(first, third, services))
            let person = try #require(personLink.reasons.first { $0.kind == "person" })
            #expect(person.phrase.hasPrefix("similar name"))
            #expect(person.earlierValue == "Bogdan Ionescu" && person.laterValue == "Bogdan Ionesku")
            let explanation = try #require(person.explanation)
            #expect(explanation.terms.first { $0.comparison == "given_name" }?.level == "exact")
            #expect(explanation.terms.first { $0.comparison == "family_name" }?.level == "close spelling")
            #expect(abs(explanation.priorWeight + explanation.terms.map(\.weight).reduce(0, +) - explanation.totalWeight) < 1e-9)
            #expect(personLink.reasons.contains { $0.kind == "address" && $0.phrase == "same address" })

            let residentLink = try #require(try await Self.link(first, coResident, services))
            #expect(!residentLink.reasons.contains { $0.kind == "person" }, "co-residents share an address, not an identity")
            #expect(try await Self.link(first, unrelated, services) == nil)
            #expect(try await ReportLink.query(on: services.database.db).group(.or) {
                $0.filter(\.$earlierReportID == unrelated.id!).filter(\.$laterReportID == unrelated.id!)
            }.count() == 0)

            // One network, named by its earliest report; the unrelated report is in none.
            let networks = try await ReportNetwork.query(on: services.database.db).filter(\.$id ~~ [first.id!, second.id!, third.id!, coResident.id!]).all()
            #expect(networks.count == 4 && Set(networks.map(\.networkID)) == [first.id!])
            let networkSummary = try #require(try await LinkNetworkRow.find(first.id, on: services.database.db))
            #expect(networkSummary.reports == 4 && networkSummary.sources == [practitioner.agencyID.uuidString, analyst.agencyID.uuidString, "public"])
            #expect(try await ReportNetwork.find(unrelated.id, on: services.database.db) == nil)
            // Different spellings of one man are one person cluster; the co-resident is another.
            let clusters = try await PersonCluster.query(on: services.database.db).filter(\.$reportID ~~ [first.id!, third.id!, coResident.id!]).all()
            let byReport = Dictionary(uniqueKeysWithValues: clusters.map { ($0.reportID, $0.clusterID) })
            #expect(byReport[first.id!] != nil && byReport[first.id!] == byReport[third.id!])
            #expect(byReport[coResident.id!] != byReport[first.id!])

            // Alerts: another source joined (the public phone report, the police report), and the size reached 4.
            let alerts = try await services.intelligence.alerts(identity: analyst)
            #expect(alerts.contains { $0.0.kind == "cross_agency" && $0.0.reportID == second.id })
            #expect(alerts.contains { $0.0.kind == "cross_agency" && $0.0.reportID == third.id })
            #expect(alerts.filter { $0.0.kind == "size" }.map(\.0.reportID) == [coResident.id!])
            #expect(!alerts.contains { $0.0.reportID == unrelated.id })
            #expect(alerts.allSatisfy { !$0.0.message.contains("Bogdan") }, "alerts carry references and counts, not names")

            // Reading links is for analysts, and audited.
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            await #expect(throws: AppError.self) { try await services.intelligence.reportLinks(of: first.id!, identity: caseworker, address: "t", via: "t") }
            let linked = try await services.intelligence.reportLinks(of: first.id!, identity: analyst, address: "t", via: "test").links
            #expect(Set(linked.map(\.other.id)) == [second.id!, third.id!, coResident.id!])
            #expect(try await AuditEntry.query(on: services.database.db).filter(\.$action == "report.links.viewed")
                .filter(\.$recordID == first.id!.uuidString).count() == 1)

            // A rebuild finds the same links the incremental path stored.
            let incremental = try await Self.pairs(services)
            let summary = try await services.intelligence.rebuild(actor: .system)
            #expect(try await Self.pairs(services) == incremental)
            #expect(incremental.subtracting(before).count == 4)
            #expect(summary.links == incremental.count)
            let rebuiltNetworks = try await ReportNetwork.query(on: services.database.db).filter(\.$id ~~ [first.id!, third.id!]).all()
            #expect(Set(rebuiltNetworks.map(\.networkID)) == [first.id!])
        }
    }

    @Test func notTheSamePersonIsRespectedNowAndByRebuilds() async throws {
        try await withServices(demo: true) { services, _ in
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let first = try await Self.report(services, by: practitioner, text: "Worker at the farm.",
                                              people: [Person(name: "Mihai Popa", dob: "12/05/1990")], postcode: "WM9 1AA")
            let second = try await Self.report(services, by: analyst, text: "Worker at the packing plant.",
                                               people: [Person(name: "Mihai Popa", dob: "12/05/1990")], postcode: "WM8 2BB")
            let link = try #require(try await Self.link(first, second, services))
            #expect(link.summary.hasPrefix("same name and date of birth"))
            let network = try #require(try await ReportNetwork.find(second.id, on: services.database.db)?.networkID)

            // Bad input changes nothing.
            await #expect(throws: AppError.self) {
                try await services.intelligence.decide(linkID: link.id!, reason: 5, decision: "not_same", note: "", identity: analyst, address: "t")
            }
            await #expect(throws: AppError.self) {
                try await services.intelligence.decide(linkID: link.id!, reason: 0, decision: "maybe", note: "", identity: analyst, address: "t")
            }
            await #expect(throws: AppError.self) {
                try await services.intelligence.decide(linkID: link.id!, reason: 0, decision: "not_same", note: "", identity: practitioner, address: "t")
            }
            #expect(try await LinkFeedbackRow.query(on: services.database.db).count() == 0)
            #expect(try await Self.link(first, second, services) != nil)

            // Two different men with the same name and birthday: the analyst says so.
            let kept = try await services.intelligence.decide(linkID: link.id!, reason: 0, decision: "not_same", note: "Different employers, checked.",
                                                              identity: analyst, address: "t")
            #expect(kept == nil)
            #expect(try await Self.link(first, second, services) == nil)
            #expect(try await ReportNetwork.query(on: services.database.db).filter(\.$networkID == network).count() == 0)
            #expect(try await LinkNetworkRow.find(network, on: services.database.db) == nil)
            let clusters = try await PersonCluster.query(on: services.database.db).filter(\.$reportID ~~ [first.id!, second.id!]).all()
            #expect(Set(clusters.map(\.clusterID)).count == 2)

            // A rebuild keeps them apart; so does a third report about one of them.
            _ = try await services.intelligence.rebuild(actor: .system)
            #expect(try await Self.link(first, second, services) == nil)
            let third = try await Self.report(services, by: analyst, text: "Seen again at the farm.",
                                              people: [Person(name: "Mihai Popa", dob: "12/05/1990")], postcode: "WM9 1AA")
            let thirdLinks = try await services.intelligence.reportLinks(of: third.id!, identity: analyst, address: "t", via: "t").links
            #expect(!thirdLinks.isEmpty)
            #expect(try await Self.link(first, second, services) == nil)
            #expect(try await AuditEntry.query(on: services.database.db).filter(\.$action == "link.rejected").count() == 1)
        }
    }

    @Test func splittingAPersonOutRemovesEveryLinkThroughThem() async throws {
        try await withServices(demo: true) { services, _ in
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let elena = [Person(name: "Elena Rusu", dob: "01/02/1985")]
            let a = try await Self.report(services, by: practitioner, text: "Cleaner at the hotel.", people: elena, postcode: "WM6 1AA")
            let b = try await Self.report(services, by: analyst, text: "Cleaner seen again.", people: elena, postcode: "WM6 1AA")
            let c = try await Self.report(services, by: analyst, text: "A woman of that name at the factory.", people: elena, postcode: "WM6 1AA")
            let ac = try #require(try await Self.link(a, c, services))
            #expect(try await Self.link(b, c, services) != nil)
            #expect(try await services.intelligence.decide(linkID: ac.id!, reason: 0, decision: "split", note: "Different woman.",
                                                           identity: analyst, address: "t") == nil)
            #expect(try await Self.link(a, c, services) == nil)
            #expect(try await Self.link(b, c, services) == nil)
            #expect(try await Self.link(a, b, services) != nil, "the others stay linked")
            #expect(try await ReportNetwork.find(c.id, on: services.database.db) == nil)
            _ = try await services.intelligence.rebuild(actor: .system)
            #expect(try await Self.link(a, c, services) == nil)
            #expect(try await Self.link(b, c, services) == nil)
            #expect(try await Self.link(a, b, services) != nil)
            #expect(try await AuditEntry.query(on: services.database.db).filter(\.$action == "link.split").count() == 1)
        }
    }

    @Test func aValueSharedByManyReportsLinksEachToTheFirstAndTheLatestNotToAll() async throws {
        try await withServices(demo: false) { services, _ in
            var reports: [Report] = []
            for n in 0..<40 {
                reports.append(try await Self.report(services, by: nil, text: "Night desk report \(n) about the hotel.", phone: "07700 900555"))
            }
            let links = try await ReportLink.query(on: services.database.db).all()
            // All pairs among the first 30, then each later one to the first and to the one before.
            let expected: Int = 435 + 20
            #expect(links.count == expected)
            let last = reports[39].id!
            let lastLinks = Set(links.filter { $0.laterReportID == last }.map(\.earlierReportID))
            #expect(lastLinks == [reports[0].id!, reports[38].id!])
            let networks = try await ReportNetwork.query(on: services.database.db).all()
            #expect(networks.count == 40 && Set(networks.map(\.networkID)) == [reports[0].id!])
            let sizeAlerts = try await IntelligenceAlert.query(on: services.database.db).filter(\.$kind == "size").all()
            #expect(sizeAlerts.map(\.reportID) == [reports[4].id!], "one alert, when the network reached 5")
            // The value's first and latest mention and count, kept as reports arrive and by a rebuild.
            let key = try #require(try await LinkKeyRow.find("phone|+447700900555", on: services.database.db))
            #expect(key.reports == 40)
            let firstMention = try #require(try await ReportMention.find(key.firstMentionID, on: services.database.db))
            let lastMention = try #require(try await ReportMention.find(key.lastMentionID, on: services.database.db))
            #expect(firstMention.reportID == reports[0].id && lastMention.reportID == last)
            _ = try await services.intelligence.rebuild(actor: .system)
            let rebuilt = try #require(try await LinkKeyRow.find("phone|+447700900555", on: services.database.db))
            #expect(rebuilt.reports == 40 && rebuilt.firstMentionID == key.firstMentionID && rebuilt.lastMentionID == key.lastMentionID)
            let summary = try #require(try await LinkNetworkRow.find(reports[0].id, on: services.database.db))
            #expect(summary.reports == 40 && summary.sources == ["public"])
        }
    }

    /// Reports stored together are linked in one pass: networks merge in memory and are written
    /// at once. What that leaves must be what a rebuild from scratch finds.
    @Test func reportsLinkedTogetherLeaveTheSameNetworksAsARebuild() async throws {
        try await withServices(demo: true) { services, _ in
            let db = services.database.db
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            let demoNetworks = Set(try await ReportNetwork.query(on: db).all().map(\.networkID))
            // Two networks of two reports each, and a report on its own.
            let first = try await Self.report(services, by: nil, text: "Van outside the house at night.", phone: "07700 900101")
            _ = try await Self.report(services, by: practitioner, text: "Same van driver seen again.", phone: "07700 900101")
            _ = try await Self.report(services, by: nil, text: "Workers collected at dawn.", phone: "07700 900202")
            _ = try await Self.report(services, by: nil, text: "Collected again by the same man.", phone: "07700 900202")
            let alone = try await Self.report(services, by: nil, text: "A flat with covered windows.", phone: "07700 900303")

            // Then, all at once: a report naming both phones (joining the two networks), one
            // joining the report that was alone, pairs among themselves and unrelated ones.
            let phones = ["07700 900101, 07700 900202", "07700 900303", "07700 900404", "07700 900404", "07700 900505"]
                + (0..<15).map { "07700 91\(String(format: "%04d", $0))" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, phone) in phones.enumerated() {
                    group.addTask {
                        var input = ReportInput()
                        input.description = "Concurrent report \(n) about the same street."
                        input.phones = phone
                        _ = try await services.reports.submit(input, source: .public, identity: nil, address: "test",
                                                              idempotencyKey: nil, requireFormAnswers: false)
                    }
                }
                // A public report and a practitioner's sharing a new phone, stored together.
                for identity in [nil, practitioner] {
                    group.addTask {
                        var input = ReportInput()
                        input.description = "The same phone number was given to a worker."
                        input.phones = "07700 900606"
                        if identity != nil {
                            input.exploitationTypes = [ExploitationType.labour.rawValue]
                            input.ageGroup = AgeGroup.adult.rawValue
                        }
                        _ = try await services.reports.submit(input, source: identity == nil ? .public : .practitioner, identity: identity,
                                                              address: "test", idempotencyKey: nil, requireFormAnswers: false)
                    }
                }
                try await group.waitForAll()
            }
            await services.reports.settle()
            #expect(services.intelligence.linker.unlinkedReports == 0)

            // As if each had arrived on its own: the first of the two to be linked joins nothing,
            // the second joins a report from another source, so exactly one alert, for one of
            // them. (Sent together, which is linked first follows which intake committed first,
            // not which was received first.)
            let sharing = try await ReportMention.query(on: db).filter(\.$normalised == "+447700900606").all().map(\.reportID)
            let pair = try await Report.query(on: db).filter(\.$id ~~ sharing).all()
            #expect(pair.count == 2)
            let pairAlerts = try await IntelligenceAlert.query(on: db).filter(\.$reportID ~~ sharing).all()
            #expect(pairAlerts.map(\.kind) == ["cross_agency"] && pair.contains { $0.id == pairAlerts.first?.reportID })

            func state() async throws -> (networks: [UUID: UUID], summaries: [UUID: String], pairs: Set<String>) {
                let networks = Dictionary(uniqueKeysWithValues: try await ReportNetwork.query(on: db).all().map { ($0.id!, $0.networkID) })
                let summaries = Dictionary(uniqueKeysWithValues: try await LinkNetworkRow.query(on: db).all().map {
                    ($0.id!, "\($0.reports) \($0.sources.sorted())")
                })
                return (networks, summaries, try await Self.pairs(services))
            }
            let incremental = try await state()
            // 2 + 2 joined by the bridge report (5), the lone report with its new partner (2), the
            // two new reports sharing 900404 (2); the rest are in no network.
            let sizes = Dictionary(grouping: incremental.networks.values.filter { !demoNetworks.contains($0) }, by: { $0 }).mapValues(\.count)
            #expect(sizes.values.sorted() == [2, 2, 2, 5])
            #expect(sizes[first.id!] == 5, "named by its earliest report")
            #expect(incremental.networks[alone.id!] == alone.id!)
            #expect(Set(incremental.summaries.keys) == Set(incremental.networks.values), "one summary per network, none stale")
            for (network, summary) in incremental.summaries {
                let members = incremental.networks.values.filter { $0 == network }.count
                #expect(summary.hasPrefix("\(members) "), "stored size matches the members")
            }
            _ = try await services.intelligence.rebuild(actor: .system)
            let rebuilt = try await state()
            #expect(rebuilt.pairs == incremental.pairs)
            #expect(rebuilt.networks == incremental.networks)
            #expect(rebuilt.summaries == incremental.summaries)
        }
    }

    /// Each linker remembers the values held by few reports; a report another instance stored
    /// with the same value is still found (the remembered group no longer matches the count).
    @Test func anotherInstancesReportWithTheSameValueIsLinked() async throws {
        try await withServices(demo: false) { services, database in
            let other = try AppServices(config: testConfig(database.url, demo: false), logger: TestDatabase.logger)
            do {
                let first = try await Self.report(services, by: nil, text: "First report of the van.", phone: "07700 900777")
                let second = try await Self.report(services, by: nil, text: "Second report of the van.", phone: "07700 900777")
                let elsewhere = try await Self.report(other, by: nil, text: "Reported to the other instance.", phone: "07700 900777")
                let fourth = try await Self.report(services, by: nil, text: "Fourth report of the van.", phone: "07700 900777")
                let earlier = Set(try await ReportLink.query(on: services.database.db).filter(\.$laterReportID == fourth.id!).all().map(\.earlierReportID))
                #expect(earlier == [first.id!, second.id!, elsewhere.id!])
                #expect(try await LinkKeyRow.find("phone|+447700900777", on: services.database.db)?.reports == 4)
            } catch {
                await other.shutdown()
                throw error
            }
            await other.shutdown()
        }
    }

    @Test func identifierReasonsWrittenDirectlyDecodeAsWritten() throws {
        let reasons = [
            LinkReason(kind: "business", earlierMentionID: UUID(), laterMentionID: UUID(), earlierValue: "Ana's \"Nails\" \\ Spa\n",
                       laterValue: "Đồng Tiền 💅 \u{1}\t", phrase: "same business name", probability: 1, explanation: nil),
            LinkReason(kind: "phone", earlierMentionID: UUID(), laterMentionID: UUID(), earlierValue: "07700 900300",
                       laterValue: "+44 7700 900300", phrase: "same phone", probability: 0.75, explanation: nil),
        ]
        let json = ReportLinker.json(reasons)
        #expect(try JSONDecoder().decode([LinkReason].self, from: Data(json.utf8)) == reasons)
        #expect(ReportLinker.json([]) == "[]")
    }

    @Test func hotspotsCountReportsByDistrictAndMonth() async throws {
        try await withServices(demo: false) { services, _ in
            _ = try await DemoPartnership.load(into: services.database, auth: services.auth, audit: services.audit)
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let viewer = try await DemoReports.identity("viewer@demo.invalid", services)
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            _ = try await Self.report(services, by: practitioner, text: "Car wash.", postcode: "WM4 6EF", type: .labour)
            _ = try await Self.report(services, by: practitioner, text: "Car wash again.", postcode: "WM4 7JK", type: .labour)
            _ = try await Self.report(services, by: practitioner, text: "Nail bar.", postcode: "WM1 2AB", type: .sexual)
            _ = try await Self.report(services, by: nil, text: "No postcode given.")
            let all = try await services.intelligence.hotspots(type: nil, months: 12, identity: coordinator, address: "t", via: "t")
            #expect(all.months.count == 12 && all.months.last == IntelligenceService.month(Date()))
            #expect(all.total == 4 && all.withoutDistrict == 1)
            #expect(all.rows.map(\.district) == ["WM4", "WM1"])
            #expect(all.rows.first?.counts.last == 2 && all.rows.first?.total == 2)
            let labour = try await services.intelligence.hotspots(type: .labour, months: 3, identity: coordinator, address: "t", via: "t")
            #expect(labour.rows.map(\.district) == ["WM4"] && labour.months.count == 3)
            await #expect(throws: AppError.self) {
                try await services.intelligence.hotspots(type: nil, months: 12, identity: viewer, address: "t", via: "t")
            }
        }
    }

    @Test func intelligenceItemsAreSharedOnlyAsTheHandlingCodeAllows() async throws {
        try await withServices(demo: true) { services, _ in
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
            let viewer = try await DemoReports.identity("viewer@demo.invalid", services)
            let intelligence = services.intelligence

            // Bad gradings: nothing stored.
            var bad = IntelligenceService.ItemInput(title: "Van", content: "The van collects workers.", sourceEvaluation: "4", assessment: "F", handling: "X")
            await #expect(throws: AppError.self) { try await intelligence.createItem(bad, identity: analyst, address: "t") }
            bad = IntelligenceService.ItemInput(title: "Van", content: "The van collects workers.", sourceEvaluation: "1", assessment: "A", handling: "C")
            do {
                _ = try await intelligence.createItem(bad, identity: analyst, address: "t")
                Issue.record("code C without conditions was accepted")
            } catch let error as AppError {
                #expect(error.fieldErrors.map(\.field) == ["conditions"])
            }
            bad.conditions = "Not to be used in court."
            bad.legacyGrading = "Z99"
            await #expect(throws: AppError.self) { try await intelligence.createItem(bad, identity: analyst, address: "t") }
            await #expect(throws: AppError.self) {
                try await intelligence.createItem(.init(title: "x", content: "y", sourceEvaluation: "1", assessment: "A", handling: "P"), identity: caseworker, address: "t")
            }
            #expect(try await IntelligenceItem.query(on: services.database.db).count() == 0)

            // P with a sanitised version: every partner sees the sanitised text only.
            let open = try await intelligence.createItem(.init(title: "Minibus at 6am", content: "Informant Jane at No. 20 saw the minibus.",
                                                               sanitised: "A minibus collects workers at 6am.", sourceEvaluation: "2",
                                                               assessment: "b", handling: "p", legacyGrading: "b 2 2"), identity: analyst, address: "t")
            #expect(open.grading?.description == "2 B P" && open.legacyGrading == "B22")
            // C: only partners the originator confirms.
            let conditional = try await intelligence.createItem(.init(title: "Controller's phone", content: "Source 77 says the controller uses this phone.",
                                                                      sanitised: "A phone linked to a controller.", sourceEvaluation: "1", assessment: "A",
                                                                      handling: "C", conditions: "Safeguarding use only."), identity: analyst, address: "t")
            // P with nothing sanitised: shared with nobody yet.
            let unsanitised = try await intelligence.createItem(.init(title: "Raw", content: "Not yet sanitised.", sourceEvaluation: "3", assessment: "C",
                                                                      handling: "P"), identity: analyst, address: "t")

            let own = try await intelligence.item(conditional.id!, identity: analyst, address: "t", via: "t")
            guard case .full = own.view else { Issue.record("the originator sees the full item"); return }
            let seen = try await intelligence.items(identity: caseworker, address: "t", via: "t")
            #expect(seen.map(\.0.id) == [open.id])
            let shared = try await intelligence.item(open.id!, identity: caseworker, address: "t", via: "t")
            guard case .sanitised = shared.view else { Issue.record("partners see the sanitised version"); return }
            await #expect(throws: AppError.self) { try await intelligence.item(conditional.id!, identity: caseworker, address: "t", via: "t") }
            await #expect(throws: AppError.self) { try await intelligence.item(unsanitised.id!, identity: practitioner, address: "t", via: "t") }
            await #expect(throws: AppError.self) { try await intelligence.items(identity: viewer, address: "t", via: "t") }

            // The originator confirms the caseworker's agency: it sees the conditions with the sanitised text.
            _ = try await intelligence.updateSharing(conditional.id!, sanitised: "A phone linked to a controller.", approvedAgencies: [caseworker.agencyID.uuidString],
                                                     identity: analyst, address: "t")
            let approved = try await intelligence.item(conditional.id!, identity: caseworker, address: "t", via: "t")
            guard case .sanitised(let conditions) = approved.view else { Issue.record("approved partner sees it"); return }
            #expect(conditions == "Safeguarding use only.")
            await #expect(throws: AppError.self) { try await intelligence.item(conditional.id!, identity: practitioner, address: "t", via: "t") }
            // Approvals are for code C only.
            await #expect(throws: AppError.self) {
                try await intelligence.updateSharing(open.id!, sanitised: "x", approvedAgencies: [caseworker.agencyID.uuidString], identity: analyst, address: "t")
            }
            let audit = try await AuditEntry.query(on: services.database.db).filter(\.$recordID == conditional.id!.uuidString).all().map(\.action)
            #expect(audit.contains("intelligence.viewed") && audit.contains("intelligence.refused") && audit.contains("intelligence.sharing.updated"))
        }
    }

    @Test func apiAndPagesServeLinksNetworksHotspotsAndItems() async throws {
        try await withApp { client, built in
            let services = built.services
            await services.reports.settle()
            let analystToken = try await token(for: "analyst@demo.invalid", built)
            let caseworkerToken = try await token(for: "caseworker@demo.invalid", built)
            // The demo's police report names the car wash man, spelt differently.
            let patrol = try #require(try await Report.query(on: services.database.db).filter(\.$narrative ~~ "car wash who seemed frightened").first())

            let links = try await api(client, .get, "/api/v1/reports/\(patrol.id!)/links", token: analystToken)
            #expect(links.status == .ok)
            let body = try jsonObject(links)
            let items = try #require(body["items"] as? [[String: Any]])
            #expect(items.count == 1)
            let reasons = try #require(items.first?["reasons"] as? [[String: Any]])
            #expect(reasons.first?["kind"] as? String == "person")
            #expect(((reasons.first?["explanation"] as? [String: Any])?["terms"] as? [Any])?.isEmpty == false)
            let linkID = try #require(items.first?["id"] as? String)
            let networkID = try #require(body["networkId"] as? String)

            #expect(try await api(client, .get, "/api/v1/reports/\(patrol.id!)/links", token: caseworkerToken).status == .forbidden)
            #expect(try await api(client, .get, "/api/v1/reports/\(patrol.id!)/links", token: nil).status == .unauthorized)
            #expect(try await api(client, .get, "/api/v1/links/not-a-uuid", token: analystToken).status == .notFound)
            #expect(try await api(client, .get, "/api/v1/links/\(UUID())", token: analystToken).status == .notFound)
            #expect(try await api(client, .get, "/api/v1/links/\(linkID)", token: analystToken).status == .ok)
            let network = try await api(client, .get, "/api/v1/networks/\(networkID)", token: analystToken)
            #expect(network.status == .ok)
            #expect((try jsonObject(network)["reports"] as? [Any])?.count == 3)

            // Malformed and invalid decisions change nothing.
            #expect(try await api(client, .post, "/api/v1/links/\(linkID)/decisions", token: analystToken, json: "{\"reason\": ").status == .badRequest)
            #expect(try await api(client, .post, "/api/v1/links/\(linkID)/decisions", token: analystToken,
                                  json: #"{"reason": 0, "decision": "perhaps"}"#).status == .badRequest)
            let outOfRange = try await api(client, .post, "/api/v1/links/\(linkID)/decisions", token: analystToken, json: #"{"reason": 9, "decision": "same"}"#)
            #expect(outOfRange.status == .unprocessableContent)
            #expect(try await LinkFeedbackRow.query(on: services.database.db).count() == 0)
            let confirmed = try await api(client, .post, "/api/v1/links/\(linkID)/decisions", token: analystToken, json: #"{"reason": 0, "decision": "same"}"#)
            #expect(confirmed.status == .ok)
            #expect(try jsonObject(confirmed)["confirmed"] as? Bool == true)

            let alerts = try await api(client, .get, "/api/v1/intelligence/alerts", token: analystToken)
            #expect((try jsonObject(alerts)["items"] as? [Any])?.count == 2)
            #expect(try await api(client, .get, "/api/v1/hotspots?months=5", token: analystToken).status == .badRequest)
            #expect(try await api(client, .get, "/api/v1/hotspots?type=unknown", token: analystToken).status == .badRequest)
            let hotspots = try await api(client, .get, "/api/v1/hotspots?type=labour&months=3", token: analystToken)
            #expect(hotspots.status == .ok)
            #expect((try jsonObject(hotspots)["rows"] as? [[String: Any]])?.first?["district"] as? String == "WM4")
            #expect(try await api(client, .get, "/api/v1/hotspots", token: caseworkerToken).status == .forbidden)

            let created = try await api(client, .post, "/api/v1/intelligence/items", token: analystToken, json: """
                {"title": "Minibus", "content": "Informant saw it.", "sanitised": "A minibus collects workers.", "sourceEvaluation": "2", "assessment": "B", "handling": "P", "reportReference": "\(patrol.reference)"}
                """)
            #expect(created.status == .created)
            let itemID = try #require(try jsonObject(created)["id"] as? String)
            #expect(try await api(client, .post, "/api/v1/intelligence/items", token: analystToken,
                                  json: #"{"title": "x", "content": "y", "sourceEvaluation": "1", "assessment": "A", "handling": "C"}"#).status == .unprocessableContent)
            #expect(try await api(client, .post, "/api/v1/intelligence/items", token: analystToken,
                                  json: #"{"title": "x", "content": "y", "sourceEvaluation": "7", "assessment": "A", "handling": "P"}"#).status == .badRequest)
            #expect(try await api(client, .post, "/api/v1/intelligence/items", token: caseworkerToken,
                                  json: #"{"title": "x", "content": "y", "sourceEvaluation": "1", "assessment": "A", "handling": "P"}"#).status == .forbidden)
            let partnerView = try jsonObject(try await api(client, .get, "/api/v1/intelligence/items/\(itemID)", token: caseworkerToken))
            #expect(partnerView["view"] as? String == "sanitised" && partnerView["content"] == nil)
            #expect(try await IntelligenceItem.query(on: services.database.db).count() == 1)

            // Pages.
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let page = try await browser.get("/reports/\(patrol.id!)")
            #expect(page.text.contains("Linked to 1 earlier report: similar name"))
            let linkPage = try await browser.get("/intelligence/links/\(linkID)")
            #expect(linkPage.status == .ok && linkPage.text.contains("close spelling") && linkPage.text.contains("Confirmed by an analyst"))
            let networkPage = try await browser.get("/intelligence/networks/\(networkID)")
            #expect(networkPage.status == .ok && networkPage.text.contains("<svg") && networkPage.text.contains("network-entities"))
            #expect(try await browser.get("/intelligence/networks/\(UUID())").status == .notFound)
            let dashboard = try await browser.get("/intelligence")
            #expect(dashboard.text.contains("joins a network"))
            #expect(try await browser.get("/hotspots?months=7").status == .badRequest)
            #expect(try await browser.get("/hotspots").text.contains("hotspot-table"))
            let form = try await browser.post("/intelligence-items", [("title", "T"), ("content", ""), ("sourceEvaluation", "1"), ("assessment", "A"), ("handling", "P")])
            #expect(form.status == .unprocessableContent)
            #expect(try await IntelligenceItem.query(on: services.database.db).count() == 1)
            let caseworkerBrowser = Browser(client)
            try await caseworkerBrowser.signIn("caseworker@demo.invalid")
            #expect(try await caseworkerBrowser.get("/intelligence").status == .forbidden)
            #expect(try await caseworkerBrowser.get("/intelligence-items/\(itemID)").text.contains("A minibus collects workers."))
            #expect(!(try await caseworkerBrowser.get("/intelligence-items/\(itemID)").text.contains("Informant saw it.")))
        }
    }

    /// Intake comes first, but linking is never starved: under a continuous stream of reports
    /// (each sharing a phone with the one before) links appear while reports are still arriving,
    /// and once intake stops everything is linked.
    // The limit catches linking that never catches up; the whole suite runs in parallel, so
    // wall time includes waiting for the machine (intake's tests took up to 130 s on PostgreSQL).
    @Test(.timeLimit(.minutes(5)))
    func linkingKeepsGoingWhileIntakeIsBusy() async throws {
        try await withServices { services, _ in
            let db = services.database.db
            let linker = services.intelligence.linker
            final class Shared: Sendable {
                let stop = Mutex(false)
                let submitted = Mutex(0)
            }
            let shared = Shared()
            var linkedDuringIntake = 0
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var n = 0
                        while !shared.stop.withLock({ $0 }) {
                            var input = ReportInput()
                            input.description = "Client \(client), report \(n): workers collected from the same yard."
                            input.phones = "07700 9\(client)\(String(format: "%04d", n / 2))"
                            _ = try await services.reports.submit(input, source: .public, identity: nil, address: "test",
                                                                  idempotencyKey: nil, requireFormAnswers: false)
                            n += 1
                            shared.submitted.withLock { $0 += 1 }
                        }
                    }
                }
                // Watch while the clients keep submitting.
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    linkedDuringIntake = try await ReportLink.query(on: db).count()
                    if linkedDuringIntake >= 5, shared.submitted.withLock({ $0 }) >= 80 { break }
                }
                #expect(linker.intake.busy(within: .seconds(5)))
                shared.stop.withLock { $0 = true }
                try await group.waitForAll()
            }
            #expect(linkedDuringIntake >= 5)
            await services.reports.settle()
            #expect(linker.unlinkedReports == 0)
            // Each pair of consecutive reports from a client shares a phone: one link each.
            let count = shared.submitted.withLock { $0 }
            let links = try await ReportLink.query(on: db).count()
            #expect(links >= count / 2 - 8 && links <= count / 2)
        }
    }

    @Test func intakeIsBusyWhileWritingAndJustAfter() async throws {
        let activity = IntakeActivity()
        #expect(!activity.busy(within: .seconds(60)))
        activity.writeStarted()
        #expect(activity.busy(within: .zero))
        activity.writeFinished()
        #expect(activity.busy(within: .seconds(60)))
        try await Task.sleep(for: .milliseconds(30))
        #expect(!activity.busy(within: .milliseconds(20)))
    }
}
