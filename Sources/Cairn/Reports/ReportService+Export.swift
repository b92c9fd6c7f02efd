import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The CSV exports of reports and of referrals (coordinators and analysts): streamed, a page
/// at a time by keyset (newest first, then by id), so a million rows are never held at once.
/// Each export is audited once, before its first byte, with how many rows it holds.
extension ReportService {
    /// Rows read per page (a test makes it small to see several pages).
    static let exportPageSize = 1000

    /// Non-identifying columns only: no reporter contact details, no names, no free text.
    static let exportColumns = ["reference", "received_at", "source", "status", "urgency", "exploitation_types", "county_lines", "age_group",
                                "labour_sector", "postcode_district", "assigned_agency", "due_at", "overdue", "outcome", "outcome_date"]

    /// The reports the list's filters find (its sort is not used: newest first), as CSV.
    func exportCSV(_ q: Query, identity: Identity, address: String, pageSize: Int = exportPageSize,
                   now: Date = Date()) async throws -> (csv: CSVStream<UUID>, count: Int) {
        guard identity.can(.exportReports) else { throw AppError.forbidden }
        let count = try await filtered(q, identity: identity, now: now).count()
        let names = try await agencyNames()
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.exported", recordType: "report", address: address,
                                          detail: "\(count) reports as CSV"))
        let access = reportAccess
        let size = max(1, pageSize)
        let stream = CSVStream<UUID>(header: Self.exportColumns) { [self] after in
            var query = try filtered(q, identity: identity, now: now).sort(\.$receivedAt, .descending).sort(\.$id, .descending).limit(size)
            if let after { query = query.filter(.sql(embed: Self.keysetBefore(table: "reports", time: "received_at", id: after))) }
            let page = try await query.all()
            let levels = try await access.levels(page, identity: identity)
            let rows = try page.compactMap { found -> [String]? in
                guard let level = found.id.flatMap({ levels[$0] }) else { return nil }
                return Self.exportRow(try ReportAccess.shown(found, level), names: names, now: now)
            }
            return .init(rows: rows, next: page.count < size ? nil : page.last?.id)
        }
        return (stream, count)
    }

    static func exportRow(_ r: Report, names: [UUID: String], now: Date) -> [String] {
        let iso = ISO8601DateFormatter()
        let overdue = r.reportStatus != .closed && r.respondedAt == nil && r.dueAt < now
        return [
            r.reference, iso.string(from: r.receivedAt), r.source, r.status, r.urgency, r.exploitationTypes.replacingOccurrences(of: ",", with: ";"),
            r.countyLines ? "yes" : "no", r.ageGroup, r.labourSector ?? "", r.postcodeDistrict ?? "",
            r.assignedAgencyID.flatMap { names[$0] } ?? "", iso.string(from: r.dueAt), overdue ? "yes" : "no",
            r.outcome ?? "", r.outcomeDate ?? "",
        ]
    }

    // MARK: Referrals

    static let referralExportColumns = ["report_reference", "from_agency", "to_agency", "status", "shared_sections", "created_at", "updated_at"]

    /// Every referral the person may see (the triage team: all; others: those from or to their
    /// agency), newest first; what was asked and answered (free text) is not exported.
    func exportReferralsCSV(identity: Identity, address: String, pageSize: Int = exportPageSize) async throws -> (csv: CSVStream<UUID>, count: Int) {
        guard identity.can(.exportReports) else { throw AppError.forbidden }
        let count = try await referrals(for: identity).count()
        let names = try await agencyNames()
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "referral.exported", recordType: "referral", address: address,
                                          detail: "\(count) referrals as CSV"))
        let db = self.db
        let size = max(1, pageSize)
        let stream = CSVStream<UUID>(header: Self.referralExportColumns) { [self] after in
            var query = referrals(for: identity).sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(size)
            if let after { query = query.filter(.sql(embed: Self.keysetBefore(table: "referrals", time: "created_at", id: after))) }
            let page = try await query.all()
            var references: [UUID: String] = [:]
            for chunk in SQLRows.chunks(Array(Set(page.map(\.reportID)))) {
                for report in try await Report.query(on: db).filter(\.$id ~~ chunk).field(\.$id).field(\.$reference).all() {
                    if let id = report.id { references[id] = report.reference }
                }
            }
            let iso = ISO8601DateFormatter()
            let rows = page.map { r in
                [references[r.reportID] ?? "", names[r.fromAgencyID] ?? "", names[r.toAgencyID] ?? "", r.status,
                 ShareCategory.allCases.filter(r.sharedCategories.contains).map(\.rawValue).joined(separator: ";"),
                 iso.string(from: r.createdAt), iso.string(from: r.updatedAt)]
            }
            return .init(rows: rows, next: page.count < size ? nil : page.last?.id)
        }
        return (stream, count)
    }

    // MARK: Shared

    private func referrals(for identity: Identity) -> QueryBuilder<Referral> {
        let query = Referral.query(on: db)
        guard !identity.can(.triageReports) else { return query }
        let mine = identity.agencyID
        return query.group(.or) { $0.filter(\.$fromAgencyID == mine).filter(\.$toAgencyID == mine) }
    }

    private func agencyNames() async throws -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { (try $0.requireID(), $0.name) })
    }

    /// Rows after (older than) the row `id` in (time, id) descending order. The key is read
    /// from the row itself in SQL, so a timestamp is never rounded on its way through Swift.
    static func keysetBefore(table: String, time: String, id: UUID) -> SQLQueryString {
        "(\(ident: table).\(ident: time), \(ident: table).\(ident: "id")) < (SELECT k.\(ident: time), k.\(ident: "id") FROM \(ident: table) k WHERE k.\(ident: "id") = \(bind: id))"
    }
}
