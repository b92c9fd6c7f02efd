import CairnCore
import Foundation
import Hummingbird

/// Consent: the page, recording a consent, and withdrawing one.
extension CaseSupportController {
    func addConsentRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/cases/:id/consent", .workCases, table: table) { request, context in
            let c = try await viewedCase(context, section: "consent")
            return try views.render("cases/consent", try await consentPage(c, address: context.clientAddress),
                                    title: "Consent · \(c.record.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/consent", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(Self.consentDateRules)
            let input = CaseSupportService.ConsentInput(
                categories: data.all("categories"), purposes: data.all("purposes"), agencies: data.all("agencies"), method: data["method"] ?? "",
                interpreterLanguage: data["interpreterLanguage"] ?? "", validFrom: data["validFrom"] ?? "", validUntil: data["validUntil"] ?? "",
                nrmConsent: data.bool("nrmConsent"))
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                _ = try await support.recordConsent(c, input, address: context.clientAddress)
                return .seeOther("/cases/\(c.id.uuidString)/consent", flash: "Consent recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/consent", try await consentPage(c, address: context.clientAddress, input: input),
                                        title: "Consent · \(c.record.code)", request: request, context: context, errors: error.fieldErrors, status: error.status,
                                        dates: dates)
            }
        }
        router.add(.get, "/cases/:id/consent/:consent/withdraw", .workCases, table: table) { request, context in
            let c = try await viewedCase(context, section: "consent")
            guard let consentID = context.parameters.get("consent").flatMap(UUID.init(uuidString:)),
                  let row = try await support.consent(consentID, of: c),
                  row.withdrawnOn == nil else { throw AppError.notFound("consent") }
            let agencies = try await services.accounts.agencies()
            let names = try row.record.agencies.compactMap { id in try agencies.first { try $0.requireID().uuidString == id }?.name }.sorted()
            return try views.render("cases/withdraw", WithdrawPage(header: Self.header(c, current: "/consent"), consentID: consentID.uuidString, agencies: names),
                                    title: "Withdraw consent · \(c.record.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/consent/:consent/withdraw", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            guard let consentID = context.parameters.get("consent").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound("consent") }
            let data = try await FormData.read(request)
            let c = try await cases.authorise(id, identity: identity)
            _ = try await support.withdrawConsent(c, consentID: consentID, note: data["note"] ?? "", address: context.clientAddress)
            return .seeOther("/cases/\(c.id.uuidString)/consent", flash: "Consent withdrawn. Shares that depended on it have stopped.")
        }
    }
}
