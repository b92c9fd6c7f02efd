import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// A self-assessment's low-rated factor turned into an action on the plan, and the
/// self-assessment and the shares without an agreement shown where the partnership plans and
/// reports: on the plan's page and in the board report. SQLite and PostgreSQL.
@Suite struct AssessmentGapTests {
    /// The demo's latest closed round, and a gap in it that no action answers yet.
    static func openGap(_ services: AppServices) async throws -> (round: AssessmentRound, factor: FrameworkFactor) {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let round = try #require(try await services.assessments.rounds(identity: coordinator).map(\.round).first(where: \.isClosed))
        let results = try await services.assessments.results(try round.requireID(), identity: coordinator)
        let gap = try #require(results.map.gaps.first { results.answeredBy[$0.factor.key] == nil })
        return (round, gap.factor)
    }

    /// The heat map row of a factor.
    static func row(_ html: String, _ key: String) -> String? { SelfAssessmentTests.row(html, key) }

    @Test func aGapBecomesAnActionInOneFormAndTheRoundShowsItAnswered() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let (round, factor) = try await Self.openGap(services)
            let roundID = try round.requireID()
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")

            // The heat map offers the gap to the plan, with the factor, a title and the round.
            let heat = try await browser.get("/partnership/assessments/\(roundID)")
            let gapRow = try #require(Self.row(heat.text, factor.key))
            #expect(gapRow.contains("/plan/actions/new?factor=\(factor.key)&amp;title=") && gapRow.contains("assessment=\(roundID)"))
            // The demo answered survivor care already: its row names the action instead.
            let care = try #require(Self.row(heat.text, "design.care"))
            #expect(care.contains("Care standards review with every support provider") && !care.contains("/plan/actions/new"))

            let title = "Improve \(factor.name)"
            let query = "factor=\(factor.key)&title=\(title.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&assessment=\(roundID)"
            let form = try await browser.get("/plan/actions/new?\(query)")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"name="factors" type="checkbox" value="\#(factor.key)" checked"#))
            #expect(form.text.contains(#"name="title" value="\#(title)""#))
            #expect(form.text.contains(#"<input type="hidden" name="assessmentRoundId" value="\#(roundID)">"#))
            #expect(form.text.contains("answers a gap found in the self-assessment") && form.text.contains(">\(round.name)</a>"))

