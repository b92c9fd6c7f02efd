import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// The partnership plan through its pages, on the demo partnership: goals, actions added from
/// an empty pathway × level cell, updates, the matrix's counts, the list's filters, every bad
/// input refused with a message and nothing changed, who may read and who may change it, and
/// the audit log. (The API is in `PlanAPITests`.)
@Suite struct PlanTests {
    /// What a test reads back: the plan's rows and the audit log's length.
    struct Counts: Equatable {
        let goals: Int
        let actions: Int
        let factors: Int
        let updates: Int
        let audit: Int

        static func read(_ services: AppServices) async throws -> Counts {
            let db = services.database.db
            return Counts(goals: try await PlanGoal.query(on: db).count(), actions: try await PlanAction.query(on: db).count(),
                          factors: try await PlanActionFactor.query(on: db).count(), updates: try await PlanActionUpdate.query(on: db).count(),
                          audit: try await AuditEntry.query(on: db).count())
        }
    }

    static func agency(_ name: String, _ services: AppServices) async throws -> UUID {
        try #require(try await services.accounts.agencies().first { $0.name == name }?.id)
    }

    /// A date as the form's three boxes.
    static func boxes(_ name: String, _ date: CalendarDate) -> [(String, String)] {
        [("\(name)-day", String(date.day)), ("\(name)-month", String(date.month)), ("\(name)-year", String(date.year))]
    }

    static func actionForm(goal: UUID, owner: UUID, title: String = "Bus-station outreach", pathway: String = "fundamentals", level: String = "early",
                           strand: String = "protect", factors: [String] = ["local.survivor_support", "principle.equity"],
                           starts: CalendarDate = CaseSupportService.today(), due: CalendarDate = CaseSupportService.today().adding(days: 90)) -> [(String, String)] {
        [("goalId", goal.uuidString), ("title", title), ("description", "Weekly outreach at the coach station."), ("pathway", pathway), ("level", level),
         ("strand", strand)] + factors.map { ("factors", $0) }
            + [("ownerAgencyId", owner.uuidString), ("lead", "Outreach lead"), ("status", "not_started"),
               ("livedExperience", "Planned with the survivor advisory group.")] + boxes("startsOn", starts) + boxes("dueOn", due)
    }

    @Test func theCoordinatorAddsAnActionInAnEmptyCellAndRecordsAnUpdate() async throws {
        try await withApp { client, built in
            let services = built.services
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let plan = try await browser.get("/plan")
            #expect(plan.status == .ok)
            // The demo leaves fundamentals × intervening early empty: a gap with a link that fills in the cell.
            let add = "/plan/actions/new?pathway=fundamentals&amp;level=early"
            #expect(plan.text.contains("href=\"\(add)\">Add an action here"))
            #expect(plan.text.contains("Gap: no actions"))
            let form = try await browser.get("/plan/actions/new?pathway=fundamentals&level=early")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"id="pathway-fundamentals" name="pathway" value="fundamentals" checked"#))
            #expect(form.text.contains(#"id="level-early" name="level" value="early" checked"#))
            #expect(!form.text.contains(#"value="control" checked"#))

            let goal = try #require(try await services.plan.goals(identity: try await DemoReports.identity("coordinator@demo.invalid", services)).last?.id)
            let owner = try await Self.agency("Safe Harbour Survivor Support", services)
            let before = try await Counts.read(services)
            let created = try await browser.post("/plan/actions", Self.actionForm(goal: goal, owner: owner))
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            #expect(location.hasPrefix("/plan/actions/"))
            let after = try await Counts.read(services)
            #expect(after.actions == before.actions + 1 && after.factors == before.factors + 2)
            let action = try #require(try await PlanAction.query(on: services.database.db).filter(\.$title == "Bus-station outreach").first())
            #expect(action.pathway == "fundamentals" && action.level == "early" && action.strand == "protect" && action.status == "not_started")
            #expect(action.ownerAgencyID == owner && action.lead == "Outreach lead" && action.goalID == goal)
            #expect(action.startsOn == CaseSupportService.today().description && action.dueOn == CaseSupportService.today().adding(days: 90).description)

            // The cell is no longer a gap; the action's page shows its factors in the framework's words.
            let cell = try await browser.get("/plan/actions?pathway=fundamentals&level=early")
            #expect(cell.text.contains("Bus-station outreach") && cell.text.contains("Showing 1 to 1 of 1"))
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(page.text.contains("Equity, social justice, advocacy and human rights"))
            #expect(page.text.contains("Well resourced &amp; integrated infrastructure for survivor support"))
            #expect(page.text.contains("Planned with the survivor advisory group."))
            #expect(page.text.contains("No updates yet."))

            // Updates: newest first, each moving the status.
            #expect(try await browser.post(location + "/updates", [("status", "on_track"), ("note", "First outreach session held.")]).status == .seeOther)
            #expect(try await browser.post(location + "/updates", [("status", "at_risk"), ("note", "Outreach worker off sick.")]).status == .seeOther)
            let updated = try await browser.get(location)
            let first = try #require(updated.text.range(of: "Outreach worker off sick."))
            let second = try #require(updated.text.range(of: "First outreach session held."))
            #expect(first.lowerBound < second.lowerBound, "newest first")
            #expect(updated.text.contains("Chris Coordinator (demo)"))
            #expect(try await PlanAction.find(action.requireID(), on: services.database.db)?.status == "at_risk")
            let matrix = try await browser.get("/plan")
            #expect(!matrix.text.contains("href=\"\(add)\""), "the cell is no longer a gap")
        }
    }

