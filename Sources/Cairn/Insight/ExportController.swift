import CairnCore
import Foundation
import Hummingbird

/// The exports page and its downloads (`ExportRoute`); every download streams.
struct ExportController {
    let services: AppServices
    let views: Views
    var exports: ExportService { services.exports }

    struct Page: Sendable {
        let from: String
        let to: String
        let formats: [Choice]
        let canExportReports: Bool
        let canCaseAggregates: Bool
    }

    func page(_ identity: Identity, from: String = "", to: String = "", format: String = "csv") -> Page {
        Page(from: from, to: to,
             formats: [Choice(value: "csv", label: "CSV", selected: format != "json"), Choice(value: "json", label: "JSON", selected: format == "json")],
             canExportReports: identity.can(.exportReports), canCaseAggregates: identity.can(.viewCaseStatistics))
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(ExportRoute.page, table: table) { request, context, identity in
            let today = CalendarDate(Date(), in: .london)
            return try views.render("exports/index", page(identity, from: today.adding(months: -12).description, to: today.description),
                                    title: "Exports", request: request, context: context)
        }
        router.add(ExportRoute.htcds, table: table) { request, context, identity in
            let (from, to, format) = (request.query("from"), request.query("to"), request.query("format"))
            do {
                let period = try ExportService.Period.parse(from: from, to: to)
                let chosen = try ExportService.format(format)
                return try await exports.htcds(period, format: chosen, identity: identity, address: context.clientAddress).download.response
            } catch let error as AppError where !error.fieldErrors.isEmpty {
                return try views.render("exports/index", page(identity, from: from, to: to, format: format), title: "Exports", request: request,
                                        context: context, errors: error.fieldErrors, status: .unprocessableContent)
            }
        }
        router.add(ExportRoute.referrals, table: table) { _, context, identity in
            let (csv, _) = try await services.reports.exportReferralsCSV(identity: identity, address: context.clientAddress)
            return ExportDownload(csv: csv, filename: "cairn-referrals.csv").response
        }
        router.add(ExportRoute.caseAggregates, table: table) { _, context, identity in
            try await exports.caseAggregates(identity: identity, address: context.clientAddress).response
        }
    }
}
