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
        router.add(CaseRoute.list, table: table) { request, context, identity in
            let list = try await cases.list(identity: identity, address: context.clientAddress, via: "web")
            let page = ListPage(rows: try list.map(Self.row), empty: list.isEmpty)
            return try views.render("cases/index", page, title: "Your cases", request: request, context: context)
        }
        router.add(CaseRoute.new, table: table) { request, context, identity in
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
        router.add(CaseRoute.open, table: table) { request, context, identity in
            let (form, dates) = try await OpenCaseForm.readWithDates(request)
            let input = form.input
            do {
                try dates.check()
                let record = try await cases.open(input, identity: identity, address: context.clientAddress)
                return .seeOther(CaseRoute.show(.value(try record.requireID())).path, flash: "Case \(record.code) opened. You are on its team.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/form", Self.form(input), title: "Open a case", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(CaseRoute.show(.key), table: table) { request, context, identity in
            let c = try await cases.view(try context.id(.caseId, "case"), identity: identity, address: context.clientAddress, via: "web")
            return try views.render("cases/show", try await show(c, person: nil), title: "Case \(c.record.code)", request: request, context: context)
        }
        router.add(CaseRoute.identity(.key), table: table) { request, context, identity in
            let c = try await cases.view(try context.id(.caseId, "case"), identity: identity, address: context.clientAddress, via: "web")
            let person = try await cases.identityDetails(of: c, address: context.clientAddress, via: "web")
            return try views.render("cases/show", try await show(c, person: person), title: "Case \(c.record.code)", request: request, context: context)
        }
        router.add(CaseRoute.addMember(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let form = try await TeamMemberForm.read(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                try await cases.addMember(to: c, email: form.email ?? "", address: context.clientAddress)
                return .seeOther(CaseRoute.show(.value(id)).path, flash: "Added to the case team.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await showAgain(id, identity: identity, request: request, context: context, error: error)
            }
        }
        router.add(CaseRoute.status(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let form = try await CaseStatusForm.read(request)
            let target = form.target
            let c = try await cases.authorise(id, identity: identity)
            do {
                let record = try await cases.move(c, to: target, reason: form.reason ?? "", plan: form.followUpPlan ?? "", address: context.clientAddress)
                return .seeOther(CaseRoute.show(.value(id)).path, flash: "Case \(record.code) \(target == .closed ? "closed" : "re-opened").")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await showAgain(id, identity: identity, request: request, context: context, error: error)
            }
        }
    }

    /// The case page again, with what was wrong in a form posted from it.
    func showAgain(_ id: UUID, identity: Identity, request: Request, context: CairnRequestContext, error: AppError,
                   dates: FormDates? = nil) async throws -> Response {
        let viewed = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
        return try views.render("cases/show", try await show(viewed, person: nil), title: "Case \(viewed.record.code)", request: request,
                                context: context, errors: error.fieldErrors, status: error.status, dates: dates)
    }
}
