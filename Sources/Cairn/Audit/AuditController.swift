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

    struct Page: Sendable {
        let rows: [Row]
        let empty: Bool
        let actor: String
        let action: String
        let record: String
        let reference: String
        let from: String
        let to: String
        let pagination: Pagination
        let verification: String?
        let intact: Bool
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/admin/audit", .viewAuditLog, table: table) { request, context in
            try await render(request, context, verification: nil)
        }
        router.add(.post, "/admin/audit/verify", .viewAuditLog, table: table) { request, context in
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
        let day = DateFormatter()
        day.dateFormat = "yyyy-MM-dd"
        day.timeZone = TimeZone(identifier: "Europe/London")
        var errors: [AppError.FieldError] = []
        let fromText = request.query("from"), toText = request.query("to")
        if !fromText.isEmpty { if let d = day.date(from: fromText) { search.from = d } else { errors.append(.init("from", "Enter the start date as YYYY-MM-DD")) } }
        if !toText.isEmpty { if let d = day.date(from: toText) { search.to = d.addingTimeInterval(86_400) } else { errors.append(.init("to", "Enter the end date as YYYY-MM-DD")) } }
        if let from = search.from, let to = search.to, to <= from { errors.append(.init("to", "The end date must be on or after the start date")) }
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
            pagination: Pagination(page: search.page, perPage: search.perPage, total: total, path: "/admin/audit",
                                   query: [("actor", search.actor), ("action", search.action), ("record", search.record), ("reference", reference), ("from", fromText), ("to", toText)]),
            verification: verification.map { $0.isIntact ? "The audit log is intact: \($0.checked) entries checked." : "The audit log has been tampered with: \($0.reason ?? "")" },
            intact: verification?.isIntact ?? true)
        return try views.render("admin/audit", page, title: "Audit log", request: request, context: context, errors: errors,
                                status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}
