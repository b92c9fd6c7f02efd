import Foundation
import SQLKit

/// The audit log's read interface for a record's own subject (the survivor's "who looked at my
/// record"): which agencies' staff opened or changed a record since a moment, by when, never
/// who. Only entries by a user count: the system's, anonymous ones and the subject's own
/// (their account is not a user) are left out.
extension AuditLog {
    struct AgencyAccess: Sendable, Equatable {
        let agency: String
        let at: Date
    }

    /// Entries on any of `recordIDs` (records of one type), newest first.
    func agencyAccess(recordType: String, recordIDs: [String], since: Date) async throws -> [AgencyAccess] {
        var found: [AgencyAccess] = []
        // A few hundred ids to a statement at most (a case's tasks are far fewer).
        for start in stride(from: 0, to: recordIDs.count, by: 500) {
            let chunk = Array(recordIDs[start..<min(start + 500, recordIDs.count)])
            found += try await database.sql.select()
                .column(SQLColumn("name", table: "a"), as: "agency").column(SQLColumn("at_ms", table: "e"), as: "at_ms")
                .from(SQLAlias(SQLIdentifier("audit_entries"), as: SQLIdentifier("e")))
                .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("id", table: "u"), .equal, SQLColumn("actor_id", table: "e"))
                .join(SQLAlias(SQLIdentifier("agencies"), as: SQLIdentifier("a")), on: SQLColumn("id", table: "a"), .equal, SQLColumn("agency_id", table: "u"))
                .where(SQLColumn("record_type", table: "e"), .equal, SQLBind(recordType))
                .where(SQLColumn("record_id", table: "e"), .in, SQLBind.group(chunk))
                .where(SQLColumn("at_ms", table: "e"), .greaterThanOrEqual, SQLBind(Int64(since.timeIntervalSince1970 * 1000)))
                .all().map { row in
                    AgencyAccess(agency: try row.decode(column: "agency", as: String.self),
                                 at: Date(timeIntervalSince1970: Double(try row.decode(column: "at_ms", as: Int64.self)) / 1000))
                }
        }
        return found.sorted { $0.at > $1.at }
    }
}
