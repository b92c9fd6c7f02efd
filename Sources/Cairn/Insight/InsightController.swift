import CairnCore
import Foundation
import Hummingbird
import Linkage

/// The insight dashboard (`/insight`) and each figure's CSV. The filter lives in the URL, so a
/// view can be bookmarked and shared; everything is drawn on the server.
struct InsightController {
    let insight: InsightService
    let accounts: AccountService
    let config: AppConfig
    let views: Views

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(InsightRoute.dashboard, table: table) { request, context, identity in
            let today = CalendarDate(Date(), in: .london)
            let agencies = try await accounts.agencies()
            do {
                let (period, filters) = try Self.read(request, today: today)
                let view = try await insight.view(period, filters, identity: identity, deadlines: config.responseDeadlines,
                                                  drill: { ReportRoute.list.path(query: $0) })
                let page = InsightPage(view: view, request: request, agencies: agencies, today: today)
                return try views.render("insight/dashboard", page, title: "Insight", request: request, context: context)
            } catch let invalid as InvalidView {
                let page = InsightPage(invalid: request, typed: invalid.typed, today: today, agencies: agencies)
                return try views.render("insight/dashboard", page, title: "Insight", request: request, context: context,
                                        errors: invalid.errors, status: .unprocessableContent, dates: invalid.dates)
            }
        }

        router.add(InsightRoute.figure(.key), table: table) { request, context, identity in
            let id = try context.text(.figure)
            let period: InsightPeriod, filters: InsightFilters
            do {
                (period, filters) = try Self.read(request, today: CalendarDate(Date(), in: .london))
            } catch let invalid as InvalidView {
                throw AppError.invalid(invalid.errors)
            }
            guard id.count <= 40, let figure = try await insight.figure(id, period, filters, identity: identity, deadlines: config.responseDeadlines) else {
                throw AppError.notFound("figure")
            }
            let csv = CSV.write(header: figure.csvRows.first ?? [], rows: Array(figure.csvRows.dropFirst()), lineEnding: "\r\n", defuseFormulas: true)
            let name = "cairn-\(figure.id)-\(period.from)-to-\(period.to).csv"
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                            body: .init(byteBuffer: .init(string: csv)))
        }
    }

    /// The period and filter a page's query names (see `InsightPeriod.read`, `InsightFilters.read`):
    /// the days typed into the date boxes, or given whole by a link.
    static func read(_ request: Request, today: CalendarDate) throws -> (InsightPeriod, InsightFilters) {
        let (values, dates) = FormDates.read(request, fields: [
            "from": DateInput.Rules(label: "The first day", required: false), "to": DateInput.Rules(label: "The last day", required: false),
        ], today: today)
        var errors = dates.problems
        var period = InsightPeriod(.last12Months, today: today)
        var filters = InsightFilters()
        if errors.isEmpty {
            do {
                period = try InsightPeriod.read(period: request.query("period"), from: values["from"] ?? "", to: values["to"] ?? "", today: today)
            } catch let error as AppError { errors += error.fieldErrors }
        }
        do {
            filters = try InsightFilters.read(area: request.query("area"), type: request.query("type"), agency: request.query("agency"))
        } catch let error as AppError { errors += error.fieldErrors }
        guard errors.isEmpty else { throw InvalidView(errors: errors, dates: dates, typed: values) }
        return (period, filters)
    }

    /// A refused view: its problems, and the dates as typed for the form.
    struct InvalidView: Error {
        let errors: [AppError.FieldError]
        let dates: FormDates
        let typed: [String: String]
    }
}
