import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// Referring a report to another agency, and that agency's reply.
extension ReportController {
    func addReferralRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.post, "/reports/:id/referrals", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            do {
                let referral = try await reports.refer(id, to: UUID(uuidString: data["toAgencyId"] ?? ""), shared: data.all("shared"),
                                                       request: data["request"] ?? "", identity: identity, address: context.clientAddress)
                let agency = try await services.accounts.agency(referral.toAgencyID)
                return .seeOther("/reports/\(id.uuidString)", flash: "Referred to \(agency.name).")
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await reports.detail(id, identity: identity, address: context.clientAddress)
                let page = try await detailPage(detail, identity: identity, address: context.clientAddress)
                return try views.render("reports/show", page, title: "Report \(detail.report.reference)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }

        router.add(.post, "/referrals/:id", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            let referral = try await reports.respond(toReferral: id, status: data["status"] ?? "", response: data["response"] ?? "",
                                                     identity: identity, address: context.clientAddress)
            return .seeOther("/reports/\(referral.reportID.uuidString)", flash: "Referral \(referral.referralStatus.label.lowercased()).")
        }
    }
}
