import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// A campaign's materials from the resource hub: offered on the form with their titles and
/// languages, stored as resource ids (with free-text lines for materials not in the hub),
/// linked from the campaign page to the hub; an unknown or withdrawn resource refused with
/// 422 and nothing saved; the demo campaigns linked to the demo hub's resources.
@Suite struct CampaignMaterialTests {
    static func hub(_ services: AppServices, _ title: String) async throws -> UUID {
        let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
        return try #require(try await services.campaigns.resourceChoices(identity: trainer).first { $0.title == title }?.id)
    }

    @Test func theFormOffersHubResourcesAndThePageLinksThem() async throws {
        try await withApp { client, built in
            let services = built.services, db = services.database.db
            let rights = try await Self.hub(services, DemoResources.rights)
            let poster = try await Self.hub(services, "Spot the signs of modern slavery")
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            let form = try await browser.get("/campaigns/new")
            #expect(form.text.contains("Materials from the resource hub"))
            #expect(form.text.contains("value=\"\(rights.uuidString)\"") && form.text.contains("Know your rights at work (English, Polish, Romanian, Albanian, Bulgarian)"))
            // A withdrawn resource is not offered.
            #expect(!form.text.contains("Helpline poster (2024 edition)"))
            let created = try await browser.post("/campaigns", CampaignTests.form() + [("resources", poster.uuidString), ("resources", rights.uuidString)])
            #expect(created.status == .seeOther)
            let id = try CampaignTests.id(from: created.location)
            let links = try await CampaignMaterial.query(on: db).filter(\.$campaignID == id).sort(\.$position).all()
            #expect(links.map(\.resourceID) == [poster, rights])
            let page = try await browser.get("/campaigns/\(id.uuidString)")
            #expect(page.text.contains("<a href=\"/hub/\(rights.uuidString)\">Know your rights at work</a>"))
            #expect(page.text.contains("<a href=\"/hub/\(poster.uuidString)\">Spot the signs of modern slavery</a>"))
            #expect(page.text.contains("Nail bar leaflet (Vietnamese)"))
            // The edit form has them ticked; untick one.
            let edit = try await browser.get("/campaigns/\(id.uuidString)/edit")
            #expect(edit.text.contains("value=\"\(rights.uuidString)\" checked"))
            let saved = try await browser.post("/campaigns/\(id.uuidString)", CampaignTests.form() + [("resources", rights.uuidString)])
            #expect(saved.status == .seeOther)
            #expect(try await CampaignMaterial.query(on: db).filter(\.$campaignID == id).all().map(\.resourceID) == [rights])
            let entry = try #require(try await AuditEntry.query(on: db).filter(\.$action == "campaign.updated").filter(\.$recordID == id.uuidString).first())
            #expect(entry.detail.contains("hubResources"))
            // Deleting the campaign takes its links.
            #expect(try await browser.post("/campaigns/\(id.uuidString)/delete", []).status == .seeOther)
            #expect(try await CampaignMaterial.query(on: db).filter(\.$campaignID == id).count() == 0)
        }
    }

    @Test func unknownOrWithdrawnResourcesAre422AndNothingIsSaved() async throws {
        try await withApp { client, built in
            let services = built.services, db = services.database.db
            let rights = try await Self.hub(services, DemoResources.rights)
            let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
            let withdrawn = try #require(try await ResourceRecord.query(on: db).filter(\.$withdrawnAt != nil).first()?.requireID())
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            let campaigns = try await Campaign.query(on: db).count(), links = try await CampaignMaterial.query(on: db).count()
            for (value, message) in [(UUID().uuidString, "does not exist"), ("not-an-id", "Choose hub resources from the list"),
                                     (withdrawn.uuidString, "has been withdrawn")] {
                let refused = try await browser.post("/campaigns", CampaignTests.form() + [("resources", rights.uuidString), ("resources", value)])
                #expect(refused.status == .unprocessableContent, "\(value)")
                #expect(refused.text.contains(message), "\(value)")
                #expect(refused.text.contains("href=\"#resources\""), "\(value)")
            }
            #expect(try await Campaign.query(on: db).count() == campaigns)
            #expect(try await CampaignMaterial.query(on: db).count() == links)
            // An edit naming an unknown resource changes nothing either.
            let id = try #require(try await Campaign.query(on: db).filter(\.$code == DemoCampaigns.hotelCode).first()?.requireID())
            let before = try await services.campaigns.materialIDs(id)
            var input = try await services.campaigns.input(for: id, identity: trainer)
            input.resourceIDs.append(UUID().uuidString)
            input.name = "Renamed"
            await #expect(throws: AppError.self) { try await services.campaigns.update(id, input, identity: trainer, address: "test") }
            #expect(try await services.campaigns.materialIDs(id) == before)
            #expect(try await Campaign.find(id, on: db)?.name == "Spot the signs: hotel staff")
            // A resource withdrawn after the campaign named it stays valid on the campaign.
            try await services.resources.withdraw(rights, identity: trainer, address: "test")
            let rightsCampaign = try #require(try await Campaign.query(on: db).filter(\.$code == DemoCampaigns.rightsCode).first()?.requireID())
            let kept = try await services.campaigns.input(for: rightsCampaign, identity: trainer)
            #expect(kept.resourceIDs.contains(rights.uuidString))
            try await services.campaigns.update(rightsCampaign, kept, identity: trainer, address: "test")
            let page = try await browser.get("/campaigns/\(rightsCampaign.uuidString)")
            #expect(page.text.contains("withdrawn from the hub"))
        }
    }

    @Test func theDemoCampaignsLinkTheirHubResources() async throws {
        try await withApp { _, built in
            let services = built.services, db = services.database.db
            for (code, titles) in DemoCampaigns.hubMaterials {
                let id = try #require(try await Campaign.query(on: db).filter(\.$code == code).first()?.requireID())
                let detail = try await services.campaigns.detail(id, identity: try await DemoReports.identity("viewer@demo.invalid", services))
                #expect(detail.resources.map(\.title) == titles, "\(code)")
            }
        }
    }
}
