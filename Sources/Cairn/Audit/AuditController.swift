import CairnCore
import Foundation
import Hummingbird

/// Administrators search the audit log and check its chain.
struct AuditController {
    let audit: AuditLog
    let reader: AuditReader
    let views: Views

    struct Row: Sendable {
        let seq: Int
        let at: String
        let actor: String
        let action: String
        let record: String
        let address: String
        let detail: String
    }

    struct Page: Sendable, DateFieldPage {
        let rows: [Row]
        let empty: Bool
        let actor: String
        let action: String
        let record: String
        let reference: String
        let from: String
        let to: String
        var dates: [String: DateField]
        let pagination: Pagination
        let verification: String?
        let intact: Bool
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(AuditRoute.log, table: table) { request, context, _ in
            try await render(request, context, verification: nil)
        }
        router.add(AuditRoute.verify, table: table) { request, context, _ in
            let result = try await audit.verify()
            try await audit.append(AuditEvent(actor: context.auditActor, action: "audit.verified", recordType: "audit", address: context.clientAddress,
                                              detail: result.isIntact ? "intact: \(result.checked) entries" : "broken at \(result.firstBroken ?? 0)"))
            return try await render(request, context, verification: result)
        }
    }

    func render(_ request: Request, _ context: CairnRequestContext, verification: AuditLog.Verification?) async throws -> Response {
        var search = AuditLog.Search()
        search.actor = request.query("actor")
        search.action = request.query("action")
        search.record = request.query("record")
        let today = CalendarDate(Date(), in: Format.timeZone)
        let (values, dates) = FormDates.read({ request.uri.queryParameters[Substring($0)].map(String.init) }, fields: [
            "from": DateInput.Rules(label: "Start date", required: false),
            "to": DateInput.Rules(label: "End date", required: false),
        ], today: today)
        var errors = dates.problems
        let fromText = values["from"] ?? "", toText = values["to"] ?? ""
        if let d = try? CalendarDate(parsing: fromText) { search.from = Self.startOfDay(d) }
        if let d = try? CalendarDate(parsing: toText) { search.to = Self.startOfDay(d).map { $0.addingTimeInterval(86_400) } }
        if let from = search.from, let to = search.to, to <= from { errors.append(.init("to", "End date must be the same as or after the start date")) }
        search.page = Pagination.pageNumber(request)
        let reference = request.query("reference")
        var entries: [AuditEntry] = [], total = 0
        if errors.isEmpty {
            // The reader checks the permission, resolves the reference and audits the search.
            do {
                (entries, total) = try await reader.search(search, reference: reference, identity: context.identity,
                                                           actor: context.auditActor, address: context.clientAddress)
            } catch let error as AppError where error.status == .unprocessableContent {
                errors += error.fieldErrors
            }
        }
        if !errors.isEmpty {
            try await audit.append(AuditEvent(actor: context.auditActor, action: "audit.searched", recordType: "audit", address: context.clientAddress))
        }
        let page = Page(
            rows: entries.map { Row(seq: $0.id ?? 0, at: Format.dateTime($0.date), actor: $0.actor, action: $0.action,
                                    record: [$0.recordType, $0.recordID].filter { !$0.isEmpty }.joined(separator: " "), address: $0.address, detail: $0.detail) },
            empty: entries.isEmpty, actor: search.actor, action: search.action, record: search.record, reference: reference, from: fromText, to: toText,
            dates: ["from": DateField("from", legend: "From", hint: DateField.example(today), value: fromText),
                    "to": DateField("to", legend: "To", hint: "The last day to include", value: toText)],
            pagination: Pagination(page: search.page, perPage: search.perPage, total: total, path: AuditRoute.log.path,
                                   query: [("actor", search.actor), ("action", search.action), ("record", search.record), ("reference", reference)] + Self.boxes("from", fromText) + Self.boxes("to", toText)),
            verification: verification.map { $0.isIntact ? "The audit log is intact: \($0.checked) entries checked\($0.retentionNote)." : "The audit log has been tampered with: \($0.reason ?? "")" },
            intact: verification?.isIntact ?? true)
        return try views.render("admin/audit", page, title: "Audit log", request: request, context: context, errors: errors,
                                status: errors.isEmpty ? .ok : .unprocessableContent, dates: dates)
    }

    /// Midnight at the start of `day` in the partnership's time zone.
    static func startOfDay(_ day: CalendarDate) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Format.timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
    }

    /// A date's boxes for the pagination links.
    static func boxes(_ name: String, _ value: String) -> [(String, String)] {
        let field = DateField(name, legend: "", hint: "", value: value)
        return [("\(name)-day", field.day), ("\(name)-month", field.month), ("\(name)-year", field.year)]
    }
}
