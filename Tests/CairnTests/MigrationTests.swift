import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

@Suite("Migrations")
struct MigrationTests {
    /// Fluent records each migration's name in `_fluent_migrations`: a renamed migration would run
    /// again on an existing database, and a reordered one would run against tables it does not
    /// expect. New migrations are added at the end of this list.
    @Test func namesAndOrderNeverChange() {
        #expect(CairnMigrations.all.map(\.name) == [
            "001_create_agencies", "002_create_users", "003_create_sessions", "004_create_api_tokens",
            "005_create_role_security_policies", "006_create_audit_log", "007_add_agency_services", "008_create_reports",
            "009_create_indicator_items", "010_create_cases", "011_create_case_support", "012_create_intelligence",
            "013_create_case_contacts", "014_create_link_keys", "015_create_link_networks", "016_add_intelligence_partner_title",
            "017_create_link_coordination", "018_create_rate_limits", "019_set_triage_deadlines", "020_create_recovery_codes",
            "021_create_partnership_plan", "022_create_partnership_governance", "023_create_sharing_agreements", "024_create_self_assessment",
            "025_add_report_retention", "026_add_case_retention", "027_create_audit_anchor", "028_create_retention",
            "029_create_plan_indicators", "030_create_board_reports", "031_create_indicator_figures",
            "032_add_plan_action_round", "033_create_insight_tallies", "034_add_anonymised_sharing", "035_add_link_receipt",
            "036_add_report_change_indexes",
            "037_create_training",
            "040_create_campaigns", "041_add_report_campaign_code",
            "043_create_resources",
            "044_create_campaign_materials",
            "045_create_releases",
            "046_create_national",
            "047_create_survivor_view",
        ])
    }

    @Test func theChecklistsAreSeededWithThePublishedLists() async throws {
        try await withServices { services, _ in
            let seeded = try await services.reports.catalogue()
            let standard = IndicatorCatalogue.standard.items
            #expect(seeded.items.map(\.id) == standard.map(\.id))
            #expect(seeded.items.map(\.text) == standard.map(\.text))
            #expect(seeded.items.allSatisfy { $0.version == 1 && !$0.retired })
        }
    }

    /// 019 gives reports still waiting for triage a deadline 24 hours after they were received,
    /// and leaves every other report's deadline alone.
    @Test func reportsWaitingForTriageGetTheTriageDeadline() async throws {
        try await withServices { services, _ in
            let analyst = Identity(userID: UUID(), email: "a@example.invalid", displayName: "A", agencyID: UUID(), agencyName: "Police",
                                   roles: [.analyst], hasTwoFactor: false, via: .apiToken(id: UUID()))
            var waitingInput = ReportInput()
            waitingInput.description = "Someone sleeping in the back of the car wash"
            let waiting = try await services.reports.submit(waitingInput, source: .public, identity: nil, address: "test",
                                                            idempotencyKey: nil, requireFormAnswers: false).report
            var triagedInput = waitingInput
            triagedInput.exploitationTypes = ["labour"]
            triagedInput.ageGroup = "adult"
            let triaged = try await services.reports.submit(triagedInput, source: .practitioner, identity: nil, address: "test",
                                                            idempotencyKey: nil, requireFormAnswers: false).report
            #expect(waiting.reportStatus == .new && triaged.reportStatus != .new)
            // As before the triage deadline existed: the response deadline of the provisional urgency.
            let sql = services.database.sql
            let late = Date(timeIntervalSince1970: ((waiting.receivedAt.timeIntervalSince1970 + 28 * 86_400) * 1000).rounded() / 1000)
            try await sql.update(Report.schema).set("due_at", to: SQLBind(late)).run()

            try await SetTriageDeadlines().prepare(on: services.database.db)

            let (afterWaiting, _) = try await services.reports.visibleReport(try #require(waiting.id), identity: analyst)
            let (afterTriaged, _) = try await services.reports.visibleReport(try #require(triaged.id), identity: analyst)
            #expect(abs(afterWaiting.dueAt.timeIntervalSince(waiting.receivedAt) - 24 * 3600) < 0.001)
            #expect(abs(afterTriaged.dueAt.timeIntervalSince(late)) < 0.001)
        }
    }

    /// Every migration ran and is recorded by its name, on either database, and the audit
    /// chain starts from its genesis head (inserted by SQL, not through a live model).
    @Test func everyMigrationIsRecordedAndTheAuditChainStarts() async throws {
        try await withServices { services, _ in
            struct Row: Decodable { let name: String }
            let recorded = try await services.database.sql.raw("SELECT name FROM _fluent_migrations").all(decoding: Row.self).map(\.name)
            #expect(Set(recorded) == Set(CairnMigrations.all.map(\.name)))
            // The audit chain starts from its genesis head.
            struct Head: Decodable { let seq: Int; let hash: String }
            let heads = try await services.database.sql.raw("SELECT seq, hash FROM audit_head").all(decoding: Head.self)
            #expect(heads.count == 1 && heads.first?.seq == 0 && heads.first?.hash == AuditLog.genesisHash)
        }
    }
}
