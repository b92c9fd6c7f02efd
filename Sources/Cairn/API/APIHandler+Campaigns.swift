import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// Awareness campaigns: the list, through the same `CampaignService` checks as the pages.
extension APIHandler {
    func listCampaigns(_ input: Operations.ListCampaigns.Input) async throws -> Operations.ListCampaigns.Output {
        let (identity, _) = try APIRequest.authorize(.listCampaigns)
        var q = CampaignService.Query()
        q.show = CampaignService.Show(rawValue: input.query.show?.rawValue ?? "current") ?? .current
        q.page = input.query.page ?? 1
        q.perPage = input.query.perPage ?? 50
        guard q.page >= 1, q.page <= 100_000 else { throw AppError.badRequest("Query parameter 'page' must be from 1 to 100000.") }
        guard (1...200).contains(q.perPage) else { throw AppError.badRequest("Query parameter 'perPage' must be from 1 to 200.") }
        let (rows, total) = try await services.campaigns.list(q, identity: identity)
        return .ok(.init(body: .json(.init(
            items: try rows.map { r in
                .init(id: try r.campaign.requireID().uuidString, code: r.campaign.code, name: r.campaign.name, startsOn: r.campaign.startsOn,
                      endsOn: r.campaign.endsOn, archived: r.campaign.archivedAt != nil, reachTotal: r.reach, reports: r.reports)
            },
            total: total, page: q.page, perPage: q.perPage))))
    }
}
