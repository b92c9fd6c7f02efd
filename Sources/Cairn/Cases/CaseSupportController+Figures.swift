import CairnCore
import Foundation
import Hummingbird

/// The partnership's case figures.
extension CaseSupportController {
    func addFigureRoutes(to router: AppRouter, table: RouteTable) {
        router.add(CaseSupportRoute.figures, table: table) { request, context, identity in
            let figures = try await support.figures(identity: identity, address: context.clientAddress)
            return try views.render("cases/figures", figuresPage(figures), title: "Case figures", request: request, context: context)
        }
    }
}
