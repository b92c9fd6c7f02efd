import CairnCore
import Foundation
import Hummingbird

/// Outcome reviews, warning signs (recorded from the case page) and alerts.
extension CaseSupportController {
    func addOutcomeRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/cases/:id/outcomes", .workCases, table: table) { request, context in
            let c = try await viewedCase(context, section: "outcomes")
            return try views.render("cases/outcomes", try await outcomesPage(c), title: "Outcomes · \(c.record.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/outcomes", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(["reviewDate": DateInput.Rules(label: "Date of the review", timing: .todayOrPast)])
            var ratings: [String: String] = [:]
            for outcome in CoreOutcome.allCases { ratings[outcome.rawValue] = data["rating_\(outcome.rawValue)"] ?? "" }
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                _ = try await support.recordReview(c, point: data["point"] ?? "", date: data["reviewDate"] ?? "", ratings: ratings, note: data["note"] ?? "",
                                                   address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/outcomes", flash: "Outcomes recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/outcomes", try await outcomesPage(c), title: "Outcomes · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.post, "/cases/:id/warnings", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(["observedOn": DateInput.Rules(label: "Date seen", timing: .todayOrPast)])
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                let (_, risk) = try await support.recordWarning(c, sign: data["sign"] ?? "", observedOn: data["observedOn"] ?? "", note: data["note"] ?? "",
                                                                address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)", flash: "Warning sign recorded. Re-exploitation risk: \(risk.level.rawValue). The case team has been alerted.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let viewed = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("cases/show", try await CaseController(services: services, views: views).show(viewed, person: nil),
                                        title: "Case \(viewed.record.code)", request: request, context: context, errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.post, "/alerts/:alert/dismiss", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            guard let alertID = context.parameters.get("alert").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound("alert") }
            try await support.dismissAlert(alertID, identity: identity, address: context.clientAddress)
            let data = try await FormData.read(request)
            let back = LocalRedirect.path(data["back"]) ?? "/"
            return .seeOther(back, flash: "Alert marked as read.")
        }
    }
}
