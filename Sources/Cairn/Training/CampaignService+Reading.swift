import CairnCore
import FluentKit
import Foundation

/// Reading campaigns: the list (filtered, sorted, paged) with each one's reach and reports, and
/// one campaign with its reach per channel and the reports that arrived with its code.
extension CampaignService {
    /// The plan's actions a campaign may serve (through `PlanActions`: ids and titles only).
    func actionChoices(identity: Identity) async throws -> [PlanActions.Choice] {
        try require(identity, .viewTraining)
        return try await planActions.choices()
    }

    /// The hub resources the form offers: those not withdrawn, and any `selected` ones
    /// (a resource withdrawn since the campaign named it stays ticked), by title.
    func resourceChoices(identity: Identity, selected: [String] = []) async throws -> [ResourceChoices.Choice] {
        try require(identity, .viewTraining)
        var choices = try await resources.choices()
        let extra = selected.compactMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }.filter { id in !choices.contains { $0.id == id } }
        choices += try await resources.find(Array(extra.prefix(Self.maxMaterials)))
        return choices.sorted { $0.title.localizedCaseInsensitiveCompare($1.title) == .orderedAscending }
    }

    enum Sort: String, CaseIterable, Sendable {
        case start, name, reach, reports

        var label: String {
            switch self {
            case .start: "Latest start first"
            case .name: "Name"
            case .reach: "Largest reach first"
            case .reports: "Most reports first"
            }
        }
    }

    enum Show: String, CaseIterable, Sendable {
        case current, archived, all

        var label: String {
            switch self {
            case .current: "Current campaigns"
            case .archived: "Archived campaigns"
            case .all: "All campaigns"
            }
        }
    }

    struct Query: Sendable {
        var show = Show.current
        var sort = Sort.start
        var page = 1
        var perPage = 25
    }

    /// A campaign with its totals.
    struct Row: Sendable {
        let campaign: Campaign
        let reach: Int
        let reports: Int
    }

    /// One page of campaigns and how many there are in all. Campaigns are few (dozens a year):
    /// the totals are worked out for every one the filter keeps, then sorted and paged.
    func list(_ q: Query, identity: Identity) async throws -> (rows: [Row], total: Int) {
        try require(identity, .viewTraining)
        let rows = try await rows(show: q.show)
        let sorted: [Row] = switch q.sort {
        case .start: rows.sorted { ($0.campaign.startsOn, $0.campaign.name) > ($1.campaign.startsOn, $1.campaign.name) }
        case .name: rows.sorted { $0.campaign.name.localizedCaseInsensitiveCompare($1.campaign.name) == .orderedAscending }
        case .reach: rows.sorted { ($0.reach, $0.campaign.startsOn) > ($1.reach, $1.campaign.startsOn) }
        case .reports: rows.sorted { ($0.reports, $0.campaign.startsOn) > ($1.reports, $1.campaign.startsOn) }
        }
        let range = Pagination.rows(page: q.page, perPage: q.perPage)
        let lower = min(max(range.lowerBound, 0), sorted.count), upper = min(max(range.upperBound, lower), sorted.count)
        return (Array(sorted[lower..<upper]), sorted.count)
    }

    /// Every campaign the filter keeps, with its reach and reports counted.
    func rows(show: Show) async throws -> [Row] {
        var query = Campaign.query(on: db)
        switch show {
        case .current: query = query.filter(\.$archivedAt == nil)
        case .archived: query = query.filter(\.$archivedAt != nil)
        case .all: break
        }
        let campaigns = try await query.all()
        let ids = campaigns.compactMap(\.id)
        var reach: [UUID: Int] = [:]
        for chunk in SQLRows.chunks(ids) {
            for row in try await CampaignReach.query(on: db).filter(\.$campaignID ~~ chunk).all() { reach[row.campaignID, default: 0] += row.reach }
        }
        let counts = try await reports.countsByCampaignCode(campaigns.map(\.code))
        return campaigns.map { c in Row(campaign: c, reach: c.id.flatMap { reach[$0] } ?? 0, reports: counts[c.code] ?? 0) }
    }

    /// One campaign with what its page shows.
    struct Detail: Sendable {
        let campaign: Campaign
        /// In the channels' order.
        let reach: [CampaignReach]
        let reachTotal: Int
        let reports: Int
        /// Reports that arrived with its code, per month of receipt, oldest first.
        let reportsByMonth: [(month: MonthPeriod, count: Int)]
        /// The plan action it serves, if it still exists.
        let planAction: PlanActions.Choice?
        /// The hub resources it used, in its order.
        let resources: [ResourceChoices.Choice]
    }

    func campaign(_ id: UUID, identity: Identity) async throws -> Campaign {
        try require(identity, .viewTraining)
        guard let campaign = try await Campaign.find(id, on: db) else { throw AppError.notFound("campaign") }
        return campaign
    }

    func detail(_ id: UUID, identity: Identity) async throws -> Detail {
        let campaign = try await campaign(id, identity: identity)
        let stored = try await CampaignReach.query(on: db).filter(\.$campaignID == id).all()
        let reach = CampaignChannel.allCases.compactMap { channel in stored.first { $0.channel == channel.rawValue } }
        let byMonth = try await reports.campaignReportsByMonth(campaign.code)
        var action: PlanActions.Choice?
        if let actionID = campaign.planActionID {
            action = try await planActions.choices().first { $0.id == actionID }
        }
        return Detail(campaign: campaign, reach: reach, reachTotal: reach.map(\.reach).reduce(0, +), reports: byMonth.map(\.count).reduce(0, +),
                      reportsByMonth: byMonth, planAction: action, resources: try await resources.find(try await materialIDs(id)))
    }

    /// The input that fills the edit form with a campaign as stored.
    func input(for id: UUID, identity: Identity) async throws -> Input {
        let d = try await detail(id, identity: identity)
        let c = d.campaign
        return Input(name: c.name, audiences: c.audienceList.map(\.rawValue), languages: c.languageList.map(\.rawValue),
                     channels: d.reach.compactMap(\.campaignChannel).map(\.rawValue),
                     reach: Dictionary(d.reach.map { ($0.channel, String($0.reach)) }, uniquingKeysWith: { first, _ in first }),
                     countedAs: Dictionary(d.reach.map { ($0.channel, $0.countedAs) }, uniquingKeysWith: { first, _ in first }),
                     areas: c.areaList.joined(separator: ", "), startsOn: c.startsOn, endsOn: c.endsOn, materials: c.materials,
                     resourceIDs: d.resources.map(\.id.uuidString), planActionID: c.planActionID?.uuidString ?? "")
    }
}
