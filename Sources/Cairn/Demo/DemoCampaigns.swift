import CairnCore
import Foundation

/// Two fictional awareness campaigns with fixed codes, dated from `now`: an employment-rights
/// campaign for workers at risk in car washes and agriculture, in Romanian, Bulgarian, Polish
/// and Albanian; and a hotel-staff campaign. Loaded before the demo reports, three of whose
/// public reports arrive with these codes (`DemoReports`); linked to their plan actions once the
/// plan is loaded (`linkPlan`).
enum DemoCampaigns {
    static let rightsCode = "WRK479"
    static let hotelCode = "HTX36C"

    static func load(into services: AppServices, now: Date) async throws {
        let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
        var rights = CampaignService.Input()
        rights.name = "Know your rights at work"
        rights.audiences = [CampaignAudience.carWashWorkers.rawValue, CampaignAudience.agricultureWorkers.rawValue]
        rights.languages = [CampaignLanguage.ro, .bg, .pl, .sq].map(\.rawValue)
        rights.channels = [CampaignChannel.leaflets, .outreachEvents, .communityGroups].map(\.rawValue)
        rights.reach = [CampaignChannel.leaflets.rawValue: "1200", CampaignChannel.outreachEvents.rawValue: "340", CampaignChannel.communityGroups.rawValue: "85"]
        rights.countedAs = [CampaignChannel.leaflets.rawValue: "leaflets handed out at car washes and farm pick-up points",
                            CampaignChannel.outreachEvents.rawValue: "workers spoken to by the outreach team",
                            CampaignChannel.communityGroups.rawValue: "people at sessions in Romanian and Bulgarian community groups"]
        rights.areas = "WM1, WM4, WM6"
        rights.startsOn = DemoReports.day(DemoReports.ago(now, days: 50))
        rights.endsOn = DemoReports.day(DemoReports.ago(now, days: -40))
        rights.materials = "Payslip explainer card (Romanian)"
        try await services.campaigns.create(rights, identity: trainer, address: "demo", code: rightsCode, now: DemoReports.ago(now, days: 52))

        var hotel = CampaignService.Input()
        hotel.name = "Spot the signs: hotel staff"
        hotel.audiences = [CampaignAudience.hotelStaff.rawValue]
        hotel.languages = [CampaignLanguage.en, .pl, .ro].map(\.rawValue)
        hotel.channels = [CampaignChannel.posters, .socialMedia, .outreachEvents].map(\.rawValue)
        hotel.reach = [CampaignChannel.posters.rawValue: "60", CampaignChannel.socialMedia.rawValue: "4800", CampaignChannel.outreachEvents.rawValue: "120"]
        hotel.countedAs = [CampaignChannel.posters.rawValue: "posters put up in staff rooms",
                           CampaignChannel.socialMedia.rawValue: "impressions of the hotel network's posts",
                           CampaignChannel.outreachEvents.rawValue: "staff briefed at shift changes"]
        hotel.areas = "WM2, WM3"
        hotel.startsOn = DemoReports.day(DemoReports.ago(now, days: 30))
        hotel.endsOn = DemoReports.day(DemoReports.ago(now, days: -60))
        hotel.materials = "Housekeeping trolley card"
        try await services.campaigns.create(hotel, identity: trainer, address: "demo", code: hotelCode, now: DemoReports.ago(now, days: 31))
    }

    /// The hub resources each campaign used, by title, named once the demo hub is loaded.
    static let hubMaterials = [
        (rightsCode, [DemoResources.rights, "How to report a concern"]),
        (hotelCode, ["Hotel staff: spotting exploitation", "Spot the signs of modern slavery"]),
    ]

    /// Names the hub resources each campaign used, once the demo hub exists.
    static func linkResources(into services: AppServices, now: Date) async throws {
        let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
        let choices = try await services.campaigns.resourceChoices(identity: trainer)
        for row in try await services.campaigns.rows(show: .all) {
            guard let id = row.campaign.id, let titles = hubMaterials.first(where: { $0.0 == row.campaign.code })?.1 else { continue }
            var input = try await services.campaigns.input(for: id, identity: trainer)
            input.resourceIDs = titles.compactMap { title in choices.first { $0.title == title }?.id.uuidString }
            try await services.campaigns.update(id, input, identity: trainer, address: "demo", now: DemoReports.ago(now, days: 28))
        }
    }

    /// Names the plan action each campaign serves, once the demo plan exists.
    static func linkPlan(into services: AppServices, now: Date) async throws {
        let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
        let actions = try await services.campaigns.actionChoices(identity: trainer)
        let links = [(rightsCode, "Rights-at-work sessions at the Jobcentre"), (hotelCode, "Hotel staff awareness sessions")]
        for row in try await services.campaigns.rows(show: .all) {
            guard let id = row.campaign.id, let title = links.first(where: { $0.0 == row.campaign.code })?.1,
                  let action = actions.first(where: { $0.title == title }) else { continue }
            var input = try await services.campaigns.input(for: id, identity: trainer)
            input.planActionID = action.id.uuidString
            try await services.campaigns.update(id, input, identity: trainer, address: "demo", now: DemoReports.ago(now, days: 29))
        }
    }
}
