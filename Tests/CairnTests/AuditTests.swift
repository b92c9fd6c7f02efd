import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

@Suite struct AuditTests {
    func appendSome(_ audit: AuditLog, _ count: Int) async throws {
        for i in 1...count {
            try await audit.append(AuditEvent(actor: .system, action: "test.event", recordType: "thing", recordID: "\(i)", address: "127.0.0.1", detail: "n=\(i)"))
        }
    }

    @Test func intactChainVerifies() async throws {
        try await withServices { services, _ in
            try await appendSome(services.audit, 12)
            let result = try await services.audit.verify(batchSize: 5)
            #expect(result.isIntact)
            #expect(result.checked == 12)
        }
    }

    @Test func editedEntryIsDetected() async throws {
        try await withServices { services, _ in
            try await appendSome(services.audit, 6)
            try await services.database.sql.raw("UPDATE audit_entries SET detail = 'nothing to see' WHERE seq = 4").run()
            let result = try await services.audit.verify()
            #expect(result.firstBroken == 4)
            #expect(result.reason?.contains("altered") == true)
        }
    }

    @Test func deletedEntryIsDetected() async throws {
        try await withServices { services, _ in
            try await appendSome(services.audit, 6)
            try await services.database.sql.raw("DELETE FROM audit_entries WHERE seq = 3").run()
            let result = try await services.audit.verify()
            #expect(result.firstBroken == 3)
        }
    }

    @Test func reorderedEntriesAreDetected() async throws {
        try await withServices { services, _ in
            try await appendSome(services.audit, 6)
            // Swap two entries' positions, keeping every entry's own hash as it was.
            let sql = services.database.sql
            try await sql.raw("UPDATE audit_entries SET seq = 1000 WHERE seq = 2").run()
            try await sql.raw("UPDATE audit_entries SET seq = 2 WHERE seq = 3").run()
            try await sql.raw("UPDATE audit_entries SET seq = 3 WHERE seq = 1000").run()
            let result = try await services.audit.verify()
            #expect(result.firstBroken == 2)
        }
    }

    @Test func removedTailIsDetected() async throws {
        try await withServices { services, _ in
            try await appendSome(services.audit, 6)
            try await services.database.sql.raw("DELETE FROM audit_entries WHERE seq >= 5").run()
            let result = try await services.audit.verify()
            #expect(!result.isIntact)
            #expect(result.firstBroken == 5)
        }
    }

    @Test func concurrentAppendsKeepOneUnbrokenChain() async throws {
        try await withServices { services, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        try await services.audit.append(AuditEvent(actor: .system, action: "test.concurrent", recordID: "\(i)"))
                    }
                }
                try await group.waitForAll()
            }
            let result = try await services.audit.verify()
            #expect(result.isIntact)
            #expect(result.checked == 40)
        }
    }

    @Test func administratorSearchesTheLogAndViewerCannot() async throws {
        try await withApp { client, built in
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            try await Browser(client).signIn("viewer@demo.invalid", password: "not-the-password")
            let page = try await admin.get("/admin/audit?action=auth.sign_in.failure")
            #expect(page.status == .ok)
            #expect(page.text.contains("auth.sign_in.failure"))
            #expect(!page.text.contains("demo.loaded"))
            let byActor = try await admin.get("/admin/audit?actor=admin%40demo")
            #expect(byActor.text.contains("auth.sign_in.success"))
            let badDate = try await admin.get("/admin/audit?from-day=31&from-month=2&from-year=2026")
            #expect(badDate.status == .unprocessableContent)
            #expect(badDate.text.contains("Start date must be a real date"))
            #expect(badDate.text.contains("value=\"31\""), "what was typed is kept")
            let noMonth = try await admin.get("/admin/audit?to-day=3&to-month=&to-year=2026")
            #expect(noMonth.text.contains("End date must include a month"))
            // A day's entries: from and to the same day.
            let now = CalendarDate(Date(), in: .london)
            let today = try await admin.get("/admin/audit?action=auth.sign_in&from-day=\(now.day)&from-month=\(now.month)&from-year=\(now.year)&to-day=\(now.day)&to-month=\(now.month)&to-year=\(now.year)")
            #expect(today.status == .ok)
            #expect(today.text.contains("auth.sign_in.success"))
            let verify = try await admin.post("/admin/audit/verify")
            #expect(verify.text.contains("The audit log is intact"))
            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            #expect(try await viewer.get("/admin/audit").status == .forbidden)
            // Reading the log is itself recorded.
            #expect(try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "audit.searched").count() >= 3)
        }
    }
}
