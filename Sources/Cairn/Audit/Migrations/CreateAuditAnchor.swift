import FluentKit

/// Released migrations are never edited: a change is a new migration. Tables are named by
/// string, not by a model, so a later change to a model cannot change what this one did.
///
/// `audit_anchor`: at most one row, written when the retention schedule removes the oldest
/// entries: where the chain now starts (the first entry kept and the hash it links to) and the
/// entry, in the chain, that records the removal (see `AuditLog+Retention.swift`).
struct CreateAuditAnchor: AsyncMigration {
    var name: String { "027_create_audit_anchor" }
    func prepare(on db: any Database) async throws {
        try await db.schema("audit_anchor")
            .field("id", .int, .identifier(auto: false))
            .field("first_seq", .int64, .required)
            .field("prev_hash", .string, .required)
            .field("entry_seq", .int64, .required)
            .field("at_ms", .int64, .required)
            .create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("audit_anchor").delete()
    }
}
