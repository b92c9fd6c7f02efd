import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// Recording a report of concern (`ReportRoute.new`), and the form it shares with triage.
extension ReportController {
    func addNewReportRoutes(to router: AppRouter, table: RouteTable) {
        router.add(ReportRoute.new, table: table) { request, context, _ in
            let catalogue = try await reports.catalogue()
            return try views.render("reports/form", form(ReportInput(), catalogue: catalogue, submission: UUID().uuidString),
                                    title: "Record a report of concern", request: request, context: context)
        }

        router.add(ReportRoute.create, table: table) { request, context, identity in
            let sent = try await ReportForm.read(request)
            let input = sent.input, submission = sent.submissionKey
            do {
                let submitted = try await reports.submit(input, source: .practitioner, identity: identity, address: context.clientAddress,
                                                         idempotencyKey: submission.isEmpty ? nil : "web:\(submission)", requireFormAnswers: true)
                let r = submitted.report
                return .seeOther(ReportRoute.show(.value(try r.requireID())).path, flash: "Report \(r.reference) recorded: urgency \(r.reportUrgency.label.lowercased()).")
            } catch let issues as ReportIssues {
                let catalogue = try await reports.catalogue()
                return try views.render("reports/form", form(input, catalogue: catalogue, submission: submission),
                                        title: "Record a report of concern", request: request, context: context,
                                        errors: issues.fieldErrors, status: .unprocessableContent)
            }
        }
    }

    func indicatorGroups(_ input: ReportInput, catalogue: IndicatorCatalogue) -> [IndicatorGroup] {
        let ticked = Dictionary(input.indicators.map { ($0.id, $0.knowledge) }, uniquingKeysWith: { a, _ in a })
        return IndicatorList.allCases.map { list in
            let items = catalogue.checklist(list).map {
                IndicatorChoice(id: $0.id, field: "indicator:\($0.id)", text: $0.text, dimension: $0.dimension.label,
                                observed: ticked[$0.id] == IndicatorKnowledge.observed.rawValue,
                                disclosed: ticked[$0.id] == IndicatorKnowledge.disclosed.rawValue)
            }
            return IndicatorGroup(label: list.label, items: items, open: items.contains { $0.observed || $0.disclosed })
        }
    }

    func form(_ input: ReportInput, catalogue: IndicatorCatalogue, submission: String) -> FormPage {
        let persons = input.persons + Array(repeating: ReportInput.Person(), count: max(0, 3 - input.persons.count))
        let addresses = input.addresses + Array(repeating: ReportInput.Address(), count: max(0, 2 - input.addresses.count))
        return FormPage(
            action: ReportRoute.create.path, heading: "Record a report of concern", submission: submission, description: input.description,
            dangerNow: input.dangerNow == true,
            types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.exploitationTypes.contains($0.rawValue)) },
            countyLines: input.countyLines,
            ages: AgeGroup.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.ageGroup == $0.rawValue) },
            sectors: LabourSector.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.labourSector == $0.rawValue) },
            location: input.location, postcode: input.postcode, occurred: input.occurred,
            persons: persons.enumerated().map { PersonRow(index: $0, number: $0 + 1, name: $1.name, aliases: $1.aliases, dateOfBirth: $1.dateOfBirth, age: $1.age, nationality: $1.nationality) },
            addresses: addresses.enumerated().map { AddressRow(index: $0, number: $0 + 1, line: $1.line, postcode: $1.postcode) },
            phones: input.phones, vehicles: input.vehicles, businesses: input.businesses, online: input.websites,
            groups: indicatorGroups(input, catalogue: catalogue), isNew: true, cancel: ReportRoute.list.path)
    }
}
