import CairnCore
import Foundation
import Hummingbird

/// Outcome reviews, warning signs (recorded from the case page) and alerts.
extension CaseSupportController {
    func addOutcomeRoutes(to router: AppRouter, table: RouteTable) {
        router.add(CaseSupportRoute.outcomes(.key), table: table) { request, context, identity in
            let c = try await viewedCase(context, identity, section: "outcomes")
            return try views.render("cases/outcomes", try await outcomesPage(c), title: "Outcomes · \(c.record.code)", request: request, context: context)
        }
        router.add(CaseSupportRoute.recordReview(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let (form, dates) = try await ReviewForm.readWithDates(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                _ = try await support.recordReview(c, point: form.point ?? "", date: form.reviewDate ?? "", ratings: form.ratings, note: form.note ?? "",
                                                   address: context.clientAddress)
                return .seeOther(CaseSupportRoute.outcomes(.value(id)).path, flash: "Outcomes recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/outcomes", try await outcomesPage(c), title: "Outcomes · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(CaseSupportRoute.recordWarning(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let (form, dates) = try await WarningForm.readWithDates(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                let (_, risk) = try await support.recordWarning(c, sign: form.sign ?? "", observedOn: form.observedOn ?? "", note: form.note ?? "",
                                                                address: context.clientAddress)
                return .seeOther(CaseRoute.show(.value(id)).path,
                                 flash: "Warning sign recorded. Re-exploitation risk: \(risk.level.rawValue). The case team has been alerted.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await CaseController(services: services, views: views)
                    .showAgain(id, identity: identity, request: request, context: context, error: error, dates: dates)
            }
        }
        router.add(CaseSupportRoute.dismissAlert(.key), table: table) { request, context, identity in
            let alertID = try context.id(.alertId, "alert")
            // The form is read first, so a malformed one leaves the alert as it was.
            let form = try await DismissAlertForm.read(request)
            try await support.dismissAlert(alertID, identity: identity, address: context.clientAddress)
            return .seeOther(LocalRedirect.path(form.back) ?? HomeRoute.home.path, flash: "Alert marked as read.")
        }
    }
}
