import CairnCore
import Foundation
import Hummingbird

/// The public list (`/resources?lang=…`), in the public form's languages and its layout, and
/// file downloads by id.
extension ResourceController {
    struct PublicItem: Sendable {
        let title: String
        let summary: String
        let kind: String
        let href: String
        let type: String
        let size: String
        /// The resource has no file in this language: the English one is offered, marked.
        let fallback: Bool
    }

    struct PublicPage: Sendable {
        let items: [PublicItem]
        let empty: Bool
        let reportHref: String
        let pagination: Pagination
    }

    static let publicPerPage = 20

    func addPublicRoutes(to router: AppRouter, table: RouteTable) {
        router.addOpen(ResourceRoute.publicList, table: table) { request, context in
            let language = PublicReportController.language(request)
            let all = try await hub.publicList(language: language.rawValue)
            let page = Pagination.pageNumber(request)
            let rows = Pagination.rows(page: page, perPage: Self.publicPerPage)
            let shown = rows.lowerBound < all.count ? Array(all[rows.lowerBound..<min(rows.upperBound, all.count)]) : []
            let model = PublicPage(
                items: shown.map { item in
                    PublicItem(title: item.resource.title, summary: item.resource.summary, kind: item.resource.resourceKind.label,
                               href: ResourceRoute.download(.value(item.file.id ?? UUID())).path, type: item.file.type.label,
                               size: ResourceService.size(item.file.byteCount), fallback: item.fallback)
                },
                empty: all.isEmpty, reportHref: PublicReportRoute.form.link(in: language),
                pagination: Pagination(page: page, perPage: Self.publicPerPage, total: all.count, path: ResourceRoute.publicList.path,
                                       query: [("lang", language.rawValue)]))
            var response = try PublicReportController(services: services, views: views)
                .render("resources/public", model, titleKey: "resources.title", language: language, request: request, context: context)
            PublicReportController.remember(language, request: request, on: &response)
            return response
        }
        router.addOpen(ResourceRoute.download(.key), table: table) { _, context in
            let download = try await hub.download(try context.id(.fileId, "file"), identity: context.identity, address: context.clientAddress)
            return Self.response(download)
        }
    }
}
