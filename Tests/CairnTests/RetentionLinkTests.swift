import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// An anonymised report leaves linking: its links, clusters, identifier counts and network go,
/// and no later report links to it, on this instance or after a rebuild.
@Suite struct RetentionLinkTests {
    static func keyRow(_ key: String, _ services: AppServices) async throws -> LinkKeyRow? {
        try await LinkKeyRow.find(key, on: services.database.db)
    }

    @Test func anAnonymisedReportLinksToNothingAnyMore() async throws {
        try await withServices(demo: true) { services, _ in
            let f = try await RetentionFixture.make(services)
            let db = services.database.db
            let due = try f.nfaDue.requireID(), open = try f.linkedOpen.requireID()
            // Before: linked by the phone and the person, in one network.
            let link = try #require(try await ReportLink.query(on: db).filter(\.$earlierReportID == due).filter(\.$laterReportID == open).first())
            #expect(Set(link.reasons.map(\.kind)).isSuperset(of: ["phone", "person"]))
            let phone = try #require(try await ReportMention.query(on: db).filter(\.$reportID == open).filter(\.$kind == "phone").first())
            let key = try #require(ReportLinker.MentionFacts(LinkableMention(
                id: try phone.requireID(), reportID: open, kind: phone.kind, value: phone.value, normalised: phone.normalised,
                dateOfBirth: phone.dateOfBirth, postcode: phone.postcode)).key)
            #expect(try await Self.keyRow(key, services)?.reports == 2)
            let network = try #require(try await ReportNetwork.find(due, on: db)?.networkID)
            #expect(try await LinkNetworkRow.find(network, on: db)?.reports == 2)
            #expect(try await PersonCluster.query(on: db).filter(\.$reportID == due).count() == 1)
            let person = try #require(try await ReportMention.query(on: db).filter(\.$reportID == due).filter(\.$kind == "person").first()?.id)

            try await RetentionFixture.setDefaults(services)
            guard case .ran(let report) = try await services.retention.run(.daily, actor: .system) else { Issue.record("no run"); return }
            #expect(report.lines.first { $0.kind == .closedReports }?.removed == 1)

            // After: nothing of it is left in linking; the open report stands alone.
            #expect(try await ReportLink.query(on: db).group(.or) { $0.filter(\.$earlierReportID == due).filter(\.$laterReportID == due) }.count() == 0)
            #expect(try await PersonCluster.query(on: db).filter(\.$reportID == due).count() == 0)
            #expect(try await ReportNetwork.find(due, on: db) == nil)
            #expect(try await ReportNetwork.find(open, on: db) == nil)
            #expect(try await LinkNetworkRow.find(network, on: db) == nil)
            let counted = try #require(try await Self.keyRow(key, services))
            #expect(counted.reports == 1 && counted.firstMentionID == phone.id && counted.lastMentionID == phone.id)
            let log = try await LinkLogRow.query(on: db).sort(\.$id).all()
            // The other instances are told: this person, and that identifiers changed.
            #expect(log.contains { $0.kind == LinkLogKind.erase.rawValue && $0.subjectID == person })
            #expect(log.contains { $0.kind == LinkLogKind.erase.rawValue && $0.subjectID == nil })
            #expect(log.last?.kind == LinkLogKind.rebuild.rawValue)

            // A new report with the same phone and the same person links to the open one only.
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            var input = ReportInput()
            input.description = "She was seen again."
            input.phones = RetentionFixture.phone
            input.persons = [.init(name: RetentionFixture.person, dateOfBirth: "1990", nationality: "Polish")]
            input.exploitationTypes = ["labour"]
            input.ageGroup = "adult"
            let new = try await services.reports.submit(input, source: .practitioner, identity: analyst, address: "test", idempotencyKey: nil,
                                                        requireFormAnswers: false).report
            await services.reports.settle()
            let newID = try new.requireID()
            let links = try await ReportLink.query(on: db).filter(\.$laterReportID == newID).all()
            #expect(links.map(\.earlierReportID) == [open])
            #expect(try await ReportLink.query(on: db).group(.or) { $0.filter(\.$earlierReportID == due).filter(\.$laterReportID == due) }.count() == 0)
            #expect(try await Self.keyRow(key, services)?.reports == 2)

            // A rebuild finds the same: the anonymised report has nothing to link by.
            _ = try await services.intelligence.rebuild(actor: .system)
            #expect(try await ReportLink.query(on: db).group(.or) { $0.filter(\.$earlierReportID == due).filter(\.$laterReportID == due) }.count() == 0)
            #expect(try await ReportLink.query(on: db).filter(\.$laterReportID == newID).all().map(\.earlierReportID) == [open])
        }
    }

    /// Another instance that holds the anonymised person in its index forgets them from the
    /// `erase` rows before it next links, and links a new report to the open one only.
    @Test func anotherInstanceForgetsThemBeforeItNextLinks() async throws {
        try await withServices(demo: true) { services, database in
            let f = try await RetentionFixture.make(services)
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            func report(_ on: AppServices, _ text: String, person: Bool) async throws -> UUID {
                var input = ReportInput()
                input.description = text
                if person { input.persons = [.init(name: RetentionFixture.person, dateOfBirth: "1990", nationality: "Polish")] }
                input.exploitationTypes = ["labour"]
                input.ageGroup = "adult"
                let id = try await on.reports.submit(input, source: .practitioner, identity: analyst, address: "test", idempotencyKey: nil,
                                                     requireFormAnswers: false).report.requireID()
                await on.reports.settle()
                return id
            }
            try await LinkCoordinationTests.withOtherInstance(database) { other in
                // The other instance links a report, so it holds an index with the person in it.
                _ = try await report(other, "Nothing to do with anyone.", person: false)
                let due = try f.nfaDue.requireID()
                #expect(await other.intelligence.linker.reportOfMention.values.contains(due))
                // This one anonymises the report (a batch of a run, without the closing rebuild).
                let reports = services.reports
                let cutoff = RetentionPeriod(24, .months).cutoff(at: Date())
                let erased = try await services.intelligence.forgetReports([due]) { db in
                    try await reports.anonymise([due], closedBefore: cutoff, actor: .system, detail: "test", on: db)
                }
                #expect(erased == [due])
                // The other links a new report naming the same person: to the open report only.
                let new = try await report(other, "Seen at the bus station.", person: true)
                let linked = try await ReportLink.query(on: other.database.db).filter(\.$laterReportID == new).all().map(\.earlierReportID)
                #expect(!linked.contains(due))
                #expect(linked.contains(try f.linkedOpen.requireID()))
                #expect(await !other.intelligence.linker.reportOfMention.values.contains(due))
                #expect(other.intelligence.linker.unlinkedReports == 0)
            }
        }
    }
    /// A network the anonymised report held together splits; each part is named by its earliest
    /// report, and its count and alerts follow.
    @Test func aNetworkTheReportHeldTogetherSplits() async throws {
        try await withServices(demo: true) { services, _ in
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            let now = Date()
            func report(_ months: Int, phones: String) async throws -> UUID {
                var input = ReportInput()
                input.description = "Workers collected by minibus."
                input.phones = phones
                input.exploitationTypes = ["labour"]
                input.ageGroup = "adult"
                let id = try await services.reports.submit(input, source: .practitioner, identity: analyst, address: "test", idempotencyKey: nil,
                                                           requireFormAnswers: false, now: RetentionFixture.ago(now, months: months)).report.requireID()
                await services.reports.settle()
                return id
            }
            let a = try await report(40, phones: "07700 900601")
            let b = try await report(39, phones: "07700 900601, 07700 900602")
            let c = try await report(10, phones: "07700 900602")
            let d = try await report(5, phones: "07700 900602")
            let db = services.database.db
            #expect(Set(try await ReportNetwork.query(on: db).filter(\.$id ~~ [a, b, c, d]).all().map(\.networkID)) == [a])
            #expect(try await LinkNetworkRow.find(a, on: db)?.reports == 4)
            let closed = RetentionFixture.ago(now, months: 26)
            _ = try await RetentionFixture.close(b, .noIndicatorsFound, at: closed, services)
            try await RetentionFixture.setDefaults(services)
            guard case .ran(let run) = try await services.retention.run(.administrator, actor: .system) else { Issue.record("no run"); return }
            #expect(run.lines.first { $0.kind == .closedReports }?.removed == 1)

            #expect(try await ReportNetwork.find(a, on: db) == nil)
            #expect(try await ReportNetwork.find(b, on: db) == nil)
            #expect(try await ReportNetwork.find(c, on: db)?.networkID == c)
            #expect(try await ReportNetwork.find(d, on: db)?.networkID == c)
            #expect(try await LinkNetworkRow.find(a, on: db) == nil)
            #expect(try await LinkNetworkRow.find(c, on: db)?.reports == 2)
            let pairs = try await IntelligenceTests.pairs(services)
            #expect(pairs.contains("\(c)>\(d)") && !pairs.contains { $0.contains(b.uuidString) })
            // The alerts of reports still in a network name it.
            for alert in try await IntelligenceAlert.query(on: db).filter(\.$reportID ~~ [c, d]).all() { #expect(alert.networkID == c) }
            #expect(try await IntelligenceAlert.query(on: db).filter(\.$reportID == b).count() == 0)
        }
    }
}
