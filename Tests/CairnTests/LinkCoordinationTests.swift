import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// Linking is the same with several instances on one database as with one, and survives a
/// server stopping between storing a report and linking it (see `LinkCoordination`).
@Suite struct LinkCoordinationTests {
    typealias Person = IntelligenceTests.Person

    /// Opens another instance on the same database for `body`, closing it afterwards.
    static func withOtherInstance(_ database: TestDatabase, _ body: (AppServices) async throws -> Void) async throws {
        let other = try AppServices(config: testConfig(database.url, demo: false), logger: TestDatabase.logger)
        do {
            try await other.database.connect()
            try await body(other)
        } catch {
            await other.shutdown()
            throw error
        }
        await other.shutdown()
    }

    /// The links among `reports` as (earlier, later, summary, each reason's phrase and the
    /// explanation's levels), with reports named by their place in `reports`.
    static func links(among reports: [Report], _ services: AppServices) async throws -> [String] {
        let position = Dictionary(uniqueKeysWithValues: reports.enumerated().compactMap { n, r in r.id.map { ($0, n) } })
        return try await ReportLink.query(on: services.database.db).all().compactMap { link -> String? in
            guard let a = position[link.earlierReportID], let b = position[link.laterReportID] else { return nil }
            let reasons = link.reasons.map { reason in
                let levels = reason.explanation?.terms.map { "\($0.comparison)=\($0.level)" }.joined(separator: ",") ?? ""
                return "\(reason.kind):\(reason.phrase):\(reason.earlierValue)>\(reason.laterValue):\(levels)"
            }
            return "\(a)>\(b) \(link.summary) [\(reasons.joined(separator: "; "))]"
        }.sorted()
    }

    static let popescu = [Person(name: "Ion Popescu", dob: "1990-03-04")]
    static let popesku = [Person(name: "Ion Popesku", dob: "1990-03-04")]

    /// The issue's case: Popescu on instance one, Popesku on instance two, Popescu on instance
    /// one again. Each instance used to index only its own reports, so none of these linked.
    @Test func peopleLinkAcrossTwoInstancesExactlyAsOnOne() async throws {
        var alone: [String] = []
        try await withServices(demo: false) { services, _ in
            let reports = [
                try await IntelligenceTests.report(services, by: nil, text: "Man at the car wash.", people: Self.popescu),
                try await IntelligenceTests.report(services, by: nil, text: "Worker living at the car wash.", people: Self.popesku),
                try await IntelligenceTests.report(services, by: nil, text: "Car wash again.", people: Self.popescu),
            ]
            alone = try await Self.links(among: reports, services)
        }
        #expect(alone.count == 3, "one instance links all three: \(alone)")

        try await withServices(demo: false) { services, database in
            try await Self.withOtherInstance(database) { other in
                let first = try await IntelligenceTests.report(services, by: nil, text: "Man at the car wash.", people: Self.popescu)
                let second = try await IntelligenceTests.report(other, by: nil, text: "Worker living at the car wash.", people: Self.popesku)
                let third = try await IntelligenceTests.report(services, by: nil, text: "Car wash again.", people: Self.popescu)
                let shared = try await Self.links(among: [first, second, third], services)
                #expect(shared == alone)
                // One person cluster for all three mentions, one network of three.
                let clusters = try await PersonCluster.query(on: services.database.db).all()
                #expect(clusters.count == 3 && Set(clusters.map(\.clusterID)).count == 1)
                let network = try await ReportNetwork.query(on: services.database.db).all()
                let firstID = try #require(first.id)
                #expect(network.count == 3 && Set(network.map(\.networkID)) == [firstID])
            }
        }
    }

