import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// The workflow pages: actions (accept, reject, re-route, start, assign, re-open), closing
/// with an outcome, and triage by hand.
extension ReportController {
    func addWorkflowRoutes(to router: AppRouter, table: RouteTable) {
        router.add(ReportRoute.act(.key), table: table) { request, context, identity in
            let id = try context.id(.reportId, "report")
            let command = try await ReportActionForm.read(request).command
            do {
                let report = try await reports.perform(command, on: id, identity: identity, address: context.clientAddress)
                return .seeOther(ReportRoute.show(.value(id)).path, flash: "Report \(report.reference): \(report.reportStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                let detail = try await reports.detail(id, identity: identity, address: context.clientAddress)
                let page = try await detailPage(detail, identity: identity, address: context.clientAddress)
                return try views.render("reports/show", page, title: "Report \(detail.report.reference)", request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("actions", error.detail)] : error.fieldErrors, status: error.status)
            }
        }

        router.add(ReportRoute.closeForm(.key), table: table) { request, context, identity in
            let (report, _) = try await reports.visibleReport(try context.id(.reportId, "report"), identity: identity)
            return try views.render("reports/close", closePage(report, outcome: "", date: Self.today(), note: ""),
                                    title: "Close report \(report.reference)", request: request, context: context)
        }

        router.add(ReportRoute.close(.key), table: table) { request, context, identity in
            let id = try context.id(.reportId, "report")
            let (form, dates) = try await CloseReportForm.readWithDates(request)
            let date = form.outcomeDate ?? ""
            let outcome = form.outcome ?? "", note = form.outcomeNote ?? ""
            do {
                try dates.check()
                let report = try await reports.perform(.close(outcome: outcome, date: date, note: note), on: id, identity: identity, address: context.clientAddress)
                return .seeOther(ReportRoute.show(.value(id)).path, flash: "Report \(report.reference) closed: \(report.reportOutcome?.label ?? "").")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                let (report, _) = try await reports.visibleReport(id, identity: identity)
                return try views.render("reports/close", closePage(report, outcome: outcome, date: date, note: note),
                                        title: "Close report \(report.reference)", request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("outcome", error.detail)] : error.fieldErrors, status: error.status, dates: dates)
            }
        }

        router.add(ReportRoute.triageForm(.key), table: table) { request, context, identity in
            let (report, _) = try await reports.visibleReport(try context.id(.reportId, "report"), identity: identity)
            let catalogue = try await reports.catalogue()
            let ticks = try await reports.indicatorTicks(of: report)
            var input = ReportInput()
            input.description = report.narrative
            input.dangerNow = report.dangerNow
            // An unclassified public report starts blank rather than "not known / unknown age".
            input.exploitationTypes = report.classified ? report.types.map(\.rawValue) : []
            input.countyLines = report.countyLines
            input.ageGroup = report.classified ? report.ageGroup : ""
            input.labourSector = report.labourSector ?? ""
            input.indicators = ticks.map { .init(id: $0.indicatorID, knowledge: $0.knowledge) }
            return try views.render("reports/form", triageForm(report, input: input, catalogue: catalogue),
                                    title: "Triage report \(report.reference)", request: request, context: context)
        }

        router.add(ReportRoute.triage(.key), table: table) { request, context, identity in
            let id = try context.id(.reportId, "report")
            let input = try await ReportForm.read(request).input
            do {
                let result = try await reports.reclassify(id, types: input.exploitationTypes, countyLines: input.countyLines, ageGroup: input.ageGroup,
                                                          labourSector: input.labourSector, dangerNow: input.dangerNow ?? false,
                                                          indicators: input.indicators, identity: identity, address: context.clientAddress)
                return .seeOther(ReportRoute.show(.value(id)).path, flash: "Triaged: urgency \(result.urgency.label.lowercased()). Assign the report below.")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                let (report, _) = try await reports.visibleReport(id, identity: identity)
                let catalogue = try await reports.catalogue()
                return try views.render("reports/form", triageForm(report, input: input, catalogue: catalogue),
                                        title: "Triage report \(report.reference)", request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("exploitationTypes", error.detail)] : error.fieldErrors, status: error.status)
            }
        }
    }

    func triageForm(_ report: Report, input: ReportInput, catalogue: IndicatorCatalogue) throws -> FormPage {
        FormPage(
            action: ReportRoute.triage(.value(try report.requireID())).path, heading: "Triage report \(report.reference)", submission: "",
            description: report.narrative, dangerNow: input.dangerNow == true,
            types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.exploitationTypes.contains($0.rawValue)) },
            countyLines: input.countyLines,
            ages: AgeGroup.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.ageGroup == $0.rawValue) },
            sectors: LabourSector.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.labourSector == $0.rawValue) },
            location: "", postcode: "", occurred: "", persons: [], addresses: [], phones: "", vehicles: "", businesses: "", online: "",
            groups: indicatorGroups(input, catalogue: catalogue), isNew: false, cancel: ReportRoute.show(.value(try report.requireID())).path)
    }

    func closePage(_ report: Report, outcome: String, date: String, note: String) throws -> ClosePage {
        ClosePage(id: try report.requireID().uuidString, reference: report.reference,
                  outcomes: ReportOutcome.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == outcome) },
                  dates: ["outcomeDate": DateField("outcomeDate", legend: "Date of the outcome", hint: DateField.example(CalendarDate(Date(), in: Format.timeZone)), value: date)],
                  note: note)
    }
}
