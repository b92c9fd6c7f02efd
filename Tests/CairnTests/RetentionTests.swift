import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import Cairn

/// The retention schedule: administrators set it (bad input changes nothing), the preview lists
/// exactly what is due, and a run anonymises or deletes exactly that, audited in counts, leaving
/// everything not yet due as it was and the figures over past periods unchanged.
@Suite struct RetentionTests {
    static func scheduleRows(_ services: AppServices) async throws -> Int {
        let row = try await services.database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(RetentionService.scheduleSchema).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    static func audits(_ action: String, _ services: AppServices) async throws -> [AuditEntry] {
        try await AuditEntry.query(on: services.database.db).filter(\.$action == action).sort(\.$id).all()
    }

    @Test func anAdministratorSetsEachPeriodAndBadInputChangesNothing() async throws {
        try await withApp { client, built in
            let services = built.services
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            var page = try await admin.get("/admin/retention")
            #expect(page.status == .ok)
            // Nothing set yet: every default is shown, marked as not set.
            #expect(page.text.components(separatedBy: "Not set</span>").count - 1 == RetentionKind.allCases.count)
            #expect(page.text.contains("24 months after the report was closed"))
            #expect(page.text.contains("The schedule has not been run yet."))

            let path = "/admin/retention/schedule/closed_reports"
            page = try await admin.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("Not set."))
            let bad: [([(String, String)], String, String)] = [
                ([("amount", "-6"), ("unit", "months"), ("reason", "r")], "amount", "Enter a period from 1 to 1200 months"),
                ([("amount", "0"), ("unit", "months"), ("reason", "r")], "amount", "Enter a period from 1 to 1200 months"),
                ([("amount", "99999999999999999999"), ("unit", "years"), ("reason", "r")], "amount", "Enter a period from 1 to 100 years"),
                ([("amount", "two"), ("unit", "months"), ("reason", "r")], "amount", "Enter the period as a whole number, like 24"),
                ([("amount", "24"), ("unit", "fortnights"), ("reason", "r")], "unit", "Choose days, months or years"),
                ([("amount", "24"), ("unit", "months"), ("reason", "   ")], "reason", "Enter the reason for keeping them this long"),
                ([("amount", "24"), ("unit", "months")], "reason", "Enter the reason for keeping them this long"),
                ([("amount", "24"), ("unit", "months"), ("reason", String(repeating: "x", count: 501))], "reason", "500 characters or fewer"),
            ]
            for (fields, field, message) in bad {
                let response = try await admin.post(path, fields)
                #expect(response.status == .unprocessableContent, "\(fields)")
                #expect(response.text.contains(message), "\(fields): \(message)")
                #expect(response.text.contains("id=\"\(field)\""))
            }
            // The audit log's floor, over HTTP too.
            let short = try await admin.post("/admin/retention/schedule/audit_entries", [("amount", "6"), ("unit", "months"), ("reason", "Quick")])
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains("the audit log is kept at least a year"))
            // A field sent twice, and an unknown kind, are refused too.
            #expect(try await admin.post(path, [("amount", "24"), ("amount", "12"), ("unit", "months"), ("reason", "r")]).status == .badRequest)
            #expect(try await admin.post("/admin/retention/schedule/everything", [("amount", "1"), ("unit", "days"), ("reason", "r")]).status == .notFound)
            #expect(try await admin.get("/admin/retention/schedule/everything").status == .notFound)
            #expect(try await Self.scheduleRows(services) == 0)
            #expect(try await Self.audits("retention.schedule.set", services).isEmpty)

            // A good one is saved, shown and audited with the old and new period.
            let saved = try await admin.post(path, [("amount", "30"), ("unit", "months"), ("reason", "Agreed at the board, March.")])
            #expect(saved.status == .seeOther && saved.location == "/admin/retention")
            let rule = try await services.retention.rule(.closedReports)
            #expect(rule.inForce && rule.period == RetentionPeriod(30, .months) && rule.reason == "Agreed at the board, March.")
            #expect(rule.setBy == "admin@demo.invalid")
            page = try await admin.get("/admin/retention")
            #expect(page.text.contains("30 months after the report was closed"))
            #expect(page.text.contains("Agreed at the board, March."))
            let entries = try await Self.audits("retention.schedule.set", services)
            #expect(entries.count == 1)
            #expect(entries.first?.recordID == "closed_reports")
            #expect(entries.first?.detail == "not set (default 24 months) → 30 months")
            // Changing it again replaces it.
            _ = try await admin.post(path, [("amount", "2"), ("unit", "years"), ("reason", "Shorter.")])
            #expect(try await services.retention.rule(.closedReports).period == RetentionPeriod(2, .years))
            #expect(try await Self.scheduleRows(services) == 1)
            #expect(try await Self.audits("retention.schedule.set", services).last?.detail == "30 months → 2 years")

            // Only administrators.
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get("/admin/retention").status == .forbidden)
            #expect(try await coordinator.post(path, [("amount", "1"), ("unit", "days"), ("reason", "r")]).status == .forbidden)
            #expect(try await coordinator.post("/admin/retention/run").status == .forbidden)
            #expect(try await services.retention.rule(.closedReports).period == RetentionPeriod(2, .years))
        }
    }

    /// The preview lists the due records' references, exactly, and nothing of their content.
    @Test func thePreviewListsExactlyWhatIsDue() async throws {
        try await withApp { client, built in
            let services = built.services
            let f = try await RetentionFixture.make(services)
            try await RetentionFixture.setDefaults(services)
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")

            func listed(_ kind: RetentionKind) async throws -> String {
                let page = try await admin.get("/admin/retention/schedule/\(kind.rawValue)")
                #expect(page.status == .ok)
                return page.text
            }
            let reports = try await listed(.closedReports)
            #expect(reports.contains("2 due under this period, of which 1 kept because a case was opened from them"))
            #expect(reports.contains(f.nfaDue.reference) && reports.contains(f.nfaKept.reference))
            #expect(reports.contains("A case was opened from it and is kept"))
            for other in [f.nfaRecent, f.actedOld, f.contactDue, f.contactRecent, f.linkedOpen] { #expect(!reports.contains(other.reference)) }
            for secret in [RetentionFixture.person, "Woman seen collected", "Weaver Street", RetentionFixture.phone] { #expect(!reports.contains(secret)) }

            let contacts = try await listed(.reporterContacts)
            #expect(contacts.contains(f.contactDue.reference) && !contacts.contains(f.contactRecent.reference))
            #expect(!contacts.contains(RetentionFixture.contactName))

            let cases = try await listed(.closedCases)
            let dueCode = try #require(try await SupportCase.find(f.caseDue, on: services.database.db)).code
            let recentCode = try #require(try await SupportCase.find(f.caseRecent, on: services.database.db)).code
            #expect(cases.contains(dueCode) && !cases.contains(recentCode))
            #expect(!cases.contains("Elena"))

            let items = try await listed(.intelligenceItems)
            let dueItem = try #require(try await IntelligenceItem.find(f.itemDue, on: services.database.db)).reference
            let recentItem = try #require(try await IntelligenceItem.find(f.itemRecent, on: services.database.db)).reference
            #expect(items.contains(dueItem) && !items.contains(recentItem))

            let sessions = try await listed(.sessions)
            #expect(sessions.contains("1 due under this period"))
            #expect(sessions.contains("Session of analyst@demo.invalid"))
            #expect(!sessions.contains("192.0.2.7") && !sessions.contains(f.sessionDue))

            // Counts on the schedule, and the confirmation page says what a run would do.
            let schedule = try await admin.get("/admin/retention")
            #expect(schedule.text.contains("<td>2 (1 kept)</td>"))
            let confirm = try await admin.get("/admin/retention/run")
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("Reports closed with no further action (24 months after the report was closed): 1 would be anonymised; 1 kept because a case was opened from them"))
            #expect(confirm.text.contains("Sign-in sessions (30 days after the session expired): 1 would be deleted"))
            #expect(confirm.text.contains("This cannot be undone."))
            // Looking changed nothing.
            #expect(try await Report.find(f.nfaDue.id, on: services.database.db)?.narrative == "Woman seen collected at dawn.")
            #expect(try await SessionRecord.find(f.sessionDue, on: services.database.db) != nil)

            // The list is paged: page 2 of one record is empty, and says so.
            let beyond = try await admin.get("/admin/retention/schedule/closed_cases?page=2")
            #expect(beyond.status == .ok && !beyond.text.contains(dueCode))
        }
    }
}