    @Test func goalsAreAddedEditedAndKeptInOrder() async throws {
        try await withApp { client, built in
            let services = built.services
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            #expect(try await browser.get("/plan/goals").status == .ok)
            let before = try await Counts.read(services)
            let missing = try await browser.post("/plan/goals", [("title", "  "), ("description", "Kept")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("Enter the goal") && missing.text.contains("Kept"))
            let long = try await browser.post("/plan/goals", [("title", String(repeating: "g", count: 201))])
            #expect(long.status == .unprocessableContent && long.text.contains("Goal must be 200 characters or fewer (it is 201)"))
            let badOrder = try await browser.post("/plan/goals", [("title", "Valid"), ("position", "99")])
            #expect(badOrder.status == .unprocessableContent && badOrder.text.contains("Order must be a whole number from 1 to 5"))
            #expect(try await Counts.read(services) == before)

            let created = try await browser.post("/plan/goals", [("title", "Every child found in exploitation has an advocate"), ("position", "1")])
            #expect(created.status == .seeOther)
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            var goals = try await services.plan.goals(identity: coordinator)
            #expect(goals.map(\.position) == [1, 2, 3, 4, 5])
            #expect(goals.first?.title == "Every child found in exploitation has an advocate")
            let id = try #require(goals.first?.id)
            #expect(try await browser.get("/plan/goals/\(id)/edit").status == .ok)
            let moved = try await browser.post("/plan/goals/\(id)", [("title", "Every child has an advocate"), ("description", ""), ("position", "3")])
            #expect(moved.status == .seeOther)
            goals = try await services.plan.goals(identity: coordinator)
            #expect(goals.map(\.position) == [1, 2, 3, 4, 5] && goals[2].id == id && goals[2].title == "Every child has an advocate")
            #expect(goals[0].title == "More reports from the hospitality sector")
            let refused = try await browser.post("/plan/goals/\(id)", [("title", ""), ("position", "0")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Enter the goal") && refused.text.contains("Order must be a whole number from 1 to 5"))
            #expect(try await services.plan.goals(identity: coordinator).map(\.title) == goals.map(\.title))
            let page = try await browser.get("/plan/goals")
            #expect(page.text.contains("Every child has an advocate"))
            let entries = try await AuditEntry.query(on: services.database.db).filter(\.$action ~~ ["plan.goal.created", "plan.goal.updated"])
                .filter(\.$recordID == id.uuidString).all()
            #expect(entries.map(\.action).sorted() == ["plan.goal.created", "plan.goal.updated"])
            #expect(entries.allSatisfy { !$0.detail.contains("advocate") }, "the audit log names fields, not their wording")
            #expect(entries.first { $0.action == "plan.goal.updated" }?.detail == "changed: title, position")
        }
    }

    @Test func everyBadActionIsRefusedWithAMessageAndChangesNothing() async throws {
        try await withApp { client, built in
            let services = built.services
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let goal = try #require(try await PlanGoal.query(on: services.database.db).first()?.id)
            let owner = try await Self.agency("Westmere Constabulary", services)
            let today = CaseSupportService.today()
            let good = Self.actionForm(goal: goal, owner: owner)
            func replacing(_ name: String, with value: String?) -> [(String, String)] {
                var fields = good.filter { $0.0 != name }
                if let value { fields.append((name, value)) }
                return fields
            }
            let cases: [([(String, String)], String)] = [
                (Self.actionForm(goal: goal, owner: owner, starts: today, due: today.adding(days: -1)),
                 "The due date must be the same as or after the start date (\(Format.day(today)))"),
                (replacing("pathway", with: "prosperity"), "Choose a prevention pathway from the list"),
                (replacing("pathway", with: nil), "Choose a prevention pathway"),
                (replacing("level", with: "after"), "Choose a prevention level from the list"),
                (replacing("strand", with: "persuade"), "Choose Pursue, Prevent, Protect or Prepare"),
                (replacing("status", with: "finished"), "Choose a status from the list"),
                (Self.actionForm(goal: goal, owner: owner, factors: ["local.partnerships", "local.unicorns"]), "Choose framework factors from the list"),
                (replacing("goalId", with: UUID().uuidString), "Choose a goal from the list"),
                (replacing("goalId", with: "not-an-id"), "Choose a goal from the list"),
                (replacing("goalId", with: ""), "Choose the goal this action works towards"),
                (replacing("ownerAgencyId", with: UUID().uuidString), "Choose an agency from the list"),
                (replacing("title", with: "   "), "Enter the action’s title"),
                (replacing("title", with: String(repeating: "t", count: 201)), "Title must be 200 characters or fewer (it is 201)"),
                (replacing("description", with: String(repeating: "d", count: 2001)), "Description must be 2000 characters or fewer (it is 2001)"),
                (replacing("lead", with: String(repeating: "l", count: 201)), "Lead must be 200 characters or fewer (it is 201)"),
                (replacing("lead", with: ""), "Enter who leads the action (a name or a role)"),
                (replacing("livedExperience", with: String(repeating: "x", count: 2001)),
                 "How people with lived experience shaped it must be 2000 characters or fewer (it is 2001)"),
                (replacing("startsOn-month", with: "13"), "Start date must be a real date"),
                (replacing("dueOn-year", with: ""), "Due date must include a year"),
            ]
            let before = try await Counts.read(services)
            for (fields, message) in cases {
                let response = try await browser.post("/plan/actions", fields)
                #expect(response.status == .unprocessableContent, "\(message)")
                #expect(response.text.contains(message), "\(message) not in the page")
                #expect(response.text.contains("There is a problem"))
            }
            // A malformed form is a 400 naming the field.
            let twice = try await browser.post("/plan/actions", good + [("title", "Again")])
            #expect(twice.status == .badRequest && twice.text.contains("title"))
            #expect(try await Counts.read(services) == before)
            // The same rules on an edit: nothing changes.
            let id = try #require(try await PlanAction.query(on: services.database.db).first()?.id)
            let stored = try #require(try await PlanAction.find(id, on: services.database.db))
            let edit = try await browser.post("/plan/actions/\(id)", Self.actionForm(goal: goal, owner: owner, starts: today, due: today.adding(days: -3)))
            #expect(edit.status == .unprocessableContent && edit.text.contains("The due date must be the same as or after the start date"))
            #expect(try await Counts.read(services) == before)
            #expect(try await PlanAction.find(id, on: services.database.db)?.dueOn == stored.dueOn)
        }
    }

    @Test func aDoneActionTakesNoMoreUpdates() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let done = try #require(try await PlanAction.query(on: db).filter(\.$status == "done").first())
            let id = try done.requireID()
            let page = try await browser.get("/plan/actions/\(id)")
            #expect(page.text.contains("This action is done: it takes no more updates."))
            #expect(!page.text.contains("Record the update"))
            let before = try await Counts.read(services)
            let refused = try await browser.post("/plan/actions/\(id)/updates", [("status", "on_track"), ("note", "Reopening it.")])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("This action is done: it takes no more updates."))
            #expect(try await Counts.read(services) == before)
            #expect(try await PlanAction.find(id, on: db)?.status == "done")

            // An update needs a known status and a note.
            let open = try #require(try await PlanAction.query(on: db).filter(\.$status == "on_track").first()).requireID()
            for (fields, message) in [([("status", "finished"), ("note", "x")], "Choose a status from the list"),
                                      ([("status", "at_risk"), ("note", " ")], "Say what has happened since the last update"),
                                      ([("status", "at_risk"), ("note", String(repeating: "n", count: 2001))], "Update must be 2000 characters or fewer"),
                                      ([("note", "No status")], "Choose where the action stands now")] {
                let response = try await browser.post("/plan/actions/\(open)/updates", fields)
                #expect(response.status == .unprocessableContent, "\(message)")
                #expect(response.text.contains(message), "\(message)")
            }
            #expect(try await Counts.read(services) == before)
            #expect(try await browser.post("/plan/actions/\(UUID())/updates", [("status", "done"), ("note", "x")]).status == .notFound)
        }
    }

