import CairnCore
import FluentKit
import Foundation
import SQLKit

/// What the retention schedule asks of sign-in sessions (`RetentionKind.sessions`): those that
/// ended before a cutoff — past their absolute expiry, or idle for longer than the idle timeout
/// — are deleted. The schedule never sees a session's token hash or address.
extension AuthService {
    /// A session ends at its absolute expiry or `sessionIdleTimeout` after it was last seen,
    /// whichever is first; it is due when that was before `cutoff`.
    private func dueSessions(_ sql: any SQLDatabase, before cutoff: Date) -> SQLSelectBuilder {
        sql.select().from(SessionRecord.schema).where { group in
            group.where("expires_at", .lessThan, SQLBind(cutoff))
                .orWhere("last_seen_at", .lessThan, SQLBind(cutoff.addingTimeInterval(-config.sessionIdleTimeout)))
        }
    }

    func retentionCount(sessionsBefore cutoff: Date) async throws -> Int {
        let row = try await dueSessions(database.sql, before: cutoff).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A page of the due sessions, oldest first, each named by its account's email (which an
    /// administrator sees on the People page anyway) and the moment it expired.
    func retentionPreview(sessionsBefore cutoff: Date, page: Int, perPage: Int) async throws -> [RetentionDue] {
        let range = Pagination.rows(page: page, perPage: perPage)
        let rows = try await dueSessions(database.sql, before: cutoff)
            .column(SQLColumn("expires_at", table: SessionRecord.schema), as: "expires_at")
            .column(SQLColumn("last_seen_at", table: SessionRecord.schema), as: "last_seen_at")
            .column(SQLColumn("email", table: User.schema), as: "email")
            .join(User.schema, on: SQLColumn("id", table: User.schema), .equal, SQLColumn("user_id", table: SessionRecord.schema))
            .orderBy(SQLColumn("expires_at", table: SessionRecord.schema))
            .orderBy(SQLColumn("token_hash", table: SessionRecord.schema))
            .offset(range.lowerBound).limit(range.count).all()
        return try rows.map { row in
            let expires = try row.decode(column: "expires_at", as: Date.self)
            let idle = try row.decode(column: "last_seen_at", as: Date.self).addingTimeInterval(config.sessionIdleTimeout)
            return RetentionDue(reference: "Session of \(try row.decode(column: "email", as: String.self))", since: min(expires, idle))
        }
    }

    /// Deletes the sessions that ended before `cutoff`, `batch` at a time; returns how many.
    func eraseSessions(before cutoff: Date, batch: Int = 1_000) async throws -> Int {
        let sql = database.sql
        var total = 0
        while true {
            let keys = try await dueSessions(sql, before: cutoff).column("token_hash").limit(batch).all()
                .map { try $0.decode(column: "token_hash", as: String.self) }
            guard !keys.isEmpty else { break }
            try await sql.delete(from: SessionRecord.schema).where("token_hash", .in, SQLBind.group(keys))
                .where { group in
                    // Checked again: a session used meanwhile is no longer due.
                    group.where("expires_at", .lessThan, SQLBind(cutoff))
                        .orWhere("last_seen_at", .lessThan, SQLBind(cutoff.addingTimeInterval(-config.sessionIdleTimeout)))
                }.run()
            total += keys.count
            if keys.count < batch { break }
        }
        return total
    }
}
