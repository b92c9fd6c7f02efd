import CairnCore
import Foundation
import Hummingbird

/// Administrators keep the indicator checklists: add an item, reword it, retire or restore it.
/// Every change adds a version, so reports keep the wording they were recorded with.
/// The checklists are kept through `ReportService` (`ReportService+Indicators.swift`).
struct IndicatorController {
    let services: AppServices
    let views: Views
    var reports: ReportService { services.reports }

    struct Item: Sendable {
        let id: String
        let text: String
        let dimension: String
        let version: Int
        let retired: Bool
        let used: Int
    }

    struct Group: Sendable {
        let label: String
        let items: [Item]
    }

    struct ListPage: Sendable {
        let groups: [Group]
        let lists: [Choice]
        let dimensions: [Choice]
        let text: String
    }

    struct EditPage: Sendable {
        let id: String
        let list: String
        let text: String
        let version: Int
        let dimensions: [Choice]
        let history: [Item]
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(IndicatorRoute.list, table: table) { request, context, identity in
            try views.render("admin/indicators", try await listPage(list: "", dimension: "", text: "", identity: identity),
                             title: "Indicator checklists", request: request, context: context)
        }
        router.add(IndicatorRoute.add, table: table) { request, context, identity in
            let form = try await NewIndicatorForm.read(request)
            let listText = form.list ?? "", dimensionText = form.dimension ?? "", text = form.text ?? ""
            do {
                let item = try await reports.addIndicator(list: listText, dimension: dimensionText, text: text, identity: identity,
                                                          address: context.clientAddress)
                return .seeOther(IndicatorRoute.list.path, flash: "Indicator added to \(IndicatorList(rawValue: item.list)?.label ?? item.list).")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("admin/indicators", try await listPage(list: listText, dimension: dimensionText, text: text, identity: identity),
                                        title: "Indicator checklists", request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(IndicatorRoute.edit(.key), table: table) { request, context, identity in
            let versions = try await reports.indicatorHistory(try Self.id(context), identity: identity)
            return try views.render("admin/indicator-form", editPage(versions, text: nil, dimension: nil), title: "Reword an indicator",
                                    request: request, context: context)
        }
        router.add(IndicatorRoute.reword(.key), table: table) { request, context, identity in
            let id = try Self.id(context)
            let form = try await IndicatorWordingForm.read(request)
            let text = form.text ?? "", dimension = form.dimension ?? ""
            do {
                try await reports.changeIndicator(id, text: text, dimension: dimension, retired: nil, identity: identity, address: context.clientAddress)
                return .seeOther(IndicatorRoute.list.path, flash: "Indicator reworded. Reports made earlier keep the old wording.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("admin/indicator-form", editPage(try await reports.indicatorHistory(id, identity: identity), text: text, dimension: dimension),
                                        title: "Reword an indicator", request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(IndicatorRoute.retireForm(.key), table: table) { request, context, identity in
            let id = try Self.id(context)
            guard let current = try await reports.indicatorHistory(id, identity: identity).last else { throw AppError.notFound("indicator") }
            let action = IndicatorRoute.retire(.value(id)).path, cancel = IndicatorRoute.list.path
            let page = current.retired
                ? ConfirmPage(heading: "Offer this indicator again?", body: "“\(current.text)” will be offered on new reports again.",
                              action: action, button: "Restore indicator", cancel: cancel, warning: false)
                : ConfirmPage(heading: "Retire this indicator?", body: "“\(current.text)” will no longer be offered on new reports. Reports that used it keep it.",
                              action: action, button: "Retire indicator", cancel: cancel, warning: true)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(IndicatorRoute.retire(.key), table: table) { _, context, identity in
            let id = try Self.id(context)
            guard let current = try await reports.indicatorHistory(id, identity: identity).last else { throw AppError.notFound("indicator") }
            try await reports.changeIndicator(id, text: current.text, dimension: current.dimension, retired: !current.retired, identity: identity, address: context.clientAddress)
            return .seeOther(IndicatorRoute.list.path, flash: current.retired ? "Indicator restored." : "Indicator retired.")
        }
    }

    /// The indicator's id from the path (ids are short: a longer one is no indicator).
    static func id(_ context: CairnRequestContext) throws -> String {
        guard let id = try? context.text(.indicatorId), id.count <= 120 else { throw AppError.notFound("indicator") }
        return id
    }

    func listPage(list: String, dimension: String, text: String, identity: Identity) async throws -> ListPage {
        let catalogue = try await reports.catalogue()
        let usage = try await reports.indicatorUsage(identity: identity)
        return ListPage(
            groups: IndicatorList.allCases.map { l in
                Group(label: l.label, items: catalogue.items(in: l).map {
                    Item(id: $0.id, text: $0.text, dimension: $0.dimension.label, version: $0.version, retired: $0.retired, used: usage[$0.id] ?? 0)
                })
            },
            lists: IndicatorList.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == list) },
            dimensions: IndicatorDimension.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == dimension) },
            text: text)
    }

    func editPage(_ versions: [IndicatorItem], text: String?, dimension: String?) throws -> EditPage {
        guard let current = versions.last else { throw AppError.notFound("indicator") }
        return EditPage(
            id: current.indicatorID, list: IndicatorList(rawValue: current.list)?.label ?? current.list, text: text ?? current.text,
            version: current.version,
            dimensions: IndicatorDimension.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == (dimension ?? current.dimension)) },
            history: versions.reversed().map {
                Item(id: $0.indicatorID, text: $0.text, dimension: IndicatorDimension(rawValue: $0.dimension)?.label ?? $0.dimension,
                     version: $0.version, retired: $0.retired, used: 0)
            })
    }
}
