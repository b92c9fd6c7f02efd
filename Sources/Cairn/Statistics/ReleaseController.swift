import CairnCore
import Disclosure
import Foundation
import Hummingbird
import Linkage

/// The statistical releases' pages (`ReleaseRoute`). Everything comes from `ReleaseService`,
/// which checks who may see and change releases; the view models are in `ReleasePages.swift`.
struct ReleaseController {
    let releases: ReleaseService
    let views: Views

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(ReleaseRoute.list, table: table) { request, context, identity in
            let page = Pagination.pageNumber(request)
            let (items, total) = try await releases.list(identity: identity, page: page)
            let year = CalendarDate(Date(), in: .london).year
            let budget = try await releases.budget(year: year)
            let model = ReleasePages.ListPage(
                rows: items.map(ReleasePages.row), empty: items.isEmpty, canCreate: identity.can(.manageReleases),
                budget: ReleasePages.budgetText(spent: budget.spent, cap: budget.cap, measure: budget.measure, year: year),
                pagination: Pagination(page: page, perPage: 25, total: total, path: ReleaseRoute.list.path, query: []))
            return try views.render("statistics/list", model, title: "Statistical releases", request: request, context: context)
        }
        router.add(ReleaseRoute.new, table: table) { request, context, identity in
            try await form(request, context, input: .init())
        }
        router.add(ReleaseRoute.create, table: table) { request, context, identity in
            let form = try await ReleaseForm.read(request)
            do {
                let id = try await releases.create(form.input, identity: identity, address: context.clientAddress)
                return .seeOther(ReleaseRoute.show(.value(id)).path, flash: "Release saved as a draft. Compute it to see its tables and the check.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await self.form(request, context, input: form.input, errors: error.fieldErrors)
            }
        }
        router.add(ReleaseRoute.show(.key), table: table) { request, context, identity in
            let detail = try await releases.detail(try context.id(.releaseId, "release"), identity: identity)
            let model = ReleasePages.showPage(detail, areas: releases.settings.areas, canManage: identity.can(.manageReleases),
                                              canApprove: identity.can(.approveReleases))
            return try views.render("statistics/show", model, title: model.heading, request: request, context: context)
        }
        router.add(ReleaseRoute.propose(.key), table: table) { _, context, identity in
            let id = try context.id(.releaseId, "release")
            try await releases.propose(id, identity: identity, address: context.clientAddress)
            return .seeOther(ReleaseRoute.show(.value(id)).path, flash: "Computed and checked. Read the check below before proposing it for approval.")
        }
        router.add(ReleaseRoute.confirmApprove(.key), table: table) { request, context, identity in
            let id = try context.id(.releaseId, "release")
            let detail = try await releases.detail(id, identity: identity)
            guard detail.summary.status == .proposed else { throw AppError.conflict("Only a proposed release can be approved.") }
            let body = detail.definition.method.isNoise
                ? "Approving draws the noise, spends \(ReleasePages.amount(detail.cost ?? 0, detail.measure)) of \(detail.definition.period.year)’s privacy budget, signs the release and publishes it. It can never be changed or withdrawn, only revised by a later release."
                : "Approving signs the release and publishes it exactly as shown. It can never be changed or withdrawn, only revised by a later release. "
                    + (detail.safe ? "The check found no hidden cell that can be worked out." : "The check found hidden cells that can be worked out: it cannot be approved.")
            let page = ConfirmPage(heading: "Approve and publish the release for \(detail.definition.period.label)?", body: body,
                                   action: ReleaseRoute.approve(.value(id)).path, button: "Approve and publish",
                                   cancel: ReleaseRoute.show(.value(id)).path, warning: true)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(ReleaseRoute.approve(.key), table: table) { _, context, identity in
            let id = try context.id(.releaseId, "release")
            try await releases.approve(id, identity: identity, address: context.clientAddress)
            return .seeOther(ReleaseRoute.show(.value(id)).path, flash: "Release approved, signed and published.")
        }
        router.add(ReleaseRoute.confirmWithdraw(.key), table: table) { request, context, identity in
            let id = try context.id(.releaseId, "release")
            let detail = try await releases.detail(id, identity: identity)
            guard [.draft, .proposed].contains(detail.summary.status) else { throw AppError.conflict("Only a draft or a proposal can be withdrawn.") }
            let page = ConfirmPage(heading: "Withdraw the release for \(detail.definition.period.label)?",
                                   body: "It stays in the list as withdrawn and can never be approved. Nothing was published from it.",
                                   action: ReleaseRoute.withdraw(.value(id)).path, button: "Withdraw the release",
                                   cancel: ReleaseRoute.show(.value(id)).path, warning: true)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(ReleaseRoute.withdraw(.key), table: table) { _, context, identity in
            let id = try context.id(.releaseId, "release")
            try await releases.withdraw(id, identity: identity, address: context.clientAddress)
            return .seeOther(ReleaseRoute.list.path, flash: "Release withdrawn.")
        }
        router.addOpen(ReleaseRoute.csv(.key), table: table) { _, context in
            let id = try context.id(.releaseId, "release")
            let release = try await releases.published(id)
            let csv = CSV.write(header: ReleasePages.csvHeader, rows: ReleasePages.csvRows(release, areas: releases.settings.areas),
                                lineEnding: "\r\n", defuseFormulas: true)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"\(release.partnership)-\(release.period)-\(release.sequence).csv\""],
                            body: .init(byteBuffer: .init(string: csv)))
        }
        router.addOpen(ReleaseRoute.json(.key), table: table) { _, context in
            let id = try context.id(.releaseId, "release")
            let release = try await releases.published(id)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return Response(status: .ok, headers: [.contentType: "application/json",
                                                   .contentDisposition: "attachment; filename=\"\(release.partnership)-\(release.period)-\(release.sequence).json\""],
                            body: .init(byteBuffer: .init(bytes: try encoder.encode(release))))
        }
    }

    func form(_ request: Request, _ context: CairnRequestContext, input: ReleaseService.Input, errors: [AppError.FieldError] = []) async throws -> Response {
        let published = try await releases.publishedSummaries()
        let page = ReleasePages.formPage(input, published: published, today: CalendarDate(Date(), in: .london))
        return try views.render("statistics/form", page, title: "New statistical release", request: request, context: context,
                                errors: errors, status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}
