import CairnCore
import Foundation

/// The coordinator's small panel on the home page: plan actions at risk or off track, and
/// actions past their due date and not done (`PlanService.attention`), each a link.
extension HomeController {
    struct PlanItem: Sendable {
        let title: String
        let href: String
        let status: PlanPages.StatusTag
        let due: String
    }

    struct PlanPanel: Sendable {
        let concerns: [PlanItem]
        let concernText: String
        let concernsHref: String
        let overdue: [PlanItem]
        let overdueText: String
        let overdueHref: String
        let clear: Bool
    }

    static func planPanel(_ a: PlanService.Attention) -> PlanPanel {
        func item(_ action: PlanAction) -> PlanItem {
            PlanItem(title: action.title, href: action.id.map { PlanRoute.action(.value($0)).path } ?? PlanRoute.actions.path,
                     status: PlanPages.StatusTag(action.actionStatus), due: Format.day(action.dueOn))
        }
        func count(_ n: Int, _ what: String) -> String { n == 1 ? "1 action \(what)" : "\(n) actions \(what)" }
        return PlanPanel(concerns: a.concerns.map(item), concernText: count(a.concernCount, "at risk or off track"),
                         concernsHref: PlanRoute.actions.path(query: [("sort", PlanService.Sort.status.rawValue)]),
                         overdue: a.overdue.map(item), overdueText: count(a.overdueCount, "past their due date"),
                         overdueHref: PlanRoute.actions.path(query: [("overdue", "1")]), clear: a.concernCount == 0 && a.overdueCount == 0)
    }
}
