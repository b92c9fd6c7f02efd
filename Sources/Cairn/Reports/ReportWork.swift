import CairnCore
import FluentKit
import Foundation

/// The reports waiting for a person, for the work queue: emergencies not yet answered,
/// triage, reports their agency must answer, referrals waiting for their agency's reply,
/// reports sitting with an agency nobody can see them at, and outcomes of reports they made.
/// Every report named passes `ReportAccess`, so no one is shown a report they cannot open.
extension ReportService: WorkSource {
    /// How long an outcome on a report one made stays in one's queue.
    static let outcomeNoticeDays = 30

    func work(for identity: Identity, context: WorkContext) async throws -> [WorkItem] {
        var items: [WorkItem] = []
        let now = context.now
        let triageTeam = identity.can(.triageReports)
        let closed = ReportStatus.closed.rawValue
        let staffed = context.staffedAgencies.map { Optional($0) }
        if identity.can(.viewReports) {
            // Unanswered: not yet accepted (or started) by the agency holding it.
            var unanswered = Report.query(on: db).filter(\.$respondedAt == nil).filter(\.$status != closed)
            if !triageTeam { unanswered = unanswered.filter(ReportRule.assignedTo(identity.agencyID).filter) }
            let waiting = try await visible(try await unanswered.sort(\.$dueAt).limit(500).all(), identity: identity)
            var shown = Set<UUID>()
            for report in waiting {
                guard let id = report.id else { continue }
                let kind: WorkItem.Kind
                if report.reportUrgency == .emergency {
                    kind = .emergency
                } else if triageTeam, Self.waitsForTriage(report) {
                    kind = .triage
                } else if ReportRule.assignedTo(identity.agencyID).holds(report) {
                    kind = .answer
                } else if triageTeam, let holder = report.assignedAgencyID, !context.staffedAgencies.contains(holder) {
                    kind = .unattended
                } else if triageTeam, isOverdue(report, now: now) {
                    kind = .overdueElsewhere
                } else {
                    continue
                }
                shown.insert(id)
                items.append(item(kind, report, now: now, note: kind == .unattended ? Self.unattendedNote : ""))
            }
            if triageTeam {
                // Answered but still open at an agency with nobody left to work on it.
                var held = Report.query(on: db).filter(\.$status != closed).filter(\.$respondedAt != nil).filter(\.$assignedAgencyID != nil)
                if !staffed.isEmpty { held = held.filter(\.$assignedAgencyID !~ staffed) }
                for report in try await visible(try await held.sort(\.$dueAt).limit(200).all(), identity: identity) {
                    guard let id = report.id, !shown.contains(id) else { continue }
                    items.append(item(.unattended, report, now: now, note: Self.unattendedNote))
                }
            }
            items += try await referrals(identity: identity)
            items += try await outcomes(identity: identity, now: now)
        } else if identity.can(.manageUsers) {
            // Administrators cannot open reports: they see which agencies hold open reports
            // with no one to see them, and how many, so they can give those agencies accounts.
            var query = Report.query(on: db).filter(\.$status != closed).filter(\.$assignedAgencyID != nil)
            if !staffed.isEmpty { query = query.filter(\.$assignedAgencyID !~ staffed) }
            let held = try await query.field(\.$id).field(\.$assignedAgencyID).field(\.$dueAt).all()
            let byAgency = Dictionary(grouping: held, by: { $0.assignedAgencyID ?? UUID() })
            let names = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).filter(\.$id ~~ Array(byAgency.keys)).all().map { (try $0.requireID(), $0.name) })
            for (agencyID, reports) in byAgency.sorted(by: { (names[$0.key] ?? "") < (names[$1.key] ?? "") }) {
                let due = reports.map(\.dueAt).min()
                items.append(WorkItem(.unattended, title: "\(names[agencyID] ?? "An agency") holds \(reports.count) open report\(reports.count == 1 ? "" : "s")",
                                      detail: "No one there has an account that can see reports. Add a person, or ask the triage team to re-route them.",
                                      href: AdminRoute.newUser.path, due: due, overdue: due.map { $0 < now } ?? false))
            }
        }
        return items
    }

    static let unattendedNote = "No one at the agency it is assigned to has an account that can see it."

    /// New, rejected, or triaged without an agency: the triage inbox's rule.
    static func waitsForTriage(_ report: Report) -> Bool { ReportRule.waitingForTriage.holds(report) }

    /// The reports of `reports` the person may open, each as they may see it.
    private func visible(_ reports: [Report], identity: Identity) async throws -> [Report] {
        let levels = try await reportAccess.levels(reports, identity: identity)
        return try reports.compactMap { report in try report.id.flatMap { levels[$0] }.map { try ReportAccess.shown(report, $0) } }
    }

    private func item(_ kind: WorkItem.Kind, _ report: Report, now: Date, note: String = "") -> WorkItem {
        let types = report.types.map(\.label).sorted().joined(separator: ", ")
        let what = [report.reportUrgency.label, types.isEmpty ? nil : types].compactMap { $0 }.joined(separator: " · ")
        return WorkItem(kind, title: "\(report.reference) · \(what)", detail: note.isEmpty ? report.reportStatus.label : note,
                        href: report.id.map { ReportRoute.show(.value($0)).path } ?? ReportRoute.list.path, due: report.dueAt, overdue: isOverdue(report, now: now), since: report.receivedAt)
    }

    /// Referrals to the person's agency still waiting for its reply.
    private func referrals(identity: Identity) async throws -> [WorkItem] {
        let pending = try await Referral.query(on: db).filter(\.$toAgencyID == identity.agencyID)
            .filter(\.$status == ReferralStatus.pending.rawValue).sort(\.$createdAt).limit(200).all()
        guard !pending.isEmpty else { return [] }
        let reports = try await visible(try await Report.query(on: db).filter(\.$id ~~ Set(pending.map(\.reportID))).all(), identity: identity)
        let byID = Dictionary(uniqueKeysWithValues: try reports.map { (try $0.requireID(), $0) })
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).filter(\.$id ~~ Set(pending.map(\.fromAgencyID))).all()
            .map { (try $0.requireID(), $0.name) })
        return try pending.compactMap { referral in
            guard let report = byID[referral.reportID] else { return nil }
            return WorkItem(.referral, title: "\(report.reference) · referred by \(agencies[referral.fromAgencyID] ?? "another agency")",
                            detail: referral.request, href: ReportRoute.show(.value(referral.reportID)).path + "#response-\(try referral.requireID().uuidString)",
                            since: referral.createdAt)
        }
    }

    /// Outcomes recorded in the last 30 days on reports the person made.
    private func outcomes(identity: Identity, now: Date) async throws -> [WorkItem] {
        let since = now.addingTimeInterval(-Double(Self.outcomeNoticeDays) * 86_400)
        let closed = try await Report.query(on: db).filter(\.$createdByID == identity.userID).filter(\.$status == ReportStatus.closed.rawValue)
            .filter(\.$closedAt >= since).sort(\.$closedAt, .descending).limit(100).all()
        return try await visible(closed, identity: identity).compactMap { report in
            guard let outcome = report.reportOutcome else { return nil }
            return WorkItem(.outcome, title: "\(report.reference) · \(outcome.label)",
                            detail: "Closed \(Format.day(report.outcomeDate)). \(report.outcomeNote ?? "")",
                            href: ReportRoute.show(.value(try report.requireID())).path, since: report.closedAt)
        }
    }
}
