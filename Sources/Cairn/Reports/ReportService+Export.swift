import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The CSV export of a filtered list (coordinators and analysts).
extension ReportService {
    /// Non-identifying columns only: no reporter contact details, no names.
    func exportCSV(_ q: Query, identity: Identity, address: String) async throws -> (csv: String, count: Int) {
        guard identity.can(.exportReports) else { throw AppError.forbidden }
        var query = q
        query.page = 1
        query.perPage = 100_000
        let (reports, _) = try await list(query, identity: identity)
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { (try $0.requireID(), $0.name) })
        let iso = ISO8601DateFormatter()
        var lines = ["reference,received_at,source,status,urgency,exploitation_types,county_lines,age_group,labour_sector,postcode_district,assigned_agency,due_at,overdue,outcome,outcome_date"]
        for r in reports {
            let fields: [String] = [
                r.reference, iso.string(from: r.receivedAt), r.source, r.status, r.urgency, r.exploitationTypes.replacingOccurrences(of: ",", with: ";"),
                r.countyLines ? "yes" : "no", r.ageGroup, r.labourSector ?? "", r.postcodeDistrict ?? "",
                r.assignedAgencyID.flatMap { agencies[$0] } ?? "", iso.string(from: r.dueAt), isOverdue(r) ? "yes" : "no",
                r.outcome ?? "", r.outcomeDate ?? "",
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.exported", recordType: "report", address: address,
                                          detail: "\(reports.count) reports as CSV"))
        return (lines.joined(separator: "\r\n") + "\r\n", reports.count)
    }

    /// Quotes when needed, and defuses text a spreadsheet would run as a formula.
    static func csvField(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