            // Submitted: the action records the round it answers, and the audit log says so.
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let goal = try #require(try await services.plan.goals(identity: coordinator).first?.id)
            let owner = try await PlanTests.agency("Safe Harbour Survivor Support", services)
            var fields = PlanTests.actionForm(goal: goal, owner: owner, title: title, factors: [factor.key])
            let before = try await PlanTests.Counts.read(services)
            // A round that does not exist is refused, naming the field, and nothing is stored.
            let missing = try await browser.post("/plan/actions", fields + [("assessmentRoundId", UUID().uuidString)])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("The self-assessment round this action was to answer no longer exists"))
            #expect(try await PlanTests.Counts.read(services).actions == before.actions)
            fields.append(("assessmentRoundId", roundID.uuidString))
            let created = try await browser.post("/plan/actions", fields)
            #expect(created.status == .seeOther)
            let action = try #require(try await PlanAction.query(on: db).filter(\.$title == title).first())
            let actionID = try action.requireID()
            #expect(action.assessmentRoundID == roundID)
            #expect(try await PlanService.factorKeys(of: actionID, on: db) == [factor.key])
            let entry = try #require(try await AuditEntry.query(on: db).filter(\.$recordID == actionID.uuidString).first())
            #expect(entry.action == "plan.action.created" && entry.detail.contains("answers self-assessment round \(roundID)"))

            // The action says which round it answers; the heat map now names it for that factor.
            let page = try await browser.get("/plan/actions/\(actionID)")
            #expect(page.text.contains("Answers a gap in") && page.text.contains("/partnership/assessments/\(roundID)"))
            let after = try await browser.get("/partnership/assessments/\(roundID)")
            let answered = try #require(Self.row(after.text, factor.key))
            #expect(answered.contains("/plan/actions/\(actionID)") && answered.contains(title) && !answered.contains("/plan/actions/new"))
            // Editing the action keeps the round (an edit cannot move it to another).
            #expect(try await browser.post("/plan/actions/\(actionID)", fields.filter { $0.0 != "assessmentRoundId" } + [("assessmentRoundId", UUID().uuidString)]).status == .seeOther)
            #expect(try await PlanAction.find(actionID, on: db)?.assessmentRoundID == roundID)

            // The API records and returns the round; an unknown one is a 422 naming the field.
            let token = try await token(for: "coordinator@demo.invalid", built)
            var body: [String: Any] = [
                "goalId": goal.uuidString, "title": "API gap action", "pathway": "literacy", "level": "before", "strand": "prevent",
                "factors": [factor.key], "ownerAgencyId": owner.uuidString, "lead": "Lead", "startsOn": CaseSupportService.today().description,
                "dueOn": CaseSupportService.today().adding(days: 30).description, "assessmentRoundId": UUID().uuidString,
            ]
            let refused = try await api(client, .post, "/api/v1/plan/actions", token: token, json: try SelfAssessmentTests.json(body))
            #expect(refused.status == .unprocessableContent)
            #expect(((try jsonObject(refused)["errors"] as? [[String: String]]) ?? []).contains { $0["field"] == "assessmentRoundId" })
            body["assessmentRoundId"] = roundID.uuidString
            let made = try await api(client, .post, "/api/v1/plan/actions", token: token, json: try SelfAssessmentTests.json(body))
            #expect(made.status == .created)
            #expect(try jsonObject(made)["assessmentRoundId"] as? String == roundID.uuidString)
        }
    }

    @Test func thePlanAndTheBoardReportShowTheSelfAssessmentAndSharesWithoutAnAgreement() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let (round, factor) = try await Self.openGap(services)
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let results = try await services.assessments.results(try round.requireID(), identity: coordinator)
            let gaps = results.map.gaps.count
            let answered = results.map.gaps.filter { results.answeredBy[$0.factor.key] != nil }.count
            #expect(gaps > 1 && answered == 1, "the demo answers one of several gaps")

            // Shares without an agreement in the last twelve months, counted from the table itself.
            let today = CalendarDate(Date(), in: .london)
            let since = "\(MonthPeriod(today).adding(months: -11).description)-01"
            let uncovered = try await UncoveredShare.query(on: db).filter(\.$sharedOn >= since).count()

            let browser = Browser(client)
            try await browser.signIn("viewer@demo.invalid")
            let plan = try await browser.get("/plan")
            #expect(plan.status == .ok)
            #expect(plan.text.contains("The latest self-assessment, \(round.name), found \(gaps) gaps; 1 is answered by an action on the plan."))
            if uncovered == 0 {
                #expect(plan.text.contains("every referral, shared intelligence item and case share was covered"))
            } else {
                #expect(plan.text.contains("In the last twelve months \(uncovered == 1 ? "1 share" : "\(uncovered) shares") went to an agency with no current"))
            }

            // The board report over the last twelve months: the round's medians, its gaps and
            // what answers them, and the shares without an agreement in the period.
            let current = MonthPeriod(today)
            let report = try await browser.get("/plan/report?from=\(current.adding(months: -11).description)&to=\(current.description)")
            #expect(report.status == .ok)
            let text = report.text
            #expect(text.contains("Self-assessment against the public-health framework") && text.contains(">\(round.name)</a>, closed on"))
            #expect(text.contains("\(gaps) principles or factors have a median of 2 or less (a gap)."))
            #expect(text.contains("Care standards review with every support provider"))
            #expect(text.contains(">\(factor.name)</th>"))
            #expect(text.contains("Information sharing without an agreement"))
            #expect(text.contains(uncovered == 1 ? "1 share went" : "\(uncovered) shares went"))

            // A period that ended before any round closed says so.
            let early = try await browser.get("/plan/report?from=2024-01&to=2024-02")
            #expect(early.status == .ok && early.text.contains("No self-assessment round had closed by the end of this period."))
        }
    }
}
