import FluentKit
import SQLKit

/// The shared counts' table (`SharedRateLimits`), on PostgreSQL only (SQLite keeps its counts
/// in the process). Released migrations are never edited: a change is a new migration.
struct CreateRateLimits: AsyncMigration {
    var name: String { "018_create_rate_limits" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("""
            CREATE UNLOGGED TABLE rate_limits (scope TEXT NOT NULL, key TEXT NOT NULL, full_at BIGINT NOT NULL, PRIMARY KEY (scope, key))
            """).run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP TABLE IF EXISTS rate_limits").run()
    }
}
