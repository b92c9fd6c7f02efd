import CairnCore
import Foundation
import Hummingbird

/// The board report as a printable page: the same page reads well on screen and on paper (the
/// print stylesheet drops navigation and forms, starts each section on a new page and draws the
/// charts in black). Everything comes from `BoardReportService`.
struct BoardReportController {
    let reports: BoardReportService
    let views: Views

    struct IssueForm: FormInput {
        let from: String?
        let to: String?
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(BoardReportRoute.report, table: table) { request, context, identity in
            let from = request.query("from"), to = request.query("to")
            do {
                let (first, last) = try BoardReportService.period(from: from, to: to, now: Date())
                let report = try await reports.report(first: first, last: last, identity: identity)
                return try views.render("partnership/board-report", page(report, identity: identity), title: "Board report", request: request, context: context)
            } catch let error as AppError where error.status == .unprocessableContent {
                let current = MonthPeriod(CalendarDate(Date(), in: .london))
                let report = try await reports.report(first: current.adding(months: -3), last: current.adding(months: -1), identity: identity)
                return try views.render("partnership/board-report", page(report, identity: identity, typed: (from, to)), title: "Board report",
                                        request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(BoardReportRoute.issue, table: table) { request, context, identity in
            let form = try await IssueForm.read(request)
            let (first, last) = try BoardReportService.period(from: form.from ?? "", to: form.to ?? "", now: Date())
            try await reports.issue(first: first, last: last, identity: identity, address: context.clientAddress)
            return .seeOther(BoardReportRoute.report.path(query: [("from", first.description), ("to", last.description)]),
                             flash: "Report issued. The next report will show what changed since this one.")
        }
    }
}
