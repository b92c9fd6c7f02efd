import CairnCore
import Foundation
import Hummingbird

/// Consent: the page, recording a consent, and withdrawing one.
extension CaseSupportController {
    func addConsentRoutes(to router: AppRouter, table: RouteTable) {
        router.add(CaseSupportRoute.consent(.key), table: table) { request, context, identity in
            let c = try await viewedCase(context, identity, section: "consent")
            return try views.render("cases/consent", try await consentPage(c, address: context.clientAddress),
                                    title: "Consent · \(c.record.code)", request: request, context: context)
        }
        router.add(CaseSupportRoute.recordConsent(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let (form, dates) = try await ConsentForm.readWithDates(request)
            let input = form.input
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                let consent = try await support.recordConsent(c, input, address: context.clientAddress)
                return .seeOther(CaseSupportRoute.consent(.value(c.id)).path, flash: "Consent recorded.",
                                 warning: try await support.agreementWarning(for: consent, from: identity.agencyID))
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/consent", try await consentPage(c, address: context.clientAddress, input: input),
                                        title: "Consent · \(c.record.code)", request: request, context: context, errors: error.fieldErrors, status: error.status,
                                        dates: dates)
            }
        }
        router.add(CaseSupportRoute.withdrawal(.key, consent: .key), table: table) { request, context, identity in
            let c = try await viewedCase(context, identity, section: "consent")
            let consentID = try context.id(.consentId, "consent")
            guard let row = try await support.consent(consentID, of: c), row.withdrawnOn == nil else { throw AppError.notFound("consent") }
            let agencies = try await services.accounts.agencies()
            let names = try row.record.agencies.compactMap { id in try agencies.first { try $0.requireID().uuidString == id }?.name }.sorted()
            return try views.render("cases/withdraw", WithdrawPage(header: Self.header(c, current: .consent), consentID: consentID.uuidString, agencies: names),
                                    title: "Withdraw consent · \(c.record.code)", request: request, context: context)
        }
        router.add(CaseSupportRoute.withdraw(.key, consent: .key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let consentID = try context.id(.consentId, "consent")
            let form = try await WithdrawConsentForm.read(request)
            let c = try await cases.authorise(id, identity: identity)
            _ = try await support.withdrawConsent(c, consentID: consentID, note: form.note ?? "", address: context.clientAddress)
            return .seeOther(CaseSupportRoute.consent(.value(c.id)).path, flash: "Consent withdrawn. Shares that depended on it have stopped.")
        }
    }
}
