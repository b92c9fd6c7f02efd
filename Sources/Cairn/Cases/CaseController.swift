import CairnCore
import Foundation
import Hummingbird

/// The caseworkers' pages: their cases, opening a case, the case page, the identity (shown on
/// request and audited), the team, closing and re-opening.
struct CaseController {
    let services: AppServices
    let views: Views
    var cases: CaseService { services.cases }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/cases", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let list = try await cases.list(identity: identity, address: context.clientAddress, via: "web")
            let page = ListPage(rows: try list.map(Self.row), empty: list.isEmpty)
            return try views.render("cases/index", page, title: "Your cases", request: request, context: context)
        }
        router.add(.get, "/cases/new", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            // "Open a case" on a report page brings its reference and the age it records, for
            // a report the caseworker may see; an unknown or unseen reference brings nothing.
            var input = CaseService.Input()
            if let reference = request.uri.queryParameters.get("report"),
               let report = try await cases.reportForNewCase(reference: String(reference.prefix(40)), identity: identity) {
                input.reportReference = report.reference
                input.ageGroup = report.ageGroup
            }
            return try views.render("cases/form", Self.form(input), title: "Open a case", request: request, context: context)
        }
        router.add(.post, "/cases", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let (data, dates) = try await FormData.read(request).withDates(["dateOfBirth": DateInput.Rules(label: "Date of birth", required: false, timing: .past)])
            var input = CaseService.Input()
            input.chosenName = data["chosenName"] ?? ""
            input.account = data["account"] ?? ""
            input.language = data["language"] ?? ""
            input.interpreterNeeded = data.bool("interpreterNeeded")
            input.legalName = data["legalName"] ?? ""
            input.dateOfBirth = data["dateOfBirth"] ?? ""
            input.nationality = data["nationality"] ?? ""
            input.languages = data["languages"] ?? ""
            input.contact = data["contact"] ?? ""
            input.reportReference = data["reportReference"] ?? ""
            input.ageGroup = data["ageGroup"] ?? AgeGroup.unknown.rawValue
            do {
                try dates.check()
                let record = try await cases.open(input, identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(try record.requireID().uuidString)", flash: "Case \(record.code) opened. You are on its team.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/form", Self.form(input), title: "Open a case", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.get, "/cases/:id", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try Self.id(context)
            let c = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
            return try views.render("cases/show", try await show(c, person: nil), title: "Case \(c.record.code)", request: request, context: context)
        }
        router.add(.get, "/cases/:id/identity", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try Self.id(context)
            let c = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
            let person = try await cases.identityDetails(of: c, address: context.clientAddress, via: "web")
            return try views.render("cases/show", try await show(c, person: person), title: "Case \(c.record.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/team", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                try await cases.addMember(to: c, email: data["email"] ?? "", address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)", flash: "Added to the case team.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let viewed = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("cases/show", try await show(viewed, person: nil), title: "Case \(viewed.record.code)", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(.post, "/cases/:id/status", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            let target: CaseStatus = data["status"] == "open" ? .open : .closed
            let c = try await cases.authorise(id, identity: identity)
            do {
                let record = try await cases.move(c, to: target, reason: data["reason"] ?? "", plan: data["followUpPlan"] ?? "",
                                                  address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)", flash: "Case \(record.code) \(target == .closed ? "closed" : "re-opened").")
            } catch let error as AppError where error.status == .unprocessableContent {
                let viewed = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("cases/show", try await show(viewed, person: nil), title: "Case \(viewed.record.code)", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status)
            }
        }
    }

    static func id(_ context: CairnRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw AppError.notFound("case") }
        return id
    }
}
