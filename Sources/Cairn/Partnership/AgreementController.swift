import CairnCore
import Foundation
import Hummingbird

/// Information-sharing agreements: the list (with the flags and the count of shares no
/// agreement covered), one agreement, the form that records or changes one, and recording a
/// review. Everything goes through `AgreementService`.
struct AgreementController {
    let services: AppServices
    let views: Views
    var agreements: AgreementService { services.agreements }

    static let perPage = 25

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(AgreementRoute.agreements, table: table) { request, context, identity in
            let sort = AgreementService.Sort(rawValue: request.query("sort")) ?? .review
            let page = Pagination.pageNumber(request)
            let list = try await agreements.agreements(identity: identity, sort: sort, page: page, perPage: Self.perPage)
            let counts = try await agreements.recentUncoveredCounts(identity: identity)
            let path = AgreementRoute.agreements.path
            let model = AgreementsPage(
                rows: try list.rows.map(Self.row), empty: list.rows.isEmpty, canEdit: identity.can(.editPartnership),
                sorts: GovernanceController.sortLinks(sort, path: path, label: \.label),
                pagination: Pagination(page: page, perPage: Self.perPage, total: list.total, path: path, query: [("sort", sort.rawValue)]),
                uncovered: Self.uncoveredTable(counts), noUncovered: counts.isEmpty, uncoveredTotal: counts.reduce(0) { $0 + $1.count })
            return try views.render("partnership/agreement-list", model, title: "Information-sharing agreements", request: request, context: context)
        }
        router.add(AgreementRoute.newAgreement, table: table) { request, context, identity in
            try views.render("partnership/agreement-form", try await form(nil, input: nil, identity: identity), title: "Record an agreement",
                             request: request, context: context)
        }
        router.add(AgreementRoute.createAgreement, table: table) { request, context, identity in
            let (form, dates) = try await AgreementForm.readWithDates(request)
            do {
                let agreement = try await agreements.create(form.input, identity: identity, address: context.clientAddress)
                return .seeOther(AgreementRoute.agreement(.value(try agreement.requireID())).path, flash: "Agreement recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("partnership/agreement-form", try await self.form(nil, input: form.input, identity: identity),
                                        title: "Record an agreement", request: request, context: context, errors: dates.merged(error.fieldErrors), status: error.status,
                                        dates: dates)
            }
        }
        router.add(AgreementRoute.agreement(.key), table: table) { request, context, identity in
            let d = try await agreements.agreement(try context.id(.agreementId, "agreement"), identity: identity)
            return try views.render("partnership/agreement-show", try Self.page(d, identity: identity), title: d.agreement.title, request: request, context: context)
        }
        router.add(AgreementRoute.editAgreement(.key), table: table) { request, context, identity in
            let d = try await agreements.agreement(try context.id(.agreementId, "agreement"), identity: identity)
            return try views.render("partnership/agreement-form", try await form(d, input: nil, identity: identity), title: "Change \(d.agreement.title)",
                                    request: request, context: context)
        }
        router.add(AgreementRoute.updateAgreement(.key), table: table) { request, context, identity in
            let id = try context.id(.agreementId, "agreement")
            let (form, dates) = try await AgreementForm.readWithDates(request)
            do {
                _ = try await agreements.update(id, form.input, identity: identity, address: context.clientAddress)
                return .seeOther(AgreementRoute.agreement(.value(id)).path, flash: "Changes saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let d = try await agreements.agreement(id, identity: identity)
                return try views.render("partnership/agreement-form", try await self.form(d, input: form.input, identity: identity),
                                        title: "Change \(d.agreement.title)", request: request, context: context, errors: dates.merged(error.fieldErrors),
                                        status: error.status, dates: dates)
            }
        }
        router.add(AgreementRoute.review(.key), table: table) { request, context, identity in
            let id = try context.id(.agreementId, "agreement")
            let (form, dates) = try await AgreementReviewForm.readWithDates(request)
            do {
                _ = try await agreements.review(id, nextReviewOn: form.nextReviewOn ?? "", identity: identity, address: context.clientAddress)
                return .seeOther(AgreementRoute.agreement(.value(id)).path, flash: "Review recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let d = try await agreements.agreement(id, identity: identity)
                return try views.render("partnership/agreement-show", try Self.page(d, identity: identity), title: d.agreement.title, request: request, context: context,
                                        errors: dates.merged(error.fieldErrors), status: error.status, dates: dates)
            }
        }
    }
}
