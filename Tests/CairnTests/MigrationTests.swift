import FluentKit
import SQLKit
import Testing

@testable import Cairn

/// Fluent records each migration by name in `_fluent_migrations`: a renamed or re-ordered
/// migration would run again (or not at all) on a database already in use.
@Suite struct MigrationTests {
    static let released = [
        "001_create_agencies", "002_create_users", "003_create_sessions", "004_create_api_tokens", "005_create_role_security_policies",
        "006_create_audit_log", "007_add_agency_services", "008_create_reports", "009_create_indicator_items", "010_create_cases",
        "011_create_case_support", "012_create_intelligence", "013_create_case_contacts", "014_create_link_keys", "015_create_link_networks",
        "016_add_intelligence_partner_title", "017_create_link_coordination", "018_create_rate_limits", "019_set_triage_deadlines",
        "020_create_recovery_codes",
    ]

    @Test func releasedMigrationsKeepTheirNamesAndOrder() async throws {
        #expect(Array(CairnMigrations.all.map(\.name).prefix(Self.released.count)) == Self.released)
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
