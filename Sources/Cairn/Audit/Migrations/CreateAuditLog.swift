import FluentKit
import SQLKit

/// Released migrations are never edited: a change is a new migration. Tables are named by
/// string, not by a model, so a later change to a model cannot change what this one did.
struct CreateAuditLog: AsyncMigration {
    var name: String { "006_create_audit_log" }
    func prepare(on db: any Database) async throws {
        try await db.schema("audit_entries")
            .field("seq", .int64, .identifier(auto: false))
            .field("at_ms", .int64, .required)
            .field("actor_id", .uuid)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("record_type", .string, .required)
            .field("record_id", .string, .required)
            .field("address", .string, .required)
            .field("detail", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await db.schema("audit_head")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        // The chain's head before the first entry: the genesis hash, at sequence 0.
        try await db.sqlDatabase().insert(into: "audit_head")
            .columns("id", "seq", "hash")
            .values(SQLBind(1), SQLBind(0), SQLBind(AuditLog.genesisHash))
            .run()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("audit_head").delete()
        try await db.schema("audit_entries").delete()
    }
}
