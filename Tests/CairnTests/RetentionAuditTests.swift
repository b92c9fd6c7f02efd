import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// Removing the oldest audit entries: the chain still verifies from where it is anchored, and
/// moving the anchor, deleting it or editing the entry that records the removal is caught.
@Suite struct RetentionAuditTests {
    static func append(_ count: Int, _ audit: AuditLog, _ label: String) async throws {
        for n in 0..<count {
            try await audit.append(AuditEvent(actor: .system, action: "test.\(label)", recordType: "test", recordID: "\(n)"))
        }
    }

    /// A moment after every entry written so far (entries are stamped in whole milliseconds).
    static func afterLastEntry(_ services: AppServices) async throws -> Date {
        let last = try #require(try await AuditEntry.query(on: services.database.db).sort(\.$id, .descending).first())
        while Int64((Date().timeIntervalSince1970 * 1000).rounded()) <= last.atMilliseconds + 1 { try await Task.sleep(for: .milliseconds(2)) }
        return Date()
    }

    static func anchor(_ services: AppServices) async throws -> (first: Int, hash: String, entry: Int)? {
        guard let row = try await services.database.sql.select().columns("first_seq", "prev_hash", "entry_seq").from(AuditLog.anchorSchema).first() else {
            return nil
        }
        return (try row.decode(column: "first_seq", as: Int.self), try row.decode(column: "prev_hash", as: String.self),
                try row.decode(column: "entry_seq", as: Int.self))
    }

    static func setAnchor(_ services: AppServices, first: Int, hash: String, entry: Int) async throws {
        let sql = services.database.sql
        try await sql.delete(from: AuditLog.anchorSchema).run()
        try await sql.insert(into: AuditLog.anchorSchema).columns("id", "first_seq", "prev_hash", "entry_seq", "at_ms")
            .values(SQLBind(1), SQLBind(first), SQLBind(hash), SQLBind(entry), SQLBind(Int64(0))).run()
    }

    @Test func theOldestEntriesGoAndTheChainStillVerifies() async throws {
        try await withServices { services, _ in
            let audit = services.audit
            try await Self.append(5, audit, "old")
            let cutoff = try await Self.afterLastEntry(services)
            let before = try await AuditEntry.query(on: services.database.db).count()
            try await Self.append(3, audit, "new")
            #expect(try await audit.retentionCount(before: cutoff) == before)
            let preview = try await audit.retentionPreview(before: cutoff)
            #expect(preview.map(\.reference) == ["Entries 1 to \(before)"])

            #expect(try await audit.prune(before: cutoff, actor: .commandLine("test")) == before)
            let kept = try await AuditEntry.query(on: services.database.db).sort(\.$id).all()
            #expect(kept.map(\.action) == ["test.new", "test.new", "test.new", AuditLog.pruneAction])
            #expect(kept.first?.id == before + 1)
            let prune = try #require(kept.last)
            #expect(prune.detail.hasPrefix("retention: entries 1 to \(before) written before "))
            var check = try await audit.verify()
            #expect(check.isIntact, "\(check.reason ?? "")")
            #expect(check.checked == 4 && check.startsAt == before + 1)
            // Nothing more is due; a second removal later anchors again and still verifies.
            #expect(try await audit.retentionCount(before: cutoff) == 0)
            #expect(try await audit.prune(before: cutoff, actor: .system) == 0)
            let second = try await Self.afterLastEntry(services)
            try await Self.append(2, audit, "newer")
            #expect(try await audit.prune(before: second, actor: .system) == 4)
            check = try await audit.verify()
            #expect(check.isIntact, "\(check.reason ?? "")")
            #expect(check.checked == 3 && check.startsAt == before + 5)

            // Tampering is caught. Moving the anchor on, to hide a removed entry:
            let anchor = try #require(try await Self.anchor(services))
            let firstKept = try #require(try await AuditEntry.find(anchor.first, on: services.database.db))
            try await firstKept.delete(on: services.database.db)
            try await Self.setAnchor(services, first: anchor.first + 1, hash: firstKept.hash, entry: anchor.entry)
            check = try await audit.verify()
            #expect(!check.isIntact && check.reason?.contains("the anchor was moved or the entry changed") == true, "\(check.reason ?? "")")
            // Pointing the anchor at an earlier entry than the one it starts at:
            try await Self.setAnchor(services, first: anchor.first + 1, hash: firstKept.hash, entry: 1)
            #expect(try await audit.verify().reason?.contains("the anchor was changed") == true)
            // Deleting the anchor: the walk starts at entry 1, which is gone.
            try await services.database.sql.delete(from: AuditLog.anchorSchema).run()
            check = try await audit.verify()
            #expect(!check.isIntact && check.reason?.contains("entry 1 is missing") == true, "\(check.reason ?? "")")
        }
    }

    @Test func editingTheEntryThatRecordsTheRemovalIsCaught() async throws {
        try await withServices { services, _ in
            try await Self.append(3, services.audit, "old")
            let cutoff = try await Self.afterLastEntry(services)
            try await Self.append(1, services.audit, "new")
            _ = try await services.audit.prune(before: cutoff, actor: .system)
            #expect(try await services.audit.verify().isIntact)
            let anchor = try #require(try await Self.anchor(services))
            try await services.database.sql.update(AuditEntry.schema).set("detail", to: SQLBind("retention: nothing removed"))
                .where("seq", .equal, SQLBind(anchor.entry)).run()
            let check = try await services.audit.verify()
            #expect(!check.isIntact && check.firstBroken == anchor.entry, "\(check.reason ?? "")")
        }
    }

    /// Through the schedule: an audit log kept a year, run as if two years from now, removes
    /// every entry written before a year from then, and `cairn audit verify`'s check passes.
    @Test func theScheduleRemovesAuditEntriesAndTheChainVerifies() async throws {
        try await withServices(demo: true) { services, _ in
            let admin = try await DemoReports.identity("admin@demo.invalid", services)
            _ = try await services.retention.setRule(.auditEntries, amount: "1", unit: "years", reason: "Test", identity: admin, address: "test")
            let written = try await AuditEntry.query(on: services.database.db).count()
            let later = Date().addingTimeInterval(2 * 366 * 86_400)
            guard case .ran(let report) = try await services.retention.run(.commandLine, actor: .commandLine("test"), now: later) else {
                Issue.record("no run"); return
            }
            #expect(report.lines.first { $0.kind == .auditEntries }?.removed == written)
            let left = try await AuditEntry.query(on: services.database.db).sort(\.$id).all()
            #expect(left.map(\.action) == [AuditLog.pruneAction, "retention.run"])
            let check = try await services.audit.verify()
            #expect(check.isIntact, "\(check.reason ?? "")")
            #expect(check.startsAt == written + 1)
            #expect(check.retentionNote == ", from entry \(written + 1) (those before it were removed under the retention schedule)")
            // New entries chain on as ever.
            try await Self.append(2, services.audit, "after")
            #expect(try await services.audit.verify().isIntact)
        }
    }
}
