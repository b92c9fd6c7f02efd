import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// Group commit: concurrent submissions share transactions, every acknowledged report is
/// stored whole, the audit chain stays intact, and one failing report never fails the others.
@Suite struct IntakeTests {
    static func input(_ n: Int) -> ReportInput {
        var input = ReportInput()
        input.description = "Submission \(n): men collected from the car wash every night in a white van."
        input.location = "Car wash, Mill Lane"
        input.postcode = "WM1 2AB"
        input.phones = "07700 900\(String(format: "%03d", n % 1000))"
        input.vehicles = "WM12 XY\(n % 10)"
        return input
    }

    static func prepared(_ n: Int, services: AppServices) async throws -> PreparedReport {
        guard case .success(let valid) = ReportValidation.validate(input(n), source: .public, catalogue: IndicatorCatalogue(version: 0, items: []),
                                                                    requireFormAnswers: false) else {
            Issue.record("the test report did not validate")
            throw CancellationError()
        }
        return try await services.reports.prepare(valid, catalogue: IndicatorCatalogue(version: 0, items: []), identity: nil,
                                                  address: "test", idempotencyKey: nil, fingerprint: "")
    }

    // The limit catches a writer that never answers. The whole suite runs in parallel, so on
    // PostgreSQL (a new database, 32 migrations) intake's tests took up to 130 s of wall time.
    @Test(.timeLimit(.minutes(5)))
    func concurrentSubmissionsAreAllStoredWholeWithAnIntactAuditChain() async throws {
        try await withServices { services, _ in
            let count = 120
            let submitted = try await withThrowingTaskGroup(of: ReportService.Submitted.self) { group in
                for n in 0..<count {
                    group.addTask {
                        try await services.reports.submit(Self.input(n), source: .public, identity: nil, address: "test",
                                                          idempotencyKey: nil, requireFormAnswers: false)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(submitted.count == count)
            #expect(Set(submitted.map(\.report.reference)).count == count)
            let db = services.database.db
            #expect(try await Report.query(on: db).count() == count)
            #expect(try await ReportEvent.query(on: db).count() == count)
            // The address (place and postcode), a phone and a vehicle on each.
            #expect(try await ReportMention.query(on: db).count() == 3 * count)
            #expect(try await ReportMention.query(on: db).filter(\.$kind == "vehicle").count() == count)
            let entries = try await AuditEntry.query(on: db).filter(\.$action == "report.created").all()
            #expect(Set(entries.map(\.recordID)) == Set(submitted.map { $0.report.id!.uuidString }))
            let chain = try await services.audit.verify()
            #expect(chain.isIntact)
            // Each passphrase opens its own report, read back from the database.
            for item in submitted.prefix(10) {
                let found = try await services.reports.publicLookup(reference: item.report.reference, passphrase: item.passphrase!, address: "test")
                #expect(found?.id == item.report.id)
                #expect(found?.narrative == item.report.narrative)
                #expect(found?.postcode == "WM1 2AB")
                #expect(found?.passphraseHash == item.report.passphraseHash)
                #expect(found?.dueAt.timeIntervalSince1970.rounded() == item.report.dueAt.timeIntervalSince1970.rounded())
            }
        }
    }

    @Test func aFailingReportInABatchDoesNotFailTheOthers() async throws {
        try await withServices { services, _ in
            let first = try await Self.prepared(1, services: services)
            let clash = try await Self.prepared(2, services: services)
            clash.report.reference = first.report.reference
            let third = try await Self.prepared(3, services: services)
            let database = services.database
            let writer = IntakeWriter { batch in try await ReportService.write(batch, on: database.db, queue: IntakeFollowUp.none.queue) }
            let outcomes = await writer.writeSeparatingFailures([first, clash, third])
            #expect(outcomes.count == 3)
            #expect((try? outcomes[0].get())?.report.id == first.report.id)
            #expect((try? outcomes[1].get()) == nil)
            #expect((try? outcomes[2].get())?.report.id == third.report.id)
            let db = database.db
            let stored = try await Report.query(on: db).all().map(\.id)
            #expect(Set(stored) == [first.report.id, third.report.id])
            // Nothing of the refused report was half-saved.
            #expect(try await ReportMention.query(on: db).filter(\.$reportID == clash.report.id!).count() == 0)
            #expect(try await AuditEntry.query(on: db).filter(\.$recordID == clash.report.id!.uuidString).count() == 0)
            #expect(try await services.audit.verify().isIntact)
        }
    }

    /// The service's own writer (on SQLite the one that writes batch after batch on the
    /// connection's thread): a clash fails alone, a repeat of an earlier report is answered with
    /// it after a read, and everything else in the same burst is stored.
    // The limit catches a writer that never answers. The whole suite runs in parallel, so on
    // PostgreSQL (a new database, 32 migrations) intake's tests took up to 130 s of wall time.
    @Test(.timeLimit(.minutes(5)))
    func theServiceWriterSeparatesFailuresAndAnswersRepeatsInABurst() async throws {
        try await withServices { services, _ in
            let catalogue = IndicatorCatalogue(version: 0, items: [])
            guard case .success(let valid) = ReportValidation.validate(Self.input(500), source: .public, catalogue: catalogue,
                                                                        requireFormAnswers: false) else { Issue.record("invalid"); return }
            let earlier = try await services.reports.prepare(valid, catalogue: catalogue, identity: nil, address: "test",
                                                             idempotencyKey: "burst-key", fingerprint: "f")
            let stored = try await services.reports.writer.store(earlier)
            let writer = services.reports.writer
            let first = try await Self.prepared(1, services: services)
            let clash = try await Self.prepared(2, services: services)
            clash.report.reference = first.report.reference
            let repeated = try await services.reports.prepare(valid, catalogue: catalogue, identity: nil, address: "test",
                                                              idempotencyKey: "burst-key", fingerprint: "f")
            var others: [PreparedReport] = []
            for n in 3..<40 { others.append(try await Self.prepared(n, services: services)) }
            let all = [first, clash, repeated] + others
            let results = await withTaskGroup(of: (Int, Result<ReportService.Submitted, any Error>).self) { group in
                for (index, item) in all.enumerated() {
                    group.addTask {
                        do { return (index, .success(try await writer.store(item))) } catch { return (index, .failure(error)) }
                    }
                }
                var results: [Int: Result<ReportService.Submitted, any Error>] = [:]
                for await (index, result) in group { results[index] = result }
                return results
            }
            let firstStored = (try? results[0]?.get()) != nil
            let clashStored = (try? results[1]?.get()) != nil
            #expect(firstStored != clashStored)
            let replay = try results[2]!.get()
            #expect(replay.replayed && replay.report.id == stored.report.id && replay.report.reference == stored.report.reference)
            for index in 3..<all.count { #expect((try? results[index]?.get())?.report.id == all[index].report.id) }
            let db = services.database.db
            #expect(try await Report.query(on: db).count() == 1 + 1 + others.count)
            // The repeat's new passphrase is the one that works now.
            let found = try await services.reports.publicLookup(reference: stored.report.reference, passphrase: replay.passphrase!, address: "test")
            #expect(found?.id == stored.report.id)
            #expect(try await services.audit.verify().isIntact)
            await services.reports.settle()
        }
    }

    @Test func aRepeatedKeyInTheSameBatchGivesTheFirstReport() async throws {
        try await withServices { services, _ in
            let catalogue = IndicatorCatalogue(version: 0, items: [])
            guard case .success(let valid) = ReportValidation.validate(Self.input(7), source: .public, catalogue: catalogue,
                                                                        requireFormAnswers: false) else { Issue.record("invalid"); return }
            let a = try await services.reports.prepare(valid, catalogue: catalogue, identity: nil, address: "test", idempotencyKey: "k-1", fingerprint: "f")
            let b = try await services.reports.prepare(valid, catalogue: catalogue, identity: nil, address: "test", idempotencyKey: "k-1", fingerprint: "f")
            let other = try await services.reports.prepare(valid, catalogue: catalogue, identity: nil, address: "test", idempotencyKey: "k-1", fingerprint: "g")
            let outcomes = try await ReportService.write([a, b, other], on: services.database.db, queue: services.intelligence.linker.intakeFollowUp.queue)
            let first = try outcomes[0].get(), second = try outcomes[1].get()
            #expect(!first.replayed && second.replayed)
            #expect(second.report.id == a.report.id)
            #expect(throws: AppError.self) { try outcomes[2].get() }
            let db = services.database.db
            #expect(try await Report.query(on: db).count() == 1)
            // The replay's passphrase is the one that works now.
            let found = try await services.reports.publicLookup(reference: a.report.reference, passphrase: second.passphrase!, address: "test")
            #expect(found?.id == a.report.id)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "report.replayed").count() == 1)
        }
    }
}
