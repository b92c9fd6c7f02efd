import CairnCore
import Foundation
import SQLKit

/// What the insight dashboard reads of reports and referrals: the few categorical columns and
/// times each figure is counted from, never a narrative, a place or a person. Insight counts
/// them (and keeps the counts); it never sees a report.
extension ReportDirectory {
    /// Which reports a figure counts: all, or those in one postcode district, of one type, or
    /// assigned to (for referrals: sent to) one agency.
    struct InsightFilter: Sendable, Hashable {
        var district: String?
        var type: ExploitationType?
        var agencyID: UUID?
    }

    /// One report as the figures count it.
    struct InsightReport: Sendable {
        let receivedAt: Date
        let types: [ExploitationType]
        let source: String
        let reporterType: String
        let district: String?
        let ageGroup: String
        let urgency: String
        let status: String
        let outcome: String?
        let dueAt: Date
        let respondedAt: Date?
        let closedAt: Date?
    }

    /// One referral as the figures count it (of a report the filter counts).
    struct InsightReferral: Sendable {
        let createdAt: Date
        let updatedAt: Date
        let toAgencyID: UUID
        let status: String
    }

    /// Reports received in `from ..< to` that the filter counts.
    func insightReports(from: Date, to: Date, filter: InsightFilter) async throws -> [InsightReport] {
        var query: SQLQueryString = """
            SELECT received_at, exploitation_types, source, reporter_type, postcode_district, age_group, urgency, status, outcome, \
            due_at, responded_at, closed_at FROM reports WHERE received_at >= \(bind: from) AND received_at < \(bind: to)
            """
        query += insightConditions(filter, table: "reports", agencyColumn: "assigned_agency_id")
        let rows = try await db.sqlDatabase().raw(query).all()
        return try rows.map { row in
            InsightReport(
                receivedAt: try row.decode(column: "received_at", as: Date.self),
                types: try row.decode(column: "exploitation_types", as: String.self).split(separator: ",")
                    .compactMap { ExploitationType(rawValue: String($0)) },
                source: try row.decode(column: "source", as: String.self),
                reporterType: try row.decode(column: "reporter_type", as: String.self),
                district: try row.decode(column: "postcode_district", as: String?.self),
                ageGroup: try row.decode(column: "age_group", as: String.self),
                urgency: try row.decode(column: "urgency", as: String.self),
                status: try row.decode(column: "status", as: String.self),
                outcome: try row.decode(column: "outcome", as: String?.self),
                dueAt: try row.decode(column: "due_at", as: Date.self),
                respondedAt: try row.decode(column: "responded_at", as: Date?.self),
                closedAt: try row.decode(column: "closed_at", as: Date?.self))
        }
    }

    /// Referrals made in `from ..< to` about reports the filter counts (the agency filter is
    /// the agency the referral went to).
    func insightReferrals(from: Date, to: Date, filter: InsightFilter) async throws -> [InsightReferral] {
        var query: SQLQueryString = """
            SELECT f.created_at, f.updated_at, f.to_agency_id, f.status FROM referrals f JOIN reports ON reports.id = f.report_id \
            WHERE f.created_at >= \(bind: from) AND f.created_at < \(bind: to)
            """
        query += insightConditions(filter, table: "reports", agencyColumn: "f.to_agency_id")
        let rows = try await db.sqlDatabase().raw(query).all()
        return try rows.map { row in
            InsightReferral(createdAt: try row.decode(column: "created_at", as: Date.self),
                            updatedAt: try row.decode(column: "updated_at", as: Date.self),
                            toAgencyID: try row.decode(column: "to_agency_id", as: UUID.self),
                            status: try row.decode(column: "status", as: String.self))
        }
    }

    /// Reports and referrals changed (or made) since `since`, received or made before
    /// `before`: when each was received or made, and when it last changed. Insight uses this
    /// to forget counts it kept that no longer hold.
    func insightChanges(since: Date, before: Date) async throws -> [(at: Date, changed: Date)] {
        let sql = try db.sqlDatabase()
        let reports = try await sql.raw("""
            SELECT received_at AS at, updated_at AS changed FROM reports WHERE updated_at > \(bind: since) AND received_at < \(bind: before)
            """).all()
        let referrals = try await sql.raw("""
            SELECT created_at AS at, updated_at AS changed FROM referrals WHERE updated_at > \(bind: since) AND created_at < \(bind: before)
            """).all()
        return try (reports + referrals).map { (try $0.decode(column: "at", as: Date.self), try $0.decode(column: "changed", as: Date.self)) }
    }

    /// The filter's conditions. The period is always the narrow part: on SQLite, which keeps no
    /// statistics, `+column` stops the district and agency indexes being chosen over the one on
    /// when reports were received (a district holds years of reports, a day a few hundred).
    private func insightConditions(_ filter: InsightFilter, table: String, agencyColumn: String) -> SQLQueryString {
        let plus = database.isSQLite ? "+" : ""
        var sql: SQLQueryString = ""
        if let district = filter.district { sql += " AND \(unsafeRaw: plus)\(ident: table).postcode_district = \(bind: district)" }
        if let type = filter.type { sql += " AND (',' || \(ident: table).exploitation_types || ',') LIKE \(bind: "%,\(type.rawValue),%")" }
        if let agency = filter.agencyID { sql += " AND \(unsafeRaw: plus)\(unsafeRaw: agencyColumn) = \(bind: agency)" }
        return sql
    }
}
