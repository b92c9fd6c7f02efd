import FluentKit
import Foundation
import Testing

@testable import Cairn

/// Searching the audit log by the references people quote: a report's CRN-… and a case's SC-….
@Suite struct AuditSearchTests {
    @Test func administratorFindsAReportsAndACasesEntriesByReference() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let reports = try await Report.query(on: db).sort(\.$reference).limit(2).all()
            try #require(reports.count == 2)
            let (report, other) = (reports[0], reports[1])
            let supportCase = try #require(try await SupportCase.query(on: db).first())
            let audit = built.services.audit
            for (type, id, action) in [("report", try report.requireID().uuidString, "test.about_report"),
                                       ("report", try other.requireID().uuidString, "test.about_other"),
                                       ("case", try supportCase.requireID().uuidString, "test.about_case")] {
                try await audit.append(AuditEvent(actor: .system, action: action, recordType: type, recordID: id))
            }
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            // Typed as people type it: lower case, no dashes.
            let typed = report.reference.lowercased().replacingOccurrences(of: "-", with: "")
            let byReport = try await admin.get("/admin/audit?reference=\(typed)")
            #expect(byReport.status == .ok)
            #expect(byReport.text.contains("test.about_report"))
            #expect(!byReport.text.contains("test.about_other"))
            #expect(!byReport.text.contains("test.about_case"))
            #expect(byReport.text.contains("value=\"\(typed)\""))
            let byCase = try await admin.get("/admin/audit?reference=\(supportCase.code)")
            #expect(byCase.text.contains("test.about_case"))
            #expect(!byCase.text.contains("test.about_report"))
            // Combined with another filter.
            let narrowed = try await admin.get("/admin/audit?reference=\(report.reference)&action=auth.")
            #expect(narrowed.text.contains("No entries match"))
            // A well-formed reference nobody holds finds nothing; a malformed one says what a reference looks like.
            let unknown = try await admin.get("/admin/audit?reference=CRN-2222-22")
            #expect(unknown.status == .ok)
            #expect(unknown.text.contains("No entries match"))
            let malformed = try await admin.get("/admin/audit?reference=banana")
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.text.contains("Enter a reference like CRN-7K4P-Q2"))
            #expect(!malformed.text.contains("test.about_report"))
            // Every search is itself audited, noting it was by reference.
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "audit.searched").filter(\.$detail == "by reference").count() >= 3)
        }
    }

    @Test func onlyThoseWhoMayReadTheLogCanSearchIt() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let report = try #require(try await Report.query(on: db).first())
            for email in ["viewer@demo.invalid", "analyst@demo.invalid", "caseworker@demo.invalid", "coordinator@demo.invalid"] {
                let browser = Browser(client)
                try await browser.signIn(email)
                #expect(try await browser.get("/admin/audit?reference=\(report.reference)").status == .forbidden, "\(email)")
            }
            // The service refuses too, whatever route calls it.
            let viewer = try #require(try await User.query(on: db).filter(\.$email == "viewer@demo.invalid").first())
            let identity = Identity(userID: try viewer.requireID(), email: viewer.email, displayName: "", agencyID: UUID(), agencyName: "",
                                    roles: [.viewer], hasTwoFactor: false, via: .apiToken(id: UUID()))
            await #expect(throws: AppError.self) {
                try await built.services.auditReader.search(AuditLog.Search(), reference: report.reference, identity: identity,
                                                            actor: identity.auditActor, address: "test")
            }
            // Nor may an anonymous caller pass itself off as the command line.
            await #expect(throws: AppError.self) {
                try await built.services.auditReader.search(AuditLog.Search(), reference: "", identity: nil, actor: .anonymous, address: "test")
            }
        }
    }

    @Test func searchByRecordsMatchesOnlyThoseRecordsOnEitherDatabase() async throws {
        try await withServices { services, _ in
            for i in 1...5 {
                try await services.audit.append(AuditEvent(actor: .system, action: "test.x", recordType: i % 2 == 0 ? "case" : "report", recordID: "id-\(i)"))
            }
            var search = AuditLog.Search()
            search.records = [AuditRecordKey(type: "report", id: "id-1"), AuditRecordKey(type: "case", id: "id-4"), AuditRecordKey(type: "case", id: "id-1")]
            let (entries, total) = try await services.audit.search(search)
            #expect(total == 2)
            #expect(Set(entries.map(\.recordID)) == ["id-1", "id-4"])
            search.records = []
            #expect(try await services.audit.search(search).total == 0)
        }
    }
}
