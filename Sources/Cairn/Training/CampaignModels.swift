import CairnCore
import FluentKit
import Foundation

/// An awareness campaign: who it is aimed at, in which languages, where and when, the
/// materials used (titles from the resource hub, as text), the plan action it serves, and its
/// short code (`CampaignCode`), which public reports carry from `/report?c=CODE`.
final class Campaign: Model, @unchecked Sendable {
    static let schema = "campaigns"
    @ID(key: .id) var id: UUID?
    /// Six characters of `CampaignCode.alphabet`, unique, stored in upper case.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    /// Comma-separated `CampaignAudience` raw values, in the list's order.
    @Field(key: "audiences") var audiences: String
    /// Comma-separated `CampaignLanguage` codes, in the list's order.
    @Field(key: "languages") var languages: String
    /// Comma-separated postcode districts; empty for the whole partnership area.
    @Field(key: "areas") var areas: String
    /// `YYYY-MM-DD`.
    @Field(key: "starts_on") var startsOn: String
    /// `YYYY-MM-DD`, on or after `startsOn`.
    @Field(key: "ends_on") var endsOn: String
    /// Titles of the materials used, one a line.
    @Field(key: "materials") var materials: String
    /// The plan action it serves (chosen through `PlanActions`), if any.
    @OptionalField(key: "plan_action_id") var planActionID: UUID?
    /// Set when it is archived: it leaves the current list, and its code still counts reports.
    @OptionalField(key: "archived_at") var archivedAt: Date?
    @Field(key: "created_by_id") var createdByID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var audienceList: [CampaignAudience] { audiences.split(separator: ",").compactMap { CampaignAudience(rawValue: String($0)) } }
    var languageList: [CampaignLanguage] { languages.split(separator: ",").compactMap { CampaignLanguage(rawValue: String($0)) } }
    var areaList: [String] { areas.split(separator: ",").map(String.init) }
    var materialList: [String] { materials.split(separator: "\n").map(String.init) }
}

/// A campaign's reach on one channel: how many, and how that was counted ("leaflets handed out").
final class CampaignReach: Model, @unchecked Sendable {
    static let schema = "campaign_reach"
    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// `CampaignChannel` raw value.
    @Field(key: "channel") var channel: String
    @Field(key: "reach") var reach: Int
    @Field(key: "counted_as") var countedAs: String

    init() {}

    init(campaignID: UUID, channel: CampaignChannel, reach: Int, countedAs: String) {
        self.id = UUID()
        self.campaignID = campaignID
        self.channel = channel.rawValue
        self.reach = reach
        self.countedAs = countedAs
    }

    var campaignChannel: CampaignChannel? { CampaignChannel(rawValue: channel) }
}

/// A hub resource a campaign used (chosen through `ResourceChoices`), in the campaign's order.
final class CampaignMaterial: Model, @unchecked Sendable {
    static let schema = "campaign_materials"
    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "resource_id") var resourceID: UUID
    @Field(key: "position") var position: Int

    init() {}

    init(campaignID: UUID, resourceID: UUID, position: Int) {
        self.id = UUID()
        self.campaignID = campaignID
        self.resourceID = resourceID
        self.position = position
    }
}
