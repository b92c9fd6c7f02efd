import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// Referring a report to another agency, and that agency's reply.
extension ReportController {
    func addReferralRoutes(to router: AppRouter, table: RouteTable) {
        router.add(ReportRoute.refer(.key), table: table) { request, context, identity in
            let id = try context.id(.reportId, "report")
            let form = try await ReferralForm.read(request)
            do {
                let referral = try await reports.refer(id, to: UUID(uuidString: form.toAgencyId ?? ""), shared: form.shared ?? [],
                                                       request: form.request ?? "", identity: identity, address: context.clientAddress)
                let agency = try await services.accounts.agency(referral.toAgencyID)
                return .seeOther(ReportRoute.show(.value(id)).path, flash: "Referred to \(agency.name).",
                                 warning: try await reports.agreementWarning(for: referral))
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await reports.detail(id, identity: identity, address: context.clientAddress)
                let page = try await detailPage(detail, identity: identity, address: context.clientAddress)
                return try views.render("reports/show", page, title: "Report \(detail.report.reference)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }

        router.add(ReportRoute.respond(.key), table: table) { request, context, identity in
            let id = try context.id(.referralId, "referral")
            let form = try await ReferralReplyForm.read(request)
            let referral = try await reports.respond(toReferral: id, status: form.status ?? "", response: form.response ?? "",
                                                     identity: identity, address: context.clientAddress)
            return .seeOther(ReportRoute.show(.value(referral.reportID)).path, flash: "Referral \(referral.referralStatus.label.lowercased()).")
        }
    }
}
