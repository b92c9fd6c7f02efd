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

    func agencyAccess(recordType: String, recordID: String, since: Date) async throws -> [AgencyAccess] {
        try await database.sql.raw("""
            SELECT a.name AS agency, e.at_ms AS at_ms FROM audit_entries e
              JOIN users u ON u.id = e.actor_id
              JOIN agencies a ON a.id = u.agency_id
            WHERE e.record_type = \(bind: recordType) AND e.record_id = \(bind: recordID) AND e.at_ms >= \(bind: Int64(since.timeIntervalSince1970 * 1000))
            ORDER BY e.at_ms DESC
            """).all().map { row in
            AgencyAccess(agency: try row.decode(column: "agency", as: String.self),
                         at: Date(timeIntervalSince1970: Double(try row.decode(column: "at_ms", as: Int64.self)) / 1000))
        }
    }
}
