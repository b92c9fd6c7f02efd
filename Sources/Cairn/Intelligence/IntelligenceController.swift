import CairnCore
import Foundation
import Hummingbird
import Linkage

/// Analysts' pages: alerts and networks (`/intelligence`), a link's explanation with
/// feedback, a network as a picture and tables, hotspots, and intelligence items. The routes
/// are here; each page's view model is in `IntelligenceController+*.swift`. Everything read
/// comes from `IntelligenceService`.
struct IntelligenceController {
    let services: AppServices
    let views: Views
    var intelligence: IntelligenceService { services.intelligence }

    static func percent(_ p: Double) -> String {
        if p >= 0.9995 { return "certain" }
        return String(format: "%.1f%%", p * 100)
    }

    static func bits(_ w: Double) -> String { String(format: "%+.2f", w) }

    static func when(_ date: Date) -> String { Format.dateTime(date) }

    // MARK: Routes

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(IntelligenceRoute.dashboard, table: table) { request, context, identity in
            let showRead = request.uri.queryParameters.get("alerts") == "all"
            let alerts = try await intelligence.alerts(identity: identity, includeRead: showRead)
            let networks = try await intelligence.networks(identity: identity)
            return try views.render("intelligence/index", Self.dashboard(alerts: alerts, networks: networks, showRead: showRead), title: "Intelligence",
                                    request: request, context: context)
        }
        router.add(IntelligenceRoute.dismissAlert(.key), table: table) { request, context, identity in
            try await intelligence.dismissAlert(try context.id(.alertId, "alert"), identity: identity, address: context.clientAddress)
            return .seeOther(IntelligenceRoute.dashboard.path, flash: "Alert marked as read for the team.")
        }
        router.add(IntelligenceRoute.link(.key), table: table) { request, context, identity in
            let detail = try await intelligence.link(try context.id(.linkId, "link"), identity: identity, address: context.clientAddress, via: "web")
            return try views.render("intelligence/link", Self.linkPage(detail), title: "Link \(detail.earlier.reference) – \(detail.later.reference)",
                                    request: request, context: context)
        }
        router.add(IntelligenceRoute.decide(.key), table: table) { request, context, identity in
            let id = try context.id(.linkId, "link")
            let form = try await LinkDecisionForm.read(request)
            let decision = form.decision ?? ""
            do {
                let kept = try await intelligence.decide(linkID: id, reason: form.reason ?? -1, decision: decision,
                                                         note: form.note ?? "", identity: identity, address: context.clientAddress)
                if let kept {
                    return .seeOther(IntelligenceRoute.link(.value(try kept.requireID())).path,
                                     flash: ["same": "Confirmed: the same person. Later runs keep them together.",
                                             "split": "Taken out of the group. Later runs keep them alone until someone confirms a match."][decision]
                                         ?? "Recorded: not the same person. Later runs keep them apart.")
                }
                return .seeOther(IntelligenceRoute.dashboard.path, flash: "Recorded. Nothing else joined the two reports, so the link is gone.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await intelligence.link(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("intelligence/link", Self.linkPage(detail), title: "Link", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(IntelligenceRoute.network(.key), table: table) { request, context, identity in
            let network = try await intelligence.network(try context.id(.networkId, "network"), identity: identity,
                                                         address: context.clientAddress, via: "web")
            return try views.render("intelligence/network", Self.networkPage(network), title: "Network of \(network.reports.count) reports",
                                    request: request, context: context)
        }
        router.add(IntelligenceRoute.hotspots, table: table) { request, context, identity in
            let query = request.uri.queryParameters
            let typeText = query.get("type") ?? ""
            var errors: [AppError.FieldError] = []
            var type: ExploitationType?
            if !typeText.isEmpty {
                type = ExploitationType(rawValue: typeText)
                if type == nil { errors.append(.init("type", "Choose a type of exploitation from the list.")) }
            }
            let monthsText = query.get("months") ?? "12"
            var months = 12
            if let m = Int(monthsText), [3, 6, 12, 24].contains(m) { months = m } else { errors.append(.init("months", "Choose a period from the list.")) }
            let hotspots = try await intelligence.hotspots(type: type, months: months, identity: identity, address: context.clientAddress, via: "web")
            return try views.render("intelligence/hotspots", Self.hotspotPage(hotspots, type: type, months: months), title: "Hotspots",
                                    request: request, context: context, errors: errors, status: errors.isEmpty ? .ok : .badRequest)
        }
        router.add(IntelligenceRoute.items, table: table) { request, context, identity in
            let items = try await intelligence.items(identity: identity, address: context.clientAddress, via: "web")
            return try views.render("intelligence/items", Self.itemsPage(items, canCreate: identity.can(.analyseIntelligence)), title: "Intelligence items",
                                    request: request, context: context)
        }
        router.add(IntelligenceRoute.newItem, table: table) { request, context, _ in
            var input = IntelligenceService.ItemInput()
            input.reportReference = request.uri.queryParameters.get("report").map { String($0.prefix(20)) } ?? ""
            return try views.render("intelligence/item-form", try await itemForm(input), title: "Record intelligence", request: request, context: context)
        }
        router.add(IntelligenceRoute.createItem, table: table) { request, context, identity in
            let input = try await NewItemForm.read(request).input
            do {
                let item = try await intelligence.createItem(input, identity: identity, address: context.clientAddress)
                return .seeOther(IntelligenceRoute.item(.value(try item.requireID())).path,
                                 flash: "Intelligence \(item.reference) recorded, graded \(item.grading?.description ?? "").",
                                 warning: try await intelligence.agreementWarning(for: item))
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("intelligence/item-form", try await itemForm(input), title: "Record intelligence", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(IntelligenceRoute.item(.key), table: table) { request, context, identity in
            let detail = try await intelligence.item(try context.id(.itemId, "intelligence item"), identity: identity,
                                                     address: context.clientAddress, via: "web")
            return try views.render("intelligence/item", try await itemPage(detail, identity: identity), title: detail.item.title,
                                    request: request, context: context)
        }
        router.add(IntelligenceRoute.sharing(.key), table: table) { request, context, identity in
            let id = try context.id(.itemId, "intelligence item")
            let form = try await ItemSharingForm.read(request)
            do {
                let item = try await intelligence.updateSharing(id, sanitised: form.sanitised, partnerTitle: form.partnerTitle,
                                                                approvedAgencies: form.approvedAgencies ?? [], identity: identity, address: context.clientAddress)
                return .seeOther(IntelligenceRoute.item(.value(id)).path, flash: "Sharing updated.", warning: try await intelligence.agreementWarning(for: item))
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await intelligence.item(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("intelligence/item", try await itemPage(detail, identity: identity), title: detail.item.title,
                                        request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
    }
}
