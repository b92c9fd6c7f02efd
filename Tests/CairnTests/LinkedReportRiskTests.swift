import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// Which links to a case's report raise the survivor's risk (issue 15, item 4): only links
/// through their own identifiers; a shared business tells the team and leaves the risk alone.
@Suite struct LinkedReportRiskTests {
    static func report(_ services: AppServices, text: String, business: String = "", phone: String = "") async throws -> Report {
        var input = ReportInput()
        input.description = text
        input.businesses = business
        input.phones = phone
        let report = try await services.reports.submit(input, source: .public, identity: nil, address: "test", idempotencyKey: nil,
                                                       requireFormAnswers: false).report
        await services.reports.settle()
        return report
    }

    static func warnings(_ caseID: UUID, _ services: AppServices) async throws -> [CaseWarning] {
        try await CaseWarning.query(on: services.database.db).filter(\.$caseID == caseID).filter(\.$sign == "new_linked_report").all()
    }

    /// Waits (briefly, on a loaded machine) for the team's alerts about `reference`.
    static func alerts(about reference: String, for identity: Identity, _ services: AppServices) async throws -> [CaseAlert] {
        var found: [CaseAlert] = []
        for _ in 0..<200 where found.isEmpty {
            found = try await services.support.alerts(identity: identity).filter { $0.message.contains(reference) }
            if found.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        return found
    }

    @Test func aSharedBusinessTellsTheTeamWithoutRaisingTheRisk() async throws {
        try await withServices(demo: true) { services, _ in
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let colleague = try await DemoReports.identity("caseworker2@demo.invalid", services)
            let first = try await Self.report(services, text: "He washes cars all day at Bright Star and sleeps in the back.",
                                              business: "Bright Star Hand Car Wash", phone: "07700 900654")
            _ = try await services.reports.refer(first.id!, to: caseworker.agencyID, shared: ["mentions"], request: "Support him",
                                                 identity: try await DemoReports.identity("analyst@demo.invalid", services), address: "test")
            let opened = try await services.cases.open(.init(chosenName: "Car wash", reportReference: first.reference, ageGroup: "adult"),
                                                       identity: caseworker, address: "test")
            try await services.cases.addMember(to: try await services.cases.authorise(opened.id!, identity: caseworker), email: "caseworker2@demo.invalid",
                                               address: "test")
            let riskBefore = try #require(try await SupportCase.find(opened.id, on: services.database.db)).risk

            // Another report naming the same car wash, and nothing of his: the team hears of it,
            // no warning sign is recorded and the risk stays as it was.
            let business = try await Self.report(services, text: "New workers seen at Bright Star, collected by van at night.",
                                                 business: "Bright Star Hand Car Wash")
            let link = try #require(try await IntelligenceTests.link(first, business, services))
            #expect(link.reasons.map(\.kind) == ["business"])
            let told = try await Self.alerts(about: business.reference, for: colleague, services)
            #expect(told.count == 1)
            #expect(told.first?.message.contains("risk is unchanged") == true)
            #expect(try await Self.warnings(opened.id!, services).isEmpty)
            #expect(try await SupportCase.find(opened.id, on: services.database.db)?.risk == riskBefore)
            #expect(try await AuditEntry.query(on: services.database.db).filter(\.$action == "case.linked_report.noted")
                .filter(\.$recordID == opened.id!.uuidString).filter(\.$actor == "system").count() == 1)
            #expect(try await AuditEntry.query(on: services.database.db).filter(\.$action == "case.warning.recorded")
                .filter(\.$recordID == opened.id!.uuidString).count() == 0)

            // His own phone in a new report: a warning sign, and the risk is re-assessed as high.
            let phone = try await Self.report(services, text: "Someone keeps calling this number from the car wash.",
                                              business: "Bright Star Hand Car Wash", phone: "+44 7700 900654")
            var warnings: [CaseWarning] = []
            for _ in 0..<200 where warnings.isEmpty {
                warnings = try await Self.warnings(opened.id!, services)
                if warnings.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(warnings.count == 1 && warnings.first?.note.contains(phone.reference) == true)
            #expect(warnings.first?.note.contains("same phone") == true)
            #expect(try await SupportCase.find(opened.id, on: services.database.db)?.risk == .high)
        }
    }

    @Test func onlyTheSurvivorsOwnIdentifiersRaiseRisk() {
        for kind in ["person", "phone", "address", "email", "username"] {
            #expect(LinkedReportReason(summary: "", kinds: [kind]).raisesRisk, "\(kind)")
            #expect(LinkedReportReason(summary: "", kinds: [kind, "business"]).raisesRisk, "\(kind) and a business")
        }
        for kind in ["business", "vehicle", "url"] {
            #expect(!LinkedReportReason(summary: "", kinds: [kind]).raisesRisk, "\(kind)")
        }
        #expect(!LinkedReportReason(summary: "", kinds: ["business", "vehicle", "url"]).raisesRisk)
    }
}
