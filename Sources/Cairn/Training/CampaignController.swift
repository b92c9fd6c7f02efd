import CairnCore
import Foundation
import Hummingbird

/// The campaigns' pages (`CampaignRoute`). Everything comes from `CampaignService`, which checks
/// who may read and change campaigns; the view models are in `CampaignPages.swift`.
struct CampaignController {
    let services: AppServices
    let views: Views
    var campaigns: CampaignService { services.campaigns }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(CampaignRoute.list, table: table) { request, context, identity in
            var errors: [AppError.FieldError] = []
            var q = CampaignService.Query()
            let show = request.query("show"), sort = request.query("sort")
            if !show.isEmpty {
                if let value = CampaignService.Show(rawValue: show) { q.show = value } else { errors.append(.init("show", "Choose which campaigns to show from the list")) }
            }
            if !sort.isEmpty {
                if let value = CampaignService.Sort(rawValue: sort) { q.sort = value } else { errors.append(.init("sort", "Choose an order from the list")) }
            }
            q.page = Pagination.pageNumber(request)
            let (rows, total) = try await campaigns.list(q, identity: identity)
            let items = [("show", q.show == .current ? "" : q.show.rawValue), ("sort", q.sort == .start ? "" : q.sort.rawValue)]
            let page = CampaignPages.ListPage(
                rows: rows.map(CampaignPages.row), empty: rows.isEmpty, canEdit: identity.can(.manageTraining),
                shows: CampaignPages.choices(CampaignService.Show.self, selected: q.show.rawValue) { $0.label },
                sorts: CampaignPages.choices(CampaignService.Sort.self, selected: q.sort.rawValue) { $0.label }, showingCurrent: q.show == .current,
                pagination: Pagination(page: q.page, perPage: q.perPage, total: total, path: CampaignRoute.list.path, query: items))
            return try views.render("campaigns/list", page, title: "Campaigns", request: request, context: context,
                                    errors: errors, status: errors.isEmpty ? .ok : .badRequest)
        }
        router.add(CampaignRoute.new, table: table) { request, context, identity in
            try await form(request, context, identity, input: .init(), editing: nil)
        }
        router.add(CampaignRoute.create, table: table) { request, context, identity in
            let (form, dates) = try await CampaignForm.readWithDates(request)
            do {
                let campaign = try await campaigns.create(form.input, identity: identity, address: context.clientAddress)
                return .seeOther(CampaignRoute.show(.value(try campaign.requireID())).path, flash: "Campaign recorded. Its code is \(campaign.code).")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await self.form(request, context, identity, input: form.input, editing: nil,
                                           errors: PlanController.merge(error.fieldErrors, dates), dates: dates)
            }
        }
        router.add(CampaignRoute.show(.key), table: table) { request, context, identity in
            let detail = try await campaigns.detail(try context.id(.campaignId, "campaign"), identity: identity)
            let (base, configured) = Self.base(services.config, request: request, context: context)
            let page = CampaignPages.showPage(detail, base: base, baseConfigured: configured, canEdit: identity.can(.manageTraining))
            return try views.render("campaigns/show", page, title: detail.campaign.name, request: request, context: context)
        }
        router.add(CampaignRoute.edit(.key), table: table) { request, context, identity in
            let id = try context.id(.campaignId, "campaign")
            return try await form(request, context, identity, input: try await campaigns.input(for: id, identity: identity), editing: id)
        }
        router.add(CampaignRoute.update(.key), table: table) { request, context, identity in
            let id = try context.id(.campaignId, "campaign")
            let (form, dates) = try await CampaignForm.readWithDates(request)
            do {
                try await campaigns.update(id, form.input, identity: identity, address: context.clientAddress)
                return .seeOther(CampaignRoute.show(.value(id)).path, flash: "Campaign saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                _ = try await campaigns.campaign(id, identity: identity)  // a page for a campaign that exists
                return try await self.form(request, context, identity, input: form.input, editing: id,
                                           errors: PlanController.merge(error.fieldErrors, dates), dates: dates)
            }
        }
        router.add(CampaignRoute.confirmArchive(.key), table: table) { request, context, identity in
            let id = try context.id(.campaignId, "campaign")
            let campaign = try await campaigns.campaign(id, identity: identity)
            guard campaign.archivedAt == nil else { throw AppError.conflict("This campaign is already archived.") }
            let page = ConfirmPage(heading: "Archive \(campaign.name)?",
                                   body: "It leaves the list of current campaigns. Reports that arrive with its code \(campaign.code) still count for it.",
                                   action: CampaignRoute.archive(.value(id)).path, button: "Archive the campaign",
                                   cancel: CampaignRoute.show(.value(id)).path, warning: false)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(CampaignRoute.archive(.key), table: table) { _, context, identity in
            let id = try context.id(.campaignId, "campaign")
            try await campaigns.archive(id, identity: identity, address: context.clientAddress)
            return .seeOther(CampaignRoute.show(.value(id)).path, flash: "Campaign archived.")
        }
        router.add(CampaignRoute.confirmDelete(.key), table: table) { request, context, identity in
            let id = try context.id(.campaignId, "campaign")
            let campaign = try await campaigns.campaign(id, identity: identity)
            let page = ConfirmPage(heading: "Delete \(campaign.name)?",
                                   body: "The campaign and its reach are deleted, not kept. A campaign that reports have arrived with cannot be deleted: archive it instead.",
                                   action: CampaignRoute.delete(.value(id)).path, button: "Delete the campaign",
                                   cancel: CampaignRoute.show(.value(id)).path, warning: true)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(CampaignRoute.delete(.key), table: table) { _, context, identity in
            let id = try context.id(.campaignId, "campaign")
            try await campaigns.delete(id, identity: identity, address: context.clientAddress)
            return .seeOther(CampaignRoute.list.path, flash: "Campaign deleted.")
        }
    }

    func form(_ request: Request, _ context: CairnRequestContext, _ identity: Identity, input: CampaignService.Input, editing: UUID?,
              errors: [AppError.FieldError] = [], dates: FormDates? = nil) async throws -> Response {
        let actions = try await services.campaigns.actionChoices(identity: identity)
        let resources = try await services.campaigns.resourceChoices(identity: identity, selected: input.resourceIDs)
        let page = CampaignPages.formPage(input, editing: editing, actions: actions, resources: resources, today: PlanService.today(), errors: errors)
        return try views.render("campaigns/form", page, title: page.heading, request: request, context: context,
                                errors: errors, status: errors.isEmpty ? .ok : .unprocessableContent, dates: dates)
    }

    /// The address printed codes point at: `CAIRN_PUBLIC_URL`, or else the scheme and host this
    /// page was asked for (`false`: the page says to set it before printing).
    static func base(_ config: AppConfig, request: Request, context: CairnRequestContext) -> (String, Bool) {
        if var url = config.publicURL {
            while url.hasSuffix("/") { url.removeLast() }
            return (url, true)
        }
        let host = request.head.authority ?? ""
        let safe = !host.isEmpty && host.count <= 255 && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }
        return ((context.isSecure ? "https://" : "http://") + (safe ? host : "\(config.host):\(config.port)"), false)
    }
}
