import CairnCore
import Foundation
import SQLKit

/// What the "what changed afterwards" page reads of reports: monthly counts from one sector
/// and area, and how completely practitioners' reports were recorded, per reporting agency.
/// Counts only, never a report.
extension ReportDirectory {
    /// Reports received per month from a sector: reports made by its kinds of reporter, those
    /// of practitioners whose agency is of one of its types, and those about exploitation in
    /// its labour sector; in one postcode district if given. A sector with none counts nothing.
    func received(reporters: Set<ReporterType>, agencies: Set<AgencyType>, labour: LabourSector?, district: String?,
                  _ window: MonthWindow) async throws -> [MonthPeriod: Int] {
        guard !reporters.isEmpty || !agencies.isEmpty || labour != nil else { return [:] }
        var query: SQLQueryString = "SELECT \(window.bucket("received_at")) AS m, COUNT(*) AS n FROM reports WHERE received_at >= \(bind: window.start) AND received_at < \(bind: window.end) AND ("
        let reporterValues = reporters.map(\.rawValue).sorted(), agencyValues = agencies.map(\.rawValue).sorted()
        if !reporterValues.isEmpty { query += "reporter_type IN (\(binds: reporterValues))" }
        if !agencyValues.isEmpty {
            if !reporterValues.isEmpty { query += " OR " }
            query += "(reporter_type = \(bind: ReporterType.practitioner.rawValue) AND reporting_agency_id IN (SELECT id FROM agencies WHERE type IN (\(binds: agencyValues))))"
        }
        if let labour {
            if !reporterValues.isEmpty || !agencyValues.isEmpty { query += " OR " }
            query += "labour_sector = \(bind: labour.rawValue)"
        }
        query += ")"
        if let district { query += " AND postcode_district = \(bind: district)" }
        query += " GROUP BY 1"
        var counts: [MonthPeriod: Int] = [:]
        for row in try await db.sqlDatabase().raw(query).all() {
            guard let month = window.month(try row.decode(column: "m", as: Int.self)) else { continue }
            counts[month, default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Per reporting agency (by name) and month: practitioners' reports, and those recorded
    /// completely (at least one indicator ticked and the type of exploitation known).
    func recordingCompleteness(_ window: MonthWindow) async throws -> [(agency: String, month: MonthPeriod, reports: Int, complete: Int)] {
        let rows = try await db.sqlDatabase().raw("""
            SELECT (SELECT name FROM agencies g WHERE g.id = reports.reporting_agency_id) AS a, \(window.bucket("received_at")) AS m, COUNT(*) AS n, \
            SUM(CASE WHEN exploitation_types <> \(bind: ExploitationType.notKnown.rawValue) \
            AND EXISTS (SELECT 1 FROM report_indicators i WHERE i.report_id = reports.id) THEN 1 ELSE 0 END) AS c \
            FROM reports WHERE received_at >= \(bind: window.start) AND received_at < \(bind: window.end) \
            AND reporter_type = \(bind: ReporterType.practitioner.rawValue) AND reporting_agency_id IS NOT NULL GROUP BY reporting_agency_id, 2
            """).all()
        return try rows.compactMap { row in
            guard let month = window.month(try row.decode(column: "m", as: Int.self)) else { return nil }
            return (try row.decode(column: "a", as: String?.self) ?? "", month, try row.decode(column: "n", as: Int.self), try row.decode(column: "c", as: Int.self))
        }
    }
}
