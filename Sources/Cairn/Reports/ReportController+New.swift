import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// Recording a report of concern (`/reports/new`), and the form it shares with triage.
extension ReportController {
    func addNewReportRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/reports/new", .createReport, table: table) { request, context in
            let catalogue = try await reports.catalogue()
            return try views.render("reports/form", form(ReportInput(), catalogue: catalogue, submission: UUID().uuidString),
                                    title: "Record a report of concern", request: request, context: context)
        }

        router.add(.post, "/reports", .createReport, table: table) { request, context in
            let identity = try context.requireIdentity(.createReport)
            let data = try await FormData.read(request)
            let input = Self.input(data)
            let submission = String((data["submission"] ?? "").prefix(64))
            do {
                let submitted = try await reports.submit(input, source: .practitioner, identity: identity, address: context.clientAddress,
                                                         idempotencyKey: submission.isEmpty ? nil : "web:\(submission)", requireFormAnswers: true)
                let r = submitted.report
                return .seeOther("/reports/\(try r.requireID().uuidString)", flash: "Report \(r.reference) recorded: urgency \(r.reportUrgency.label.lowercased()).")
            } catch let issues as ReportIssues {
                let catalogue = try await reports.catalogue()
                return try views.render("reports/form", form(input, catalogue: catalogue, submission: submission),
                                        title: "Record a report of concern", request: request, context: context,
                                        errors: issues.fieldErrors, status: .unprocessableContent)
            }
        }
    }

    static func input(_ data: FormData) -> ReportInput {
        var input = ReportInput()
        input.description = data["description"] ?? ""
        input.dangerNow = data.bool("dangerNow")
        input.exploitationTypes = data.all("exploitationTypes")
        input.countyLines = data.bool("countyLines")
        input.ageGroup = data["ageGroup"] ?? ""
        input.labourSector = data["labourSector"] ?? ""
        input.location = data["location"] ?? ""
        input.postcode = data["postcode"] ?? ""
        input.occurred = data["occurred"] ?? ""
        input.phones = data["phones"] ?? ""
        input.vehicles = data["vehicles"] ?? ""
        input.businesses = data["businesses"] ?? ""
        input.websites = data["online"] ?? ""
        input.anonymous = true
        for index in 0..<ReportValidation.maxItems {
            let prefix = "persons[\(index)]."
            guard data[prefix + "name"] != nil else { break }
            input.persons.append(.init(name: data[prefix + "name"] ?? "", aliases: data[prefix + "aliases"] ?? "",
                                       dateOfBirth: data[prefix + "dateOfBirth"] ?? "", age: data[prefix + "age"] ?? "",
                                       nationality: data[prefix + "nationality"] ?? ""))
        }
        for index in 0..<ReportValidation.maxItems {
            let prefix = "addresses[\(index)]."
            guard data[prefix + "line"] != nil else { break }
            input.addresses.append(.init(line: data[prefix + "line"] ?? "", postcode: data[prefix + "postcode"] ?? ""))
        }
        for (key, value) in data.pairs where key.hasPrefix("indicator:") && !value.isEmpty {
            input.indicators.append(.init(id: String(key.dropFirst("indicator:".count)), knowledge: value))
        }
        return input
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
            action: "/reports", heading: "Record a report of concern", submission: submission, description: input.description,
            dangerNow: input.dangerNow == true,
            types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.exploitationTypes.contains($0.rawValue)) },
            countyLines: input.countyLines,
            ages: AgeGroup.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.ageGroup == $0.rawValue) },
            sectors: LabourSector.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.labourSector == $0.rawValue) },
            location: input.location, postcode: input.postcode, occurred: input.occurred,
            persons: persons.enumerated().map { PersonRow(index: $0, number: $0 + 1, name: $1.name, aliases: $1.aliases, dateOfBirth: $1.dateOfBirth, age: $1.age, nationality: $1.nationality) },
            addresses: addresses.enumerated().map { AddressRow(index: $0, number: $0 + 1, line: $1.line, postcode: $1.postcode) },
            phones: input.phones, vehicles: input.vehicles, businesses: input.businesses, online: input.websites,
            groups: indicatorGroups(input, catalogue: catalogue), isNew: true, cancel: "/reports")
    }
}
