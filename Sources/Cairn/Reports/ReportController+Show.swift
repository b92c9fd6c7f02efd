import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// One report (`ReportRoute.show`), as the reader may see it, with what they may do next.
extension ReportController {
    func addShowRoutes(to router: AppRouter, table: RouteTable) {
        router.add(ReportRoute.show(.key), table: table) { request, context, identity in
            let detail = try await reports.detail(try context.id(.reportId, "report"), identity: identity, address: context.clientAddress)
            let page = try await detailPage(detail, identity: identity, address: context.clientAddress)
            return try views.render("reports/show", page, title: "Report \(detail.report.reference)", request: request, context: context)
        }
    }

    func detailPage(_ d: ReportService.Detail, identity: Identity, address: String) async throws -> DetailPage {
        let r = d.report
        let status = r.reportStatus
        let triageTeam = identity.can(.triageReports)
        let full = d.access == .full
        let holder = full && ReportRule.assignedTo(identity.agencyID).holds(r)
        let allowed = Set(ReportWorkflow.allowedActions(from: status))
        func name(_ id: UUID?) -> String { id.flatMap { d.agencies[$0]?.name } ?? "" }

        var summary: [Line] = [
            Line(label: "Source", value: r.reportSource.label),
            Line(label: "Received", value: Self.time(r.receivedAt)),
            Line(label: "Type of exploitation", value: Self.typesText(r)),
            Line(label: "Age", value: r.age.label),
            Line(label: "Someone in danger now", value: r.dangerNow ? "Yes" : "No"),
        ]
        if let sector = r.sector { summary.append(Line(label: "Labour sector", value: sector.label)) }
        if !r.occurred.isEmpty { summary.append(Line(label: "When", value: r.occurred)) }
        // `r` holds only what the reader may see (ReportAccess.shown): a section not shared is empty.
        if !r.location.isEmpty { summary.append(Line(label: "Where", value: r.location)) }
        if let postcode = r.postcode { summary.append(Line(label: "Postcode", value: postcode)) }
        if let agency = r.reportingAgencyID { summary.append(Line(label: "Reported by", value: name(agency))) }
        summary.append(Line(label: "Assigned to", value: r.assignedAgencyID == nil ? "Not assigned" : name(r.assignedAgencyID)))
        for (label, text) in [("People (as described)", r.peopleText), ("Vehicles", r.vehiclesText), ("Phones", r.phonesText),
                              ("Businesses", r.businessesText), ("Websites and usernames", r.websitesText)] where !text.isEmpty {
            summary.append(Line(label: label, value: text))
        }

        var reporter = [Line(label: "Reporter", value: ReporterType(rawValue: r.reporterType)?.label ?? r.reporterType),
                        Line(label: "Language", value: PublicLanguage(rawValue: r.language)?.englishName ?? r.language)]
        if r.anonymous {
            reporter.append(Line(label: "Contact", value: r.reportSource == .public ? "Anonymous: do not try to identify the reporter." : "Recorded by a practitioner"))
        } else if d.access.allows(.reporterContact) {
            for (label, value) in [("Name", r.contactName), ("Phone", r.contactPhone), ("Email", r.contactEmail), ("Best time to contact", r.contactBestTime)] {
                if let value, !value.isEmpty { reporter.append(Line(label: label, value: value)) }
            }
        }

        var outcome: [Line] = []
        if let o = r.reportOutcome {
            outcome = [Line(label: "Outcome", value: o.label), Line(label: "Date", value: Format.day(r.outcomeDate)),
                       Line(label: "Note", value: r.outcomeNote ?? ""),
                       Line(label: "What the reporter sees", value: PublicReportText.text(status.publicStatusKey(outcome: o), in: .en))]
        }

        let agencies = d.agencies.values.sorted { $0.name < $1.name }
        var suggested = ""
        if triageTeam, status == .new || status == .triaged || status == .rejected {
            let (decision, agency) = try await reports.suggestedAgency(for: r, catalogue: try await reports.catalogue())
            suggested = agency.map { "\(decision.explanation) Suggested: \($0.name)." } ?? "\(decision.explanation) No agency provides \(decision.destination.label.lowercased())."
        }
        let canAccept = full && (holder || triageTeam) && allowed.contains("accept")
        let canReject = holder && allowed.contains("reject")
        let canReroute = full && (holder || triageTeam) && allowed.contains("re-route")
        let canStart = full && (holder || triageTeam) && allowed.contains("start work on")
        let canAssign = triageTeam && (allowed.contains("assign") || status == .new)
        let canClose = full && (holder || triageTeam) && allowed.contains("close")
        let canReopen = full && (holder || triageTeam) && allowed.contains("re-open")
        let canRefer = full && status != .closed && (holder || triageTeam || ReportRule.madeBy(identity.agencyID).holds(r))
        let sharedCategories: Set<ShareCategory> = if case .shared(let c) = d.access { c } else { [] }

        return DetailPage(
            id: try r.requireID().uuidString, reference: r.reference, status: status.label, urgency: r.reportUrgency.label, urgencyClass: "urgency-\(r.urgency)",
            overdue: reports.isOverdue(r), due: Self.time(r.dueAt), awaitsTriage: ReportService.awaitsTriage(r), shared: !full,
            sharedNote: full ? "" : "Your agency sees this report through a referral: " + sharedCategories.map(\.label).sorted().joined(separator: "; ") + ".",
            summary: summary, rules: r.firedRules, noRules: r.firedRules.isEmpty, routing: r.routingExplanation.nilIfEmpty,
            description: r.narrative, reporter: reporter, showReporter: full || d.access.allows(.reporterContact),
            mentions: d.mentions.map { m in
                let extra = [m.aliases.isEmpty ? "" : "also known as \(m.aliases)", m.dateOfBirth.isEmpty ? "" : "born \(Format.day(m.dateOfBirth))",
                             m.age.isEmpty ? "" : "age \(m.age)", m.nationality, m.postcode ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
                return MentionRow(kind: MentionKind(rawValue: m.kind)?.label ?? m.kind, value: m.value, normalised: m.normalised ?? "not recognised", extra: extra)
            },
            hasMentions: !d.mentions.isEmpty,
            indicators: d.indicators.map { item, tick in
                IndicatorRow(list: item.flatMap { IndicatorList(rawValue: $0.list)?.label } ?? "", dimension: item.flatMap { IndicatorDimension(rawValue: $0.dimension)?.label } ?? "",
                             text: item?.text ?? tick.indicatorID, knowledge: tick.knowledge.capitalized, version: "v\(tick.indicatorVersion)")
            },
            hasIndicators: !d.indicators.isEmpty,
            events: d.events.map { e in
                EventRow(at: Self.time(e.at), actor: e.actorName + (e.agencyID.map { " (\(name($0)))" } ?? ""), action: e.action,
                         change: e.fromStatus == e.toStatus ? nil : "\(ReportStatus(rawValue: e.fromStatus)?.label ?? "—") → \(ReportStatus(rawValue: e.toStatus)?.label ?? e.toStatus)",
                         note: e.note.nilIfEmpty)
            },
            referrals: try d.referrals.map { f in
                let mine = f.toAgencyID == identity.agencyID
                return ReferralRow(id: try f.requireID().uuidString, from: name(f.fromAgencyID), to: name(f.toAgencyID), status: f.referralStatus.label,
                                   shared: f.sharedCategories.map(\.label).sorted().joined(separator: "; "), request: f.request, response: f.response.nilIfEmpty,
                                   canRespond: mine && (f.referralStatus == .pending || f.referralStatus == .accepted),
                                   pending: f.referralStatus == .pending, accepted: f.referralStatus == .accepted)
            },
            hasReferrals: !d.referrals.isEmpty, outcome: outcome, closed: status == .closed,
            canAccept: canAccept, canReject: canReject, canReroute: canReroute, canStart: canStart, canAssign: canAssign,
            canClose: canClose, canReopen: canReopen, canTriage: triageTeam && status != .closed, canRefer: canRefer,
            canOpenCase: identity.can(.workCases),
            hasActions: canAccept || canReject || canReroute || canStart || canAssign || canClose || canReopen || canRefer,
            agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: false) },
            shareChoices: ShareCategory.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == .summary) },
            suggested: suggested.nilIfEmpty,
            links: try await linkPanel(try r.requireID(), identity, address),
            canRecordIntelligence: identity.can(.analyseIntelligence))
    }
}
