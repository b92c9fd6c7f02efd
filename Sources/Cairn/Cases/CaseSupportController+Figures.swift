import CairnCore
import Foundation
import Hummingbird

/// The partnership's case figures.
extension CaseSupportController {
    func addFigureRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/case-figures", .viewCaseStatistics, table: table) { request, context in
            let identity = try context.requireIdentity(.viewCaseStatistics)
            let figures = try await support.figures(identity: identity, address: context.clientAddress)
            return try views.render("cases/figures", figuresPage(figures), title: "Case figures", request: request, context: context)
        }
    }
}
