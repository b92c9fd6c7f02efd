import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Reading reports: the inboxes, filters and search, and one report, each as the reader may
/// see it (`ReportAccess`).
extension ReportService {
    // MARK: Lists

    enum Sort: String, CaseIterable, Sendable {
        case received, due, urgency, status

        var label: String {
            switch self {
            case .received: "Newest first"
            case .due: "Due soonest"
            case .urgency: "Most urgent"
            case .status: "Status"
            }
        }
    }

    struct Query: Sendable {
        var inbox: Inbox?
        var status: ReportStatus?
        var urgency: Urgency?
        var type: ExploitationType?
        var district = ""
        var agencyID: UUID?
        var overdue = false
        /// Received on or after the start of `receivedFrom` and before the end of `receivedTo`
        /// (days in the partnership's time zone): how the insight dashboard drills down.
        var receivedFrom: CalendarDate?
        var receivedTo: CalendarDate?
        var source: ReportSource?
        var reporterType: ReporterType?
        var ageGroup: AgeGroup?
        /// An outcome, or `none` for reports without one yet.
        var outcome: String?
        var search = ""
        var sort = Sort.received
        var page = 1
        var perPage = 25
    }

    /// A list a person asked for, on a page (`via` "web") or through the API ("api"): one
    /// audit entry says it was shown and how many reports it named.
    func list(_ q: Query, identity: Identity, address: String, via: String) async throws -> (reports: [Report], total: Int) {
        let found = try await list(q, identity: identity)
        // The page names the inbox it showed; the API says it was the API.
        let shown = via == "web" ? (q.inbox?.rawValue ?? "default") : via
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.listed", recordType: "report",
                                          address: address, detail: "\(shown); \(found.reports.count) shown"))
        return found
    }

    /// The reports a query finds, each as the reader may see it; not audited (counts, the
    /// export and other reads that audit what they show themselves).
    func list(_ q: Query, identity: Identity, now: Date = Date()) async throws -> (reports: [Report], total: Int) {
        var query = try filtered(q, identity: identity, now: now)
        let total = try await query.copy().count()
        switch q.sort {
        case .received: query = query.sort(\.$receivedAt, .descending)
        case .due: query = query.sort(\.$dueAt, .ascending)
        case .urgency:
            query = query.sort(.sql(unsafeRaw: "CASE urgency WHEN 'emergency' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"), .ascending)
                .sort(\.$dueAt, .ascending)
        case .status: query = query.sort(\.$status).sort(\.$receivedAt, .descending)
        }
        let reports = try await query.range(Pagination.rows(page: q.page, perPage: q.perPage)).all()
        // Each row as this reader may see it (a referral's withheld sections emptied).
        let levels = try await reportAccess.levels(reports, identity: identity)
        return (try reports.compactMap { report in try report.id.flatMap { levels[$0] }.map { try ReportAccess.shown(report, $0) } }, total)
    }

    /// The reports a query's inbox, filters and search find for this reader, unsorted (the
    /// list pages it, the export reads it by keyset).
    func filtered(_ q: Query, identity: Identity, now: Date = Date()) throws -> QueryBuilder<Report> {
        var query = Report.query(on: db)
        let inbox = q.inbox ?? (identity.can(.triageReports) ? .all : .assigned)
        let mine = identity.agencyID
        if inbox == .all || inbox == .triage, !identity.can(.triageReports) {
            throw AppError(.forbidden, title: "Not allowed", "Only the triage team (analysts and coordinators) can list \(inbox.rawValue) reports.")
        }
        if let rule = inbox.rule(for: mine) { query = query.filter(rule.filter) }
        if let status = q.status { query = query.filter(\.$status == status.rawValue) }
        if let urgency = q.urgency { query = query.filter(\.$urgency == urgency.rawValue) }
        if let type = q.type {
            query = query.filter(Report.hasType(type))
        }
        // Filters and search look only at what the reader may read of each report: a withheld
        // place or name must not be found one character at a time.
        if !q.district.isEmpty {
            query = query.filter(\.$postcodeDistrict == q.district.uppercased())
            if !identity.can(.triageReports) { query = query.filter(ReportRule.readable(.location, by: mine).filter) }
        }
        if let agency = q.agencyID { query = query.filter(\.$assignedAgencyID == agency) }
        if let from = q.receivedFrom { query = query.filter(\.$receivedAt >= Self.startOfDay(from)) }
        if let to = q.receivedTo { query = query.filter(\.$receivedAt < Self.startOfDay(to.adding(days: 1))) }
        if let source = q.source { query = query.filter(\.$source == source.rawValue) }
        if let reporter = q.reporterType { query = query.filter(\.$reporterType == reporter.rawValue) }
        if let age = q.ageGroup { query = query.filter(\.$ageGroup == age.rawValue) }
        if let outcome = q.outcome { query = outcome == "none" ? query.filter(\.$outcome == nil) : query.filter(\.$outcome == outcome) }
        if q.overdue {
            query = query.filter(\.$dueAt < now).filter(\.$respondedAt == nil).filter(\.$status != ReportStatus.closed.rawValue)
        }
        if !q.search.isEmpty {
            let sections: [(String, ShareCategory)] = [("reference", .summary), ("description", .summary), ("location", .location), ("people_text", .mentions)]
            query = query.group(.or) { or in
                for (column, section) in sections {
                    or.filter(ReportAccess.matches(column, q.search, section: section, identity: identity))
                }
            }
        }
        return query
    }

    /// The start of a day in the partnership's time zone.
    static func startOfDay(_ day: CalendarDate) -> Date { PeriodBuckets.instant(day) }

    func isOverdue(_ report: Report, now: Date = Date()) -> Bool {
        report.reportStatus != .closed && report.respondedAt == nil && report.dueAt < now
    }

    /// Counts for the home page.
    func counts(identity: Identity, now: Date = Date()) async throws -> (assigned: Int, overdue: Int, triage: Int) {
        let assignedToMine = ReportRule.assignedTo(identity.agencyID).filter
        let assigned = try await Report.query(on: db).filter(assignedToMine).filter(\.$status != ReportStatus.closed.rawValue).count()
        var overdueQuery = Report.query(on: db).filter(\.$dueAt < now).filter(\.$respondedAt == nil)
            .filter(\.$status != ReportStatus.closed.rawValue)
        if !identity.can(.triageReports) { overdueQuery = overdueQuery.filter(assignedToMine) }
        let overdue = try await overdueQuery.count()
        var triage = 0
        if identity.can(.triageReports) {
            triage = try await list(Query(inbox: .triage, perPage: 1), identity: identity).total
        }
        return (assigned, overdue, triage)
    }

    // MARK: One report, in full

    /// One report as the reader may see it: every part comes through `ReportAccess`.
    struct Detail: Sendable {
        /// For a referral, a detached copy with the sections not shared emptied.
        let report: Report
        let access: Access
        let indicators: [(item: IndicatorItem?, tick: ReportIndicator)]
        let mentions: [ReportMention]
        let events: [ReportEvent]
        let referrals: [Referral]
        let agencies: [UUID: Agency]
    }

    func detail(_ id: UUID, identity: Identity, address: String, via: String = "web") async throws -> Detail {
        let (report, access) = try await visibleReport(id, identity: identity)
        let ticks = access.allows(.indicators) ? try await Self.indicatorTicks(of: id, on: db) : []
        let versions = try await indicatorVersions(ticks.map { ($0.indicatorID, $0.indicatorVersion) })
        let mentions = try await ReportMention.query(on: db).filter(\.$reportID == id).all()
        let events = ReportEvent.inOrder(try await ReportEvent.query(on: db).filter(\.$reportID == id).sort(\.$at).all())
        var referrals = try await Referral.query(on: db).filter(\.$reportID == id).sort(\.$createdAt).all()
        if case .shared = access { referrals = referrals.filter { $0.toAgencyID == identity.agencyID } }
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { (try $0.requireID(), $0) })
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.viewed", recordType: "report", recordID: id.uuidString,
                                          address: address, detail: access == .full ? via : "\(via); shared by referral"))
        return Detail(report: try ReportAccess.shown(report, access), access: access,
                      indicators: ticks.map { (versions["\($0.indicatorID)#\($0.indicatorVersion)"], $0) },
                      mentions: ReportAccess.shownMentions(mentions, access),
                      events: ReportAccess.shownEvents(events, access, agencyID: identity.agencyID), referrals: referrals, agencies: agencies)
    }
}
