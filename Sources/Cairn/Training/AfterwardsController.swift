import CairnCore
import Foundation
import Hummingbird

/// The "what changed afterwards" page. Its choices live in the URL, so a view can be shared.
struct AfterwardsController {
    let afterwards: AfterwardsService
    let views: Views

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(AfterwardsRoute.page, table: table) { request, context, identity in
            let now = Date()
            do {
                let query = try AfterwardsService.Query.read(sector: request.query("sector", max: 60), area: request.query("area", max: 20),
                                                             months: request.query("months", max: 10))
                let view = try await afterwards.view(query, identity: identity, now: now)
                return try views.render("training/afterwards", AfterwardsPage(view), title: "What changed afterwards", request: request, context: context)
            } catch let error as AppError where !error.fieldErrors.isEmpty {
                let page = AfterwardsPage(refused: request)
                return try views.render("training/afterwards", page, title: "What changed afterwards", request: request, context: context,
                                        errors: error.fieldErrors, status: .unprocessableContent)
            }
        }
    }
}
