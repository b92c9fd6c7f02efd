import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// The inboxes (`ReportRoute.list`) and their CSV export.
extension ReportController {
    func addListRoutes(to router: AppRouter, table: RouteTable) {
        router.add(ReportRoute.list, table: table) { request, context, identity in
            let q = try Self.query(request, identity: identity)
            let (items, total) = try await reports.list(q, identity: identity, address: context.clientAddress, via: "web")
            let agencies = try await services.accounts.agencies()
            let names = Dictionary(uniqueKeysWithValues: try agencies.map { (try $0.requireID(), $0.name) })
            let inboxes: [ReportService.Inbox] = identity.can(.triageReports) ? ReportService.Inbox.allCases : [.assigned, .made, .referred]
            let queryItems = Self.queryItems(q)
            let page = ListPage(
                rows: try items.map { try row($0, names: names) }, empty: items.isEmpty,
                tabs: inboxes.map { Choice(value: ReportRoute.list.path(query: [("inbox", $0.rawValue)]), label: $0.label, selected: $0 == q.inbox) },
                inbox: q.inbox?.rawValue ?? "", search: q.search,
                statuses: ReportStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.status) },
                urgencies: Urgency.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.urgency) },
                types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.type) },
                agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == q.agencyID) },
                sorts: ReportService.Sort.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.sort) },
                district: q.district, overdue: q.overdue, canCreate: identity.can(.createReport), canExport: identity.can(.exportReports),
                exportHref: ReportRoute.export.path(query: queryItems),
                pagination: Pagination(page: q.page, perPage: q.perPage, total: total, path: ReportRoute.list.path, query: queryItems),
                kept: Self.kept(q).map { Choice(value: $0.value, label: $0.name, selected: true) }, keptText: Self.keptText(q),
                hasKept: !Self.kept(q).isEmpty, clearKeptHref: ReportRoute.list.path(query: Self.queryItems(Self.withoutKept(q))))
            return try views.render("reports/index", page, title: "Reports", request: request, context: context)
        }

        router.add(ReportRoute.export, table: table) { request, context, identity in
            let q = try Self.query(request, identity: identity)
            let (csv, _) = try await reports.exportCSV(q, identity: identity, address: context.clientAddress)
            return ExportDownload(csv: csv, filename: "cairn-reports.csv").response
        }
    }

    static func query(_ request: Request, identity: Identity) throws -> ReportService.Query {
        var q = ReportService.Query()
        q.inbox = ReportService.Inbox(rawValue: request.query("inbox")) ?? (identity.can(.triageReports) ? .all : .assigned)
        if (q.inbox == .all || q.inbox == .triage), !identity.can(.triageReports) { q.inbox = .assigned }
        q.status = ReportStatus(rawValue: request.query("status"))
        q.urgency = Urgency(rawValue: request.query("urgency"))
        q.type = ExploitationType(rawValue: request.query("type"))
        q.district = String(request.query("district").uppercased().prefix(4))
        q.agencyID = UUID(uuidString: request.query("agency"))
        q.overdue = request.query("overdue") == "1"
        q.receivedFrom = try? CalendarDate(parsing: request.query("from", max: 10))
        q.receivedTo = try? CalendarDate(parsing: request.query("to", max: 10))
        q.source = ReportSource(rawValue: request.query("source"))
        q.reporterType = ReporterType(rawValue: request.query("reporter"))
        q.ageGroup = AgeGroup(rawValue: request.query("age"))
        let outcome = request.query("outcome", max: 60)
        q.outcome = outcome == "none" || ReportOutcome(rawValue: outcome) != nil ? outcome : nil
        q.search = request.query("q")
        q.sort = ReportService.Sort(rawValue: request.query("sort")) ?? .received
        q.page = Pagination.pageNumber(request)
        return q
    }

    static func queryItems(_ q: ReportService.Query) -> [(String, String)] {
        [("inbox", q.inbox?.rawValue ?? ""), ("status", q.status?.rawValue ?? ""), ("urgency", q.urgency?.rawValue ?? ""),
         ("type", q.type?.rawValue ?? ""), ("district", q.district), ("agency", q.agencyID?.uuidString ?? ""),
         ("overdue", q.overdue ? "1" : ""), ("from", q.receivedFrom?.description ?? ""), ("to", q.receivedTo?.description ?? ""),
         ("source", q.source?.rawValue ?? ""), ("reporter", q.reporterType?.rawValue ?? ""), ("age", q.ageGroup?.rawValue ?? ""),
         ("outcome", q.outcome ?? ""), ("q", q.search), ("sort", q.sort.rawValue)]
    }

    /// The drill-down filters set, as query items.
    static func kept(_ q: ReportService.Query) -> [(name: String, value: String)] {
        [("from", q.receivedFrom?.description ?? ""), ("to", q.receivedTo?.description ?? ""), ("source", q.source?.rawValue ?? ""),
         ("reporter", q.reporterType?.rawValue ?? ""), ("age", q.ageGroup?.rawValue ?? ""), ("outcome", q.outcome ?? "")]
            .filter { !$0.1.isEmpty }
    }

    static func keptText(_ q: ReportService.Query) -> String {
        var parts: [String] = []
        if let from = q.receivedFrom, let to = q.receivedTo {
            parts.append("received \(Format.day(from)) to \(Format.day(to))")
        } else if let from = q.receivedFrom {
            parts.append("received from \(Format.day(from))")
        } else if let to = q.receivedTo {
            parts.append("received up to \(Format.day(to))")
        }
        if let source = q.source { parts.append(source.label.lowercased() + "s") }
        if let reporter = q.reporterType { parts.append("reported by: \(reporter.label.lowercased())") }
        if let age = q.ageGroup { parts.append("age: \(age.label.lowercased())") }
        if let outcome = q.outcome {
            parts.append(outcome == "none" ? "no outcome yet" : "outcome: \(ReportOutcome(rawValue: outcome)?.label.lowercased() ?? outcome)")
        }
        return parts.joined(separator: "; ")
    }

    static func withoutKept(_ q: ReportService.Query) -> ReportService.Query {
        var plain = q
        plain.receivedFrom = nil
        plain.receivedTo = nil
        plain.source = nil
        plain.reporterType = nil
        plain.ageGroup = nil
        plain.outcome = nil
        plain.page = 1
        return plain
    }

    func row(_ r: Report, names: [UUID: String]) throws -> Row {
        Row(id: try r.requireID().uuidString, reference: r.reference, received: Self.time(r.receivedAt), due: Self.time(r.dueAt),
            overdue: reports.isOverdue(r), awaitsTriage: ReportService.awaitsTriage(r), status: r.reportOutcome.map { "Closed: \($0.label)" } ?? r.reportStatus.label, urgency: r.reportUrgency.label, urgencyClass: "urgency-\(r.urgency)",
            types: Self.typesText(r), district: r.postcodeDistrict ?? "", agency: r.assignedAgencyID.flatMap { names[$0] } ?? "Not assigned",
            source: r.reportSource.label)
    }
}