    /// Both instances take reports at once; every report is linked exactly once, by one of them,
    /// and the links, keys and network agree with a single instance's. (Two instances on one
    /// SQLite file is not a supported deployment: `cairn serve` refuses it.)
    @Test(.enabled(if: TestDatabase.isPostgres, "several instances share PostgreSQL"))
    func twoInstancesLinkingAtOnceLinkEachReportOnce() async throws {
        try await withServices(demo: false) { services, database in
            try await Self.withOtherInstance(database) { other in
                let perInstance = 12
                let submitted = try await withThrowingTaskGroup(of: Report.self) { group in
                    for n in 0..<(2 * perInstance) {
                        let target = n % 2 == 0 ? services : other
                        group.addTask {
                            var input = ReportInput()
                            input.description = "Report \(n) of the van outside the hand car wash."
                            input.phones = "07700 900555"
                            input.persons = [.init(name: n % 3 == 0 ? "Maria Ionescu" : "Maria Ionesku", dateOfBirth: "1988-07-01")]
                            return try await target.reports.submit(input, source: .public, identity: nil, address: "test",
                                                                   idempotencyKey: nil, requireFormAnswers: false).report
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                await services.reports.settle()
                await other.reports.settle()
                let db = services.database.db
                let ids = Set(submitted.compactMap(\.id))
                #expect(ids.count == 2 * perInstance)
                #expect(try await LinkPendingRow.query(on: db).count() == 0)
                let logged = try await LinkLogRow.query(on: db).filter(\.$kind == LinkLogKind.report.rawValue).all().compactMap(\.subjectID)
                #expect(logged.count == ids.count && Set(logged) == ids, "each report linked once")
                // The log is numbered without gaps.
                let seqs = try await LinkLogRow.query(on: db).all().compactMap(\.id).sorted()
                #expect(seqs == Array(1...Int64(seqs.count)))
                #expect(try await LinkKeyRow.find("phone|+447700900555", on: db)?.reports == ids.count)
                let networks = try await ReportNetwork.query(on: db).all()
                #expect(networks.count == ids.count && Set(networks.map(\.networkID)).count == 1)
                #expect(try await LinkNetworkRow.query(on: db).all().map(\.reports) == [ids.count])
                // Every Maria is one person, whichever instance indexed her.
                #expect(Set(try await PersonCluster.query(on: db).all().map(\.clusterID)).count == 1)
                // A rebuild finds the same links.
                let incremental = try await IntelligenceTests.pairs(services)
                _ = try await other.intelligence.rebuild(actor: .system)
                let rebuilt = try await IntelligenceTests.pairs(services)
                #expect(rebuilt == incremental, "only incremental: \(incremental.subtracting(rebuilt).sorted()); only rebuilt: \(rebuilt.subtracting(incremental).sorted())")
            }
        }
    }

    /// Which of two reports came first is decided the same from intake's copy in memory as
    /// from the stored row: intake keeps whole milliseconds, which both databases store exactly,
    /// and the linker compares whole milliseconds, so a time that lost its last digits in storage
    /// (PostgreSQL keeps microseconds) cannot reverse an order the id settles.
    @Test func reportOrderIsTheSameInMemoryAndStored() async throws {
        try await withServices(demo: false) { services, _ in
            let report = try await IntelligenceTests.report(services, by: nil, text: "Van at the car wash at dawn.", people: Self.popescu)
            let id = try #require(report.id)
            let stored = try #require(try await Report.find(id, on: services.database.db))
            // The same millisecond, not just nearly: a whole millisecond is at least 0.5 ms from
            // where rounding would change it, and storage moves it by well under a microsecond.
            let ms = report.receivedAt.timeIntervalSince1970 * 1000
            #expect(abs(ms - ms.rounded()) < 0.001)
            #expect(abs(stored.receivedAt.timeIntervalSince(report.receivedAt)) < 0.000_001)
            #expect(ReportLinker.ReportFacts.millisecond(stored.receivedAt) == ReportLinker.ReportFacts.millisecond(report.receivedAt))
        }
        // Two reports 0.4 µs apart, the later one with the smaller id: the id decides, as it
        // does once a database has rounded both to the same microsecond.
        let t = Date(timeIntervalSince1970: 1_796_000_000.123)
        let smaller = UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 1))
        let larger = UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 2))
        let first = ReportLinker.ReportFacts(id: larger, reference: "A", receivedAt: t, source: "public", postcode: nil)
        let second = ReportLinker.ReportFacts(id: smaller, reference: "B", receivedAt: t.addingTimeInterval(0.000_000_4), source: "public", postcode: nil)
        let secondStored = ReportLinker.ReportFacts(id: smaller, reference: "B", receivedAt: t, source: "public", postcode: nil)
        #expect(ReportLinker.ReportFacts.before(second, first) == ReportLinker.ReportFacts.before(secondStored, first))
        #expect(ReportLinker.ReportFacts.before(second, first))
    }

    /// A server stopped after committing reports and before linking them: the reports stay
    /// marked as waiting, and the next sweep (here on another instance) links them; later
    /// reports on the first instance find their people.
    @Test func reportsLeftWaitingAreLinkedByTheNextSweep() async throws {
        try await withServices(demo: false) { services, database in
            // Stored the way intake stores them, but nothing links them (as if killed just after).
            var batch: [PreparedReport] = []
            for n in 0..<3 {
                var input = ReportInput()
                input.description = "Left waiting \(n): men collected from the car wash."
                input.phones = "07700 900444"
                input.persons = [.init(name: "Ion Popescu", dateOfBirth: "1990-03-04")]
                guard case .success(let valid) = ReportValidation.validate(input, source: .public, catalogue: IndicatorCatalogue(version: 0, items: []),
                                                                            requireFormAnswers: false) else {
                    Issue.record("the test report did not validate")
                    return
                }
                batch.append(try await services.reports.prepare(valid, catalogue: IndicatorCatalogue(version: 0, items: []), identity: nil,
                                                                 address: "test", idempotencyKey: nil, fingerprint: ""))
            }
            _ = try await ReportService.write(batch, on: services.database.db, queue: services.intelligence.linker.intakeFollowUp.queue)
            let db = services.database.db
            #expect(try await LinkPendingRow.query(on: db).count() == 3)
            #expect(try await ReportLink.query(on: db).count() == 0)

            try await Self.withOtherInstance(database) { other in
                // Nothing is older than a minute: a periodic sweep leaves fresh reports to their instance.
                #expect(await other.intelligence.linker.sweep(grace: .seconds(60)) == 0)
                #expect(await other.intelligence.linker.sweep() == 3)
                await other.reports.settle()
            }
            #expect(try await LinkPendingRow.query(on: db).count() == 0)
            #expect(try await ReportLink.query(on: db).count() == 3)
            #expect(try await LinkKeyRow.find("phone|+447700900444", on: db)?.reports == 3)

            // The first instance's index has them: a new report of the man links by person too.
            let later = try await IntelligenceTests.report(services, by: nil, text: "Ion again, no phone this time.", people: Self.popesku)
            let laterID = try #require(later.id)
            let links = try await ReportLink.query(on: db).filter(\.$laterReportID == laterID).all()
            #expect(links.count == 3 && links.allSatisfy { $0.reasons.contains { $0.kind == "person" } })
            // A sweep finds nothing more to do.
            #expect(await services.intelligence.linker.sweep() == 0)
        }
    }

    /// Old log rows go (the latest stays, to number the next); an instance that had not caught
    /// up with what was pruned builds its index again and still links correctly.
    @Test func aPrunedLogMakesALaggingInstanceRebuildItsIndex() async throws {
        try await withServices(demo: false) { services, database in
            try await Self.withOtherInstance(database) { other in
                _ = try await IntelligenceTests.report(other, by: nil, text: "Seen first by the other instance.", people: Self.popescu)
                let first = try await IntelligenceTests.report(services, by: nil, text: "Man at the car wash.", people: Self.popescu)
                let second = try await IntelligenceTests.report(services, by: nil, text: "Worker at the car wash.", people: Self.popesku)
                let db = services.database.db
                #expect(try await LinkLogRow.query(on: db).count() == 3)
                try await LinkSession.pruneLog(services.database, before: Date().addingTimeInterval(60))
                let kept = try await LinkLogRow.query(on: db).all()
                #expect(kept.count == 1 && kept.first?.id == 3)
                // `other` is at position 1; rows 2 and 3 are gone, so it reloads and sees both reports.
                let third = try await IntelligenceTests.report(other, by: nil, text: "Car wash again.", people: Self.popescu)
                let thirdID = try #require(third.id)
                let earlier = Set(try await ReportLink.query(on: db).filter(\.$laterReportID == thirdID).all().map(\.earlierReportID))
                #expect(earlier.isSuperset(of: [try #require(first.id), try #require(second.id)]))
                #expect(try await LinkLogRow.query(on: db).all().compactMap(\.id).sorted() == [3, 4])
            }
        }
    }

    /// An analyst's "not the same person" on one instance holds on the other: the other
    /// instance's next report of one of them does not bring them back together.
    @Test func feedbackGivenOnOneInstanceHoldsOnTheOther() async throws {
        try await withServices(demo: true) { services, database in
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            try await Self.withOtherInstance(database) { other in
                let first = try await IntelligenceTests.report(services, by: nil, text: "Andrei at the farm.", people: [Person(name: "Andrei Rusu", dob: "1979-05-02")])
                let second = try await IntelligenceTests.report(other, by: nil, text: "Andrei at the farm shop.", people: [Person(name: "Andrei Rusu", dob: "1979-05-02")])
                let link = try #require(try await IntelligenceTests.link(first, second, services))
                let index = try #require(link.reasons.firstIndex { $0.kind == "person" })
                _ = try await services.intelligence.decide(linkID: try #require(link.id), reason: index, decision: "not_same", note: "Two men",
                                                           identity: analyst, address: "test")
                #expect(try await IntelligenceTests.link(first, second, services) == nil)
                // The other instance replays the judgement before it links its next report.
                let third = try await IntelligenceTests.report(other, by: nil, text: "Andrei again.", people: [Person(name: "Andrei Rusu", dob: "1979-05-02")])
                let db = services.database.db
                let pair = [try #require(first.id), try #require(second.id)]
                let clusters = try await PersonCluster.query(on: db).filter(\.$reportID ~~ pair).all()
                #expect(Set(clusters.map(\.clusterID)).count == 2, "the two stay apart")
                let thirdID = try #require(third.id)
                let thirdLinks = try await ReportLink.query(on: db).filter(\.$laterReportID == thirdID).all()
                #expect(thirdLinks.count == 1, "the third report joins one of them, not both: \(thirdLinks.map(\.summary))")
            }
        }
    }
}
