import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// The plan's API on the demo partnership: goals, actions (create, list with filters as query
/// parameters, read) and status updates, with problem+json for every refusal and nothing
/// changed, and the same permissions as the pages.
@Suite struct PlanAPITests {
    static func body(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func problem(_ response: TestResponse) throws -> (detail: String, fields: [String]) {
        #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        let json = try jsonObject(response)
        let errors = json["errors"] as? [[String: Any]] ?? []
        return (json["detail"] as? String ?? "", errors.compactMap { $0["field"] as? String })
    }

    @Test func goalsAndActionsAreCreatedListedReadAndUpdated() async throws {
        try await withApp { client, built in
            let services = built.services
            let coordinator = try await token(for: "coordinator@demo.invalid", built)
            let goals = try await api(client, .get, "/api/v1/plan/goals", token: coordinator)
            #expect(goals.status == .ok)
            let goalItems = try #require(try jsonObject(goals)["items"] as? [[String: Any]])
            #expect(goalItems.map { $0["title"] as? String } == DemoPlan.goals.map(\.title))
            #expect(goalItems.map { $0["position"] as? Int } == [1, 2, 3, 4])
            #expect(goalItems[1]["actions"] as? Int == 8 && goalItems[1]["needingAttention"] as? Int == 3)

            let created = try await api(client, .post, "/api/v1/plan/goals", token: coordinator,
                                        json: try Self.body(["title": "Every worker paid what they are owed", "description": "Wage theft", "position": 2]))
            #expect(created.status == .created)
            let goal = try #require(try jsonObject(created)["id"] as? String)
            #expect(try jsonObject(created)["position"] as? Int == 2)

            let owner = try #require(try await services.accounts.agencies().first { $0.name == "Jobcentre Plus Westmere" }?.id).uuidString
            let today = CaseSupportService.today()
            let action: [String: Any] = [
                "goalId": goal, "title": "Payslip checks at the Jobcentre", "pathway": "control", "level": "early", "strand": "protect",
                "factors": ["delivery.empowerment", "local.trust_building", "delivery.empowerment"], "ownerAgencyId": owner, "lead": "Work coach",
                "startsOn": today.description, "dueOn": today.adding(days: 60).description, "livedExperience": "Suggested by a survivor.",
            ]
            let made = try await api(client, .post, "/api/v1/plan/actions", token: coordinator, json: try Self.body(action))
            #expect(made.status == .created)
            let json = try jsonObject(made)
            let id = try #require(json["id"] as? String)
            #expect(json["status"] as? String == "not_started" && json["pathway"] as? String == "control" && json["goalTitle"] as? String == "Every worker paid what they are owed")
            #expect(json["ownerAgencyName"] as? String == "Jobcentre Plus Westmere" && json["overdue"] as? Bool == false)
            let factors = try #require(json["factors"] as? [[String: Any]])
            #expect(factors.map { $0["key"] as? String } == ["local.trust_building", "delivery.empowerment"], "once each, in the framework's order")
            #expect(factors.first?["wording"] as? String == Framework.factor("local.trust_building")?.wording)
            #expect((json["updates"] as? [Any])?.isEmpty == true)

            // Filters are query parameters; the list pages.
            let listed = try await api(client, .get, "/api/v1/plan/actions?goalId=\(goal)&pathway=control&level=early&strand=protect&factor=delivery.empowerment",
                                       token: coordinator)
            #expect(listed.status == .ok)
            let page = try jsonObject(listed)
            #expect(page["total"] as? Int == 1 && (page["items"] as? [[String: Any]])?.first?["id"] as? String == id)
            #expect((page["items"] as? [[String: Any]])?.first?["updates"] == nil, "lists leave updates out")
            let all = try jsonObject(try await api(client, .get, "/api/v1/plan/actions?perPage=5&page=2&sort=title", token: coordinator))
            #expect(all["total"] as? Int == 20 && (all["items"] as? [Any])?.count == 5 && all["page"] as? Int == 2 && all["perPage"] as? Int == 5)
            let attention = try jsonObject(try await api(client, .get, "/api/v1/plan/actions?status=at_risk", token: coordinator))
            #expect(attention["total"] as? Int == 3)
            let overdue = try jsonObject(try await api(client, .get, "/api/v1/plan/actions?overdue=true", token: coordinator))
            #expect(overdue["total"] as? Int == 3 && (overdue["items"] as? [[String: Any]])?.allSatisfy { $0["overdue"] as? Bool == true } == true)
            let byOwner = try jsonObject(try await api(client, .get, "/api/v1/plan/actions?ownerAgencyId=\(owner)", token: coordinator))
            #expect(byOwner["total"] as? Int == 3)

            // Updates, newest first.
            for (status, note) in [("on_track", "First checks done."), ("at_risk", "Room not available in March.")] {
                let update = try await api(client, .post, "/api/v1/plan/actions/\(id)/updates", token: coordinator,
                                           json: try Self.body(["status": status, "note": note]))
                #expect(update.status == .created)
                #expect(try jsonObject(update)["status"] as? String == status)
            }
            let read = try await api(client, .get, "/api/v1/plan/actions/\(id)", token: coordinator)
            #expect(read.status == .ok)
            let updates = try #require(try jsonObject(read)["updates"] as? [[String: Any]])
            #expect(updates.map { $0["note"] as? String } == ["Room not available in March.", "First checks done."])
            #expect(updates.first?["recordedBy"] as? String == "Chris Coordinator (demo)")
        }
    }

    @Test func badInputIsRefusedAsProblemJSONAndChangesNothing() async throws {
        try await withApp { client, built in
            let services = built.services
            let coordinator = try await token(for: "coordinator@demo.invalid", built)
            let goal = try #require(try await PlanGoal.query(on: services.database.db).first()?.id).uuidString
            let owner = try #require(try await services.accounts.agencies().first?.id).uuidString
            let today = CaseSupportService.today()
            let good: [String: Any] = [
                "goalId": goal, "title": "API action", "pathway": "literacy", "level": "treat", "strand": "prevent", "ownerAgencyId": owner,
                "lead": "Lead", "startsOn": today.description, "dueOn": today.adding(days: 7).description,
            ]
            func with(_ key: String, _ value: Any?) -> [String: Any] {
                var body = good
                body[key] = value
                return body
            }
            let before = try await PlanTests.Counts.read(services)
            // 422 with the field named: the service's rules.
            let invalid: [([String: Any], String, String)] = [
                (with("dueOn", today.adding(days: -1).description), "dueOn", "The due date must be the same as or after the start date"),
                (with("startsOn", "2026-02-30"), "startsOn", "The start date must be a real date"),
                (with("goalId", UUID().uuidString), "goalId", "Choose a goal from the list"),
                (with("ownerAgencyId", "someone"), "ownerAgencyId", "Choose an agency from the list"),
                (with("factors", ["local.partnerships", "made.up"]), "factors", "Choose framework factors from the list"),
                (with("title", " "), "title", "Enter the action’s title"),
                (with("title", String(repeating: "t", count: 201)), "title", "must be 200 characters or fewer"),
                (with("livedExperience", String(repeating: "x", count: 2001)), "livedExperience", "must be 2000 characters or fewer"),
            ]
            for (body, field, message) in invalid {
                let response = try await api(client, .post, "/api/v1/plan/actions", token: coordinator, json: try Self.body(body))
                #expect(response.status == .unprocessableContent, "\(field)")
                let problem = try Self.problem(response)
                #expect(problem.fields.contains(field) && problem.detail.contains(message), "\(field): \(problem)")
            }
            // 400: a value outside the spec's enums, a missing field.
            for (body, message) in [(with("pathway", "prosperity"), "pathway"), (with("level", "later"), "level"), (with("strand", "x"), "strand"),
                                    (with("status", "finished"), "status"), (with("lead", nil), "")] {
                let response = try await api(client, .post, "/api/v1/plan/actions", token: coordinator, json: try Self.body(body))
                #expect(response.status == .badRequest, "\(message)")
                let problem = try Self.problem(response)
                if !message.isEmpty { #expect(problem.detail.contains("Field '\(message)' must be one of"), "\(problem)") }
            }
            for query in ["status=finished", "pathway=x", "factor=made.up", "goalId=7", "ownerAgencyId=7", "perPage=500", "page=0", "sort=random"] {
                let response = try await api(client, .get, "/api/v1/plan/actions?\(query)", token: coordinator)
                #expect(response.status == .badRequest, "\(query)")
                _ = try Self.problem(response)
            }
            let noTitle = try await api(client, .post, "/api/v1/plan/goals", token: coordinator, json: try Self.body(["title": ""]))
            #expect(noTitle.status == .unprocessableContent)
            #expect(try Self.problem(noTitle).fields == ["title"])
            #expect(try await PlanTests.Counts.read(services) == before)

            // A done action takes no more updates: 409.
            let done = try #require(try await PlanAction.query(on: services.database.db).filter(\.$status == "done").first()?.id)
            let refused = try await api(client, .post, "/api/v1/plan/actions/\(done)/updates", token: coordinator,
                                        json: try Self.body(["status": "on_track", "note": "Again"]))
            #expect(refused.status == .conflict)
            #expect(try Self.problem(refused).detail.hasPrefix("This action is done"))
            let missing = try await api(client, .post, "/api/v1/plan/actions/\(UUID())/updates", token: coordinator,
                                        json: try Self.body(["status": "on_track", "note": "x"]))
            #expect(missing.status == .notFound)
            #expect(try await api(client, .get, "/api/v1/plan/actions/\(UUID())", token: coordinator).status == .notFound)
            #expect(try await PlanTests.Counts.read(services) == before)
        }
    }

    @Test func viewersReadThroughTheAPIButCannotChange() async throws {
        try await withApp { client, built in
            let services = built.services
            let action = try #require(try await PlanAction.query(on: services.database.db).filter(\.$status == "on_track").first())
            var tokens: [String] = []
            for email in ["viewer@demo.invalid", "caseworker@demo.invalid", "analyst@demo.invalid"] { tokens.append(try await token(for: email, built)) }
            let before = try await PlanTests.Counts.read(services)
            for viewer in tokens {
                #expect(try await api(client, .get, "/api/v1/plan/goals", token: viewer).status == .ok)
                #expect(try await api(client, .get, "/api/v1/plan/actions", token: viewer).status == .ok)
                #expect(try await api(client, .get, "/api/v1/plan/actions/\(try action.requireID())", token: viewer).status == .ok)
                let goal = try await api(client, .post, "/api/v1/plan/goals", token: viewer, json: try Self.body(["title": "Mine"]))
                #expect(goal.status == .forbidden)
                _ = try Self.problem(goal)
                let update = try await api(client, .post, "/api/v1/plan/actions/\(try action.requireID())/updates", token: viewer,
                                           json: try Self.body(["status": "done", "note": "x"]))
                #expect(update.status == .forbidden)
                let create = try await api(client, .post, "/api/v1/plan/actions", token: viewer, json: try Self.body(["title": "Mine"]))
                #expect(create.status == .forbidden)
            }
            #expect(try await api(client, .get, "/api/v1/plan/actions", token: nil).status == .unauthorized)
            #expect(try await PlanTests.Counts.read(services) == before)
        }
    }
}
