import CairnCore
import Foundation

/// A new or edited campaign (`campaigns/form`), its dates in GOV.UK boxes (`startsOn-day`…) and
/// each channel's reach in `reach-CHANNEL` and `counted-CHANNEL`. A field left out reads as empty,
/// for the service to refuse with its own message.
struct CampaignForm: DatedForm {
    static let lists: Set<String> = ["audiences", "languages", "channels", "resources"]
    var name: String?
    var audiences: [String]?
    var languages: [String]?
    var channels: [String]?
    var reach: [String: String] = [:]
    var counted: [String: String] = [:]
    var areas: String?
    var startsOn: String?
    var endsOn: String?
    var materials: String?
    var resources: [String]?
    var planActionId: String?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: FormKey.self)
        func text(_ name: String) throws -> String? { try c.decodeIfPresent(String.self, forKey: FormKey(name)) }
        func list(_ name: String) throws -> [String]? { try c.decodeIfPresent([String].self, forKey: FormKey(name)) }
        name = try text("name")
        audiences = try list("audiences")
        languages = try list("languages")
        channels = try list("channels")
        for channel in CampaignChannel.allCases {
            if let value = try text("reach-\(channel.rawValue)") { reach[channel.rawValue] = value }
            if let value = try text("counted-\(channel.rawValue)") { counted[channel.rawValue] = value }
        }
        areas = try text("areas")
        startsOn = try text("startsOn")
        endsOn = try text("endsOn")
        materials = try text("materials")
        resources = try list("resources")
        planActionId = try text("planActionId")
    }

    var dateFields: [DateFormField<Self>] {
        [DateFormField("startsOn", \.startsOn, DateInput.Rules(label: "Start date")),
         DateFormField("endsOn", \.endsOn, DateInput.Rules(label: "End date"))]
    }

    var input: CampaignService.Input {
        CampaignService.Input(name: name ?? "", audiences: audiences ?? [], languages: languages ?? [], channels: channels ?? [], reach: reach,
                              countedAs: counted, areas: areas ?? "", startsOn: startsOn ?? "", endsOn: endsOn ?? "", materials: materials ?? "",
                              resourceIDs: resources ?? [], planActionID: planActionId ?? "")
    }
}
