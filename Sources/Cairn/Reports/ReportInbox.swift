import CairnCore
import FluentKit
import Foundation
import SQLKit

/// Which reports an agency holds, and which wait for the triage team: the one place these rules
/// are written. Each rule is read two ways: in Swift for a report in hand (`holds`: access, the
/// work queue, who may act) and in SQL for a query (`sql`: the inboxes, counts, filters and
/// search). `InboxRuleTests` checks on both databases that the two readings pick the same reports.
///
/// An agency holds a report it made or that is assigned to it, and sees it in full; a live
/// referral (pending, accepted or completed: anything but rejected) puts a report in the
/// agency's referred inbox, showing the sections the referrer shared.
indirect enum ReportRule: Sendable {
    /// The agency made the report (its reporting agency).
    case madeBy(UUID)
    /// The report is assigned to the agency; nil: to no agency.
    case assignedTo(UUID?)
    /// A live referral of the report to the agency; with a section, one that shares it.
    case referredTo(UUID, sharing: ShareCategory?)
    case status(ReportStatus)
    case any([ReportRule])
    case all([ReportRule])

    // MARK: The rules

    /// Reports an agency made or holds: it sees them in full.
    static func heldInFull(by agency: UUID) -> ReportRule { .any([.madeBy(agency), .assignedTo(agency)]) }

    /// Reports whose `section` an agency may read: its own, or one a live referral shares it through.
    static func readable(_ section: ShareCategory, by agency: UUID) -> ReportRule {
        .any([.madeBy(agency), .assignedTo(agency), .referredTo(agency, sharing: section)])
    }

    /// Waiting for the triage team: new, rejected, or triaged without an agency.
    static let waitingForTriage: ReportRule = .any([.status(.new), .status(.rejected), .all([.status(.triaged), .assignedTo(nil)])])

    /// A referral still in force: any but a rejected one (`QueryBuilder.live()` in a query).
    static func isLive(_ referral: Referral) -> Bool { referral.status != ReferralStatus.rejected.rawValue }

    // MARK: Read in Swift

    /// Whether `report` meets the rule. `referrals` are the report's referrals, needed only by
    /// `referredTo` (without them no referral is known).
    func holds(_ report: Report, referrals: [Referral] = []) -> Bool {
        switch self {
        case .madeBy(let agency): report.reportingAgencyID == agency
        case .assignedTo(let agency): report.assignedAgencyID == agency
        case .referredTo(let agency, let section):
            referrals.contains {
                $0.reportID == report.id && $0.toAgencyID == agency && Self.isLive($0) && (section.map($0.sharedCategories.contains) ?? true)
            }
        case .status(let status): report.status == status.rawValue
        case .any(let rules): rules.contains { $0.holds(report, referrals: referrals) }
        case .all(let rules): rules.allSatisfy { $0.holds(report, referrals: referrals) }
        }
    }

    // MARK: Read in SQL

    /// The rule as a condition on a `reports` row, with bound values.
    var sql: SQLQueryString {
        let reports = Report.schema, referrals = Referral.schema
        switch self {
        case .madeBy(let agency):
            return "\(ident: reports).\(ident: "reporting_agency_id") = \(bind: agency)"
        case .assignedTo(let agency?):
            return "\(ident: reports).\(ident: "assigned_agency_id") = \(bind: agency)"
        case .assignedTo(nil):
            return "\(ident: reports).\(ident: "assigned_agency_id") IS NULL"
        case .referredTo(let agency, let section):
            var live: SQLQueryString = """
                \(ident: referrals).\(ident: "to_agency_id") = \(bind: agency) \
                AND \(ident: referrals).\(ident: "status") <> \(bind: ReferralStatus.rejected.rawValue)
                """
            if let section {
                live += " AND (',' || \(ident: referrals).\(ident: "shared") || ',') LIKE \(bind: "%,\(section.rawValue),%")"
            }
            return """
                \(ident: reports).\(ident: "id") IN (SELECT \(ident: referrals).\(ident: "report_id") FROM \(ident: referrals) \
                WHERE \(live))
                """
        case .status(let status):
            return "\(ident: reports).\(ident: "status") = \(bind: status.rawValue)"
        case .any(let rules):
            return rules.isEmpty ? "(1 = 0)" : "(" + rules.map(\.sql).joined(separator: " OR ") + ")"
        case .all(let rules):
            return rules.isEmpty ? "(1 = 1)" : "(" + rules.map(\.sql).joined(separator: " AND ") + ")"
        }
    }

    /// The rule as a filter for a Fluent query on reports.
    var filter: DatabaseQuery.Filter { .sql(embed: sql) }
}

extension ReportService {
    enum Inbox: String, CaseIterable, Sendable {
        /// Every report (triage team only).
        case all
        /// Waiting for the triage team: new, or triaged without an agency, or rejected.
        case triage
        /// Assigned to my agency.
        case assigned
        /// Made by my agency.
        case made
        /// Referred to my agency.
        case referred

        var label: String {
            switch self {
            case .all: "All reports"
            case .triage: "Waiting for triage"
            case .assigned: "Assigned to my agency"
            case .made: "Made by my agency"
            case .referred: "Referred to my agency"
            }
        }

        /// The reports this inbox holds for `agency`; nil for every report.
        func rule(for agency: UUID) -> ReportRule? {
            switch self {
            case .all: nil
            case .triage: .waitingForTriage
            case .assigned: .assignedTo(agency)
            case .made: .madeBy(agency)
            case .referred: .referredTo(agency, sharing: nil)
            }
        }
    }
}

extension QueryBuilder where Model == Referral {
    /// Only referrals still in force (`ReportRule.isLive`), chosen by the database.
    func live() -> Self { filter(\.$status != ReferralStatus.rejected.rawValue) }
}