    /// Several people (or instances) mark the same action done at once: exactly one update
    /// lands, the rest are told it is done.
    @Test func concurrentUpdatesToDoneLeaveExactlyOne() async throws {
        try await withServices(demo: true) { services, _ in
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let id = try #require(try await PlanAction.query(on: services.database.db).filter(\.$status == "on_track").first()).requireID()
            let before = try await PlanActionUpdate.query(on: services.database.db).filter(\.$actionID == id).count()
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for n in 0..<8 {
                    group.addTask {
                        do {
                            try await services.plan.recordUpdate(id, status: "done", note: "Finished (\(n))", identity: coordinator, address: "test")
                            return true
                        } catch let error as AppError where error.status == .conflict {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await PlanActionUpdate.query(on: services.database.db).filter(\.$actionID == id).count() == before + 1)
        }
    }

    @Test func theMatrixCountsEachCellAndShowsStatusInWords() async throws {
        try await withApp { client, built in
            let services = built.services
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let goal = try await services.plan.createGoal(.init(title: "Matrix goal"), identity: coordinator, address: "test").requireID()
            let owner = try await Self.agency("Westmere Freedom Project", services)
            let today = CaseSupportService.today()
            let places: [(PreventionPathway, PreventionLevel, ActionStatus)] = [
                (.literacy, .before, .onTrack), (.literacy, .before, .atRisk), (.literacy, .before, .onTrack),
                (.control, .treat, .offTrack), (.partnerships, .reexploitation, .done),
            ]
            for (n, place) in places.enumerated() {
                try await services.plan.createAction(
                    .init(goal: goal, title: "Matrix \(n)", pathway: place.0, level: place.1, strand: .prevent, factors: [], owner: owner, lead: "Lead",
                          startsOn: today, dueOn: today.adding(days: 10), status: place.2), identity: coordinator, address: "test")
            }
            let matrix = try await services.plan.matrix(goalID: goal, identity: coordinator)
            #expect(matrix.total == 5 && matrix.gaps.count == 17)
            #expect(matrix.cell(.literacy, .before).counts == [.onTrack: 2, .atRisk: 1])
            #expect(matrix.cell(.control, .treat).counts == [.offTrack: 1])
            #expect(matrix.cell(.partnerships, .reexploitation).counts == [.done: 1])
            // Every goal together: the demo’s 19 (one answering a self-assessment gap) and these 5.
            #expect(try await services.plan.matrix(identity: coordinator).total == 24)

            let browser = Browser(client)
            try await browser.signIn("viewer@demo.invalid")
            let page = try await browser.get("/plan?goal=\(goal)")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("For the goal “Matrix goal”: 5 actions"))
            #expect(html.contains("17 of the 20 cells have no action: they are gaps."))
            // The literacy × before cell: coloured by its most pressing status, with the same in words and symbols.
            let link = "/plan/actions?pathway=literacy&amp;level=before&amp;goal=\(goal)"
            let anchor = try #require(html.range(of: "href=\"\(link)\">3 actions"))
            let cellStart = try #require(html.range(of: "<td class=\"plan-cell ", options: .backwards, range: html.startIndex..<anchor.lowerBound))
            #expect(html[cellStart.upperBound...].hasPrefix("status-at-risk\""), "the cell is coloured by its most pressing status")
            #expect(html.contains("<span aria-hidden=\"true\">▲</span> 1 At risk") && html.contains("<span aria-hidden=\"true\">●</span> 2 On track"))
            #expect(html.contains("<span aria-hidden=\"true\">✖</span> 1 Off track"))
            // A viewer sees the gaps but is not offered to fill them.
            #expect(html.contains("Gap: no actions") && !html.contains("Add an action"))
            let cell = try await browser.get("/plan/actions?pathway=literacy&level=before&goal=\(goal)")
            #expect(cell.text.contains("Showing 1 to 3 of 3"))
            let unknown = try await browser.get("/plan?goal=\(UUID())")
            #expect(unknown.status == .badRequest && unknown.text.contains("Choose a goal from the list"))
        }
    }

    @Test func theListFiltersSortsAndPagesFromTheURL() async throws {
        try await withApp { client, built in
            let services = built.services
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let goal = try await services.plan.createGoal(.init(title: "List goal"), identity: coordinator, address: "test").requireID()
            let owner = try await Self.agency("Westmere Law Centre", services)
            let today = CaseSupportService.today()
            for n in 0..<30 {
                try await services.plan.createAction(
                    .init(goal: goal, title: String(format: "List %02d", n), pathway: .control, level: .early, strand: n < 10 ? .pursue : .protect,
                          factors: n.isMultiple(of: 3) ? ["design.training"] : [], owner: owner, lead: "Lead", startsOn: today.adding(days: -60),
                          dueOn: today.adding(days: n - 5), status: n < 5 ? .offTrack : .onTrack), identity: coordinator, address: "test")
            }
            let browser = Browser(client)
            try await browser.signIn("trainer@demo.invalid")
            func count(_ query: String) async throws -> String? {
                let page = try await browser.get("/plan/actions?" + query)
                #expect(page.status == .ok, "\(query)")
                return page.text.firstMatch(of: /Showing [0-9]+ to [0-9]+ of ([0-9]+)/).map { String($0.1) }
            }
            #expect(try await count("goal=\(goal)") == "30")
            #expect(try await count("goal=\(goal)&strand=pursue") == "10")
            #expect(try await count("goal=\(goal)&status=off_track") == "5")
            #expect(try await count("goal=\(goal)&factor=design.training") == "10")
            #expect(try await count("agency=\(owner)&pathway=control&level=early") == "30")
            #expect(try await count("goal=\(goal)&overdue=1") == "5", "due 5 to 1 days ago, none done")
            #expect(try await count("goal=\(goal)&strand=pursue&status=on_track&factor=design.training") == "2")
            // Pages of 25, the filter kept on every page link.
            let first = try await browser.get("/plan/actions?goal=\(goal)")
            #expect(first.text.contains("Showing 1 to 25 of 30") && first.text.contains("List 00") && !first.text.contains("List 29"))
            #expect(first.text.contains("href=\"/plan/actions?goal=\(goal)&amp;page=2\""))
            let second = try await browser.get("/plan/actions?goal=\(goal)&page=2")
            #expect(second.text.contains("Showing 26 to 30 of 30") && second.text.contains("List 29"))
            // Sorted by title, then needing attention first.
            let byTitle = try await browser.get("/plan/actions?goal=\(goal)&sort=title")
            #expect(try #require(byTitle.text.range(of: "List 00")).lowerBound < (try #require(byTitle.text.range(of: "List 01")).lowerBound))
            let byStatus = try await browser.get("/plan/actions?goal=\(goal)&sort=status&status=")
            #expect(byStatus.text.contains("selected>Needing attention first"))
            // The empty state, and a filter value that is not a choice.
            let none = try await browser.get("/plan/actions?goal=\(goal)&status=done")
            #expect(none.text.contains("No actions match these filters."))
            for (query, message) in [("status=finished", "Choose a status from the list"), ("pathway=x", "Choose a prevention pathway from the list"),
                                     ("level=x", "Choose a prevention level from the list"), ("strand=x", "Choose Pursue, Prevent, Protect or Prepare"),
                                     ("factor=local.unicorns", "Choose a framework factor from the list"), ("goal=7", "Choose a goal from the list"),
                                     ("agency=7", "Choose an owner agency from the list"), ("sort=random", "Choose an order from the list")] {
                let page = try await browser.get("/plan/actions?" + query)
                #expect(page.status == .badRequest, "\(query)")
                #expect(page.text.contains(message), "\(query)")
            }
        }
    }

    @Test func aViewerReadsThePlanButCannotChangeIt() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let action = try #require(try await PlanAction.query(on: db).filter(\.$status == "on_track").first())
            let id = try action.requireID()
            let goal = action.goalID
            let browser = Browser(client)
            try await browser.signIn("viewer@demo.invalid")
            for path in ["/plan", "/plan/goals", "/plan/actions", "/plan/actions/\(id)"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("Add an action") && !page.text.contains("Record the update") && !page.text.contains("Edit"), "\(path)")
            }
            let before = try await Counts.read(services)
            for path in ["/plan/actions/new", "/plan/actions/\(id)/edit", "/plan/goals/\(goal)/edit"] {
                #expect(try await browser.get(path).status == .forbidden, "\(path)")
            }
            #expect(try await browser.post("/plan/actions", Self.actionForm(goal: goal, owner: action.ownerAgencyID)).status == .forbidden)
            #expect(try await browser.post("/plan/actions/\(id)", Self.actionForm(goal: goal, owner: action.ownerAgencyID)).status == .forbidden)
            #expect(try await browser.post("/plan/actions/\(id)/updates", [("status", "done"), ("note", "x")]).status == .forbidden)
            #expect(try await browser.post("/plan/goals", [("title", "Viewer goal")]).status == .forbidden)
            #expect(try await browser.post("/plan/goals/\(goal)", [("title", "Viewer goal")]).status == .forbidden)
            // The service refuses on its own too, whatever calls it.
            let viewer = try await DemoReports.identity("viewer@demo.invalid", services)
            await #expect(throws: AppError.self) {
                try await services.plan.recordUpdate(id, status: "done", note: "x", identity: viewer, address: "test")
            }
            await #expect(throws: AppError.self) {
                try await services.plan.createGoal(.init(title: "Viewer goal"), identity: viewer, address: "test")
            }
            #expect(try await Counts.read(services) == before)
            // The nav has the plan for everyone signed in.
            #expect(try await browser.get("/").text.contains("<a href=\"/plan\">Plan</a>"))
        }
    }

    @Test func anEditChangesTheActionAndItsFactorsButNotItsStatus() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            // An action the edit moves to another pathway and level (the query names one, as
            // the database may return rows in any order).
            let action = try #require(try await PlanAction.query(on: db).filter(\.$status == "at_risk").filter(\.$pathway != "control")
                .filter(\.$level != "treat").sort(\.$title).first())
            let id = try action.requireID()
            let browser = Browser(client)
            try await browser.signIn("admin@demo.invalid")
            let form = try await browser.get("/plan/actions/\(id)/edit")
            #expect(form.status == .ok && form.text.contains(action.title) && !form.text.contains("id=\"status\""))
            let owner = try await Self.agency("Westmere Fire and Rescue Service", services)
            let fields = Self.actionForm(goal: action.goalID, owner: owner, title: "Renamed action", pathway: "control", level: "treat",
                                         factors: ["delivery.peer_led"]).map { $0.0 == "status" ? ("status", "done") : $0 }
            let saved = try await browser.post("/plan/actions/\(id)", fields)
            #expect(saved.status == .seeOther && saved.location == "/plan/actions/\(id)")
            let after = try #require(try await PlanAction.find(id, on: db))
            #expect(after.title == "Renamed action" && after.pathway == "control" && after.level == "treat" && after.ownerAgencyID == owner)
            #expect(after.status == "at_risk", "status moves only by updates")
            #expect(try await PlanService.factorKeys(of: id, on: db) == ["delivery.peer_led"])
            let entry = try #require(try await AuditEntry.query(on: db).filter(\.$action == "plan.action.updated").filter(\.$recordID == id.uuidString).first())
            #expect(entry.detail.hasPrefix("changed: title, description, pathway, level"))
            for field in ["owner", "lead", "factors"] { #expect(entry.detail.contains(field)) }
            #expect(!entry.detail.contains("Renamed"))
            #expect(entry.actor == "admin@demo.invalid")
        }
    }

    @Test func everyChangeIsAuditedWithoutItsWording() async throws {
        try await withServices(demo: true) { services, _ in
            let db = services.database.db
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let goal = try await services.plan.createGoal(.init(title: "Secret-ish goal wording", description: "Names nobody"), identity: coordinator,
                                                          address: "192.0.2.7")
            let owner = try await Self.agency("Westmere Law Centre", services)
            let today = CaseSupportService.today()
            let action = try await services.plan.createAction(
                .init(goal: try goal.requireID(), title: "Wording of the action", pathway: .partnerships, level: .treat, strand: .prepare,
                      factors: ["local.partnerships", "design.care"], owner: owner, lead: "Someone's name", startsOn: today, dueOn: today),
                identity: coordinator, address: "192.0.2.7")
            try await services.plan.recordUpdate(try action.requireID(), status: "on_track", note: "A note naming people", identity: coordinator,
                                                 address: "192.0.2.7")
            let entries = try await AuditEntry.query(on: db).filter(\.$address == "192.0.2.7").sort(\.$atMilliseconds).all()
            #expect(entries.map(\.action) == ["plan.goal.created", "plan.action.created", "plan.action.status"])
            #expect(entries.allSatisfy { $0.actor == "coordinator@demo.invalid" })
            #expect(entries[1].recordID == (try action.requireID().uuidString) && entries[1].recordType == "plan_action")
            #expect(entries[1].detail.contains("partnerships × treat") && entries[1].detail.contains("2 factors"))
            #expect(entries[2].detail == "not_started → on_track")
            for entry in entries {
                for wording in ["Secret-ish", "Names nobody", "Wording of the action", "Someone", "naming people"] {
                    #expect(!entry.detail.contains(wording))
                }
            }
            #expect(try await services.audit.verify().isIntact)
        }
    }

    @Test func theCoordinatorsHomePageShowsActionsNeedingAttention() async throws {
        try await withApp { client, _ in
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let home = try await coordinator.get("/")
            #expect(home.text.contains("Plan actions needing attention"))
            #expect(home.text.contains("5 actions at risk or off track") && home.text.contains("3 actions past their due date"))
            #expect(home.text.contains("Move-on accommodation before support ends"))
            #expect(home.text.contains("href=\"/plan/actions?overdue=1\""))
            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            #expect(!(try await viewer.get("/").text.contains("Plan actions needing attention")))
        }
    }
}
