import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

extension APIHandler {
    /// The caller's work queue: the same `WorkQueue` as the home page.
    func getMyWork(_ input: Operations.GetMyWork.Input) async throws -> Operations.GetMyWork.Output {
        let (identity, context) = try APIRequest.authorize(.getMyWork)
        let result = try await WorkQueue(services: services).items(for: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(.init(total: result.total, overdue: result.overdue, sections: try result.sections.map { section in
            .init(kind: try APIEnum.map(section.kind.rawValue), heading: section.kind.heading, count: section.count, overdue: section.overdue,
                  items: section.items.map { .init(title: $0.title, detail: $0.detail, href: $0.href, dueAt: $0.due, since: $0.since, overdue: $0.overdue) })
        }))))
    }
}
