import CairnCore
import Foundation
import Hummingbird

/// The exports page and its downloads (`ExportRoute`); every download streams.
struct ExportController {
    let services: AppServices
    let views: Views
    var exports: ExportService { services.exports }

    struct Page: Sendable, DateFieldPage {
        var dates: [String: DateField]
        let formats: [Choice]
        let canExportReports: Bool
        let canCaseAggregates: Bool
    }

    func page(_ identity: Identity, from: String = "", to: String = "", format: String = "csv", today: CalendarDate) -> Page {
        Page(dates: ["from": DateField("from", legend: "First day", hint: DateField.example(today.adding(months: -12)), value: from),
                     "to": DateField("to", legend: "Last day", hint: "The last day to include", value: to)],
             formats: [Choice(value: "csv", label: "CSV", selected: format != "json"), Choice(value: "json", label: "JSON", selected: format == "json")],
             canExportReports: identity.can(.exportReports), canCaseAggregates: identity.can(.viewCaseStatistics))
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(ExportRoute.page, table: table) { request, context, identity in
            let today = CalendarDate(Date(), in: .london)
            return try views.render("exports/index", page(identity, from: today.adding(months: -12).description, to: today.description, today: today),
                                    title: "Exports", request: request, context: context)
        }
        router.add(ExportRoute.htcds, table: table) { request, context, identity in
            let today = CalendarDate(Date(), in: .london)
            // The days typed into the boxes, or given whole (`from=YYYY-MM-DD`) by a script.
            let (values, dates) = FormDates.read(request, fields: [
                "from": DateInput.Rules(label: "The first day"), "to": DateInput.Rules(label: "The last day"),
            ], today: today)
            let (from, to, format) = (values["from"] ?? "", values["to"] ?? "", request.query("format"))
            do {
                try dates.check()
                let period = try ExportService.Period.parse(from: from, to: to)
                let chosen = try ExportService.format(format)
                return try await exports.htcds(period, format: chosen, identity: identity, address: context.clientAddress).download.response
            } catch let error as AppError where !error.fieldErrors.isEmpty {
                return try views.render("exports/index", page(identity, from: from, to: to, format: format, today: today), title: "Exports",
                                        request: request, context: context, errors: error.fieldErrors, status: .unprocessableContent, dates: dates)
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
