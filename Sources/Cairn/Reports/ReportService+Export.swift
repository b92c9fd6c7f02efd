import CairnCore
import FluentKit
import FluentSQL
import Foundation
import Linkage
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
        let rows = reports.map { r -> [String] in
            [
                r.reference, iso.string(from: r.receivedAt), r.source, r.status, r.urgency, r.exploitationTypes.replacingOccurrences(of: ",", with: ";"),
                r.countyLines ? "yes" : "no", r.ageGroup, r.labourSector ?? "", r.postcodeDistrict ?? "",
                r.assignedAgencyID.flatMap { agencies[$0] } ?? "", iso.string(from: r.dueAt), isOverdue(r) ? "yes" : "no",
                r.outcome ?? "", r.outcomeDate ?? "",
            ]
        }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.exported", recordType: "report", address: address,
                                          detail: "\(reports.count) reports as CSV"))
        return (CSV.write(header: Self.exportColumns, rows: rows, lineEnding: "\r\n", defuseFormulas: true), reports.count)
    }

    static let exportColumns = ["reference", "received_at", "source", "status", "urgency", "exploitation_types", "county_lines", "age_group",
                                "labour_sector", "postcode_district", "assigned_agency", "due_at", "overdue", "outcome", "outcome_date"]
}
