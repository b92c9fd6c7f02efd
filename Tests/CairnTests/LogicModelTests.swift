import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

@Suite("Logic model")
struct LogicModelTests {
    /// A goal as the plan stores it.
    static func goal(_ title: String, _ services: AppServices) async throws -> UUID {
        let id = UUID()
        try await services.database.db.sqlDatabase().raw("""
            INSERT INTO plan_goals (id, title, description, position, created_at, updated_at) \
            VALUES (\(bind: id), \(bind: title), '', 99, \(bind: Date()), \(bind: Date()))
            """).run()
        return id
    }

    @Test func stepsAreAddedMeasuredAndRemovedAndBadInputChangesNothing() async throws {
        try await withApp { client, built in
            let services = built.services, db = services.database.db
            let goal = try await Self.goal("Test goal: more reports from hotels", services)
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let added = try await coordinator.post("/plan/logic-model/steps", [("goal", goal.uuidString), ("stage", "short_outcome"), ("text", "Hotel staff know the signs")])
            #expect(added.status == .seeOther)
            let steps = try await PlanLogicItem.query(on: db).filter(\.$goalID == goal).all()
            #expect(steps.count == 1 && steps.first?.stage == "short_outcome")
            let stepID = try #require(steps.first?.id)
            let bad: [[(String, String)]] = [
                [("goal", UUID().uuidString), ("stage", "output"), ("text", "x")],
                [("goal", goal.uuidString), ("stage", "impact"), ("text", "x")],
                [("goal", goal.uuidString), ("stage", "output"), ("text", "   ")],
                [("goal", "not-an-id"), ("stage", "output"), ("text", "x")],
            ]
            for fields in bad {
                let response = try await coordinator.post("/plan/logic-model/steps", fields)
                #expect(response.status == .unprocessableContent, "\(fields)")
                #expect(response.text.contains("error-message"))
            }
            #expect(try await PlanLogicItem.query(on: db).filter(\.$goalID == goal).count() == 1)
            #expect(try await coordinator.post("/plan/logic-model/measures", [("step", stepID.uuidString), ("indicator", "reports.received")]).status == .seeOther)
            #expect(try await coordinator.post("/plan/logic-model/measures", [("step", stepID.uuidString), ("indicator", "no.such")]).status == .unprocessableContent)
            let page = try await coordinator.get("/plan/logic-model")
            #expect(page.status == .ok)
            #expect(page.text.contains("Hotel staff know the signs") && page.text.contains("/plan/indicators/reports.received"))

            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            #expect(try await viewer.get("/plan/logic-model").status == .ok)
            #expect(try await viewer.post("/plan/logic-model/steps", [("goal", goal.uuidString), ("stage", "output"), ("text", "y")]).status == .forbidden)

            let confirm = try await coordinator.get("/plan/logic-model/steps/remove?step=\(stepID.uuidString)")
            #expect(confirm.text.contains("Remove this step?"))
            #expect(try await coordinator.post("/plan/logic-model/steps/remove?step=\(stepID.uuidString)").status == .seeOther)
            #expect(try await PlanLogicItem.query(on: db).filter(\.$goalID == goal).count() == 0)
            // The indicator stays, measuring nothing.
            let settings = try await PlanIndicator.query(on: db).filter(\.$key == "reports.received").first()
            #expect(settings != nil && settings?.logicItemID == nil)
            #expect(try await AuditEntry.query(on: db).filter(\.$action ~~ ["plan.logic_step.added", "plan.logic_step.measured", "plan.logic_step.removed"])
                .filter(\.$recordID ~~ [goal.uuidString, "reports.received"]).count() == 3)
        }
    }
}
