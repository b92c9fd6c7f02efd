import CairnCore
import Foundation

/// The demo partnership's indicators: baselines and targets for the computed ones (whose
/// histories come from the demo's reports and cases), and two of its own with twelve months of
/// entered values, all through `IndicatorService` as a coordinator would.
enum DemoIndicators {
    static func load(into services: AppServices, now: Date) async throws {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let indicators = services.indicators
        let address = "demo"
        for (key, baseline, target) in [
            (ComputedIndicator.reportsReceived, "2", "4"),
            (.reportsTriagedOnTime, "60", "90"),
            (.reportsWithOutcome, "40", "75"),
            (.reportsMedianDaysToOutcome, "35", "21"),
            (.referralsAcceptedRate, "70", "90"),
            (.casesMSCOSImproved, "50", "70"),
        ] {
            try await indicators.setTargets(key: key.key, baseline: baseline, target: target, identity: coordinator, address: address, now: now)
        }
        let charter = try await indicators.create(
            .init(name: "Hotels signed up to the Westmere hotel charter", definition: "Hotels and guest houses in the county that have signed the partnership's charter (staff trained, reporting route on the staff noticeboard).",
                  unit: "count", direction: "higher", frequency: "month", source: "Hotel network register (secretariat)", baseline: "6", target: "30"),
            identity: coordinator, address: address, now: now)
        let outreach = try await indicators.create(
            .init(name: "Workers reached by outreach in their language", definition: "People spoken to at car washes, farms and nail bars by outreach teams, in a language they read.",
                  unit: "count", direction: "higher", frequency: "quarter", source: "Outreach team returns", baseline: "80", target: "250"),
            identity: coordinator, address: address, now: now)
        let current = MonthPeriod(CalendarDate(now, in: .london))
        for back in (1...12).reversed() {
            let month = current.adding(months: -back)
            try await indicators.enterValue(key: charter, period: month.description, value: String(6 + (12 - back) * 2), identity: coordinator, address: address, now: now)
        }
        try await logicModel(indicators, coordinator: coordinator, charter: charter, now: now)
        for back in [12, 9, 6, 3] {
            let month = current.adding(months: -back)
            let quarter = "\(month.year)-Q\((month.month - 1) / 3 + 1)"
            try await indicators.enterValue(key: outreach, period: quarter, value: String(90 + (12 - back) * 15), identity: coordinator, address: address, now: now)
        }
    }

    /// The first goal's logic model (the hotel sector), measured by the demo's indicators, and the
    /// plan's hotel actions linked to the indicators they move.
    static func logicModel(_ indicators: IndicatorService, coordinator: Identity, charter: String, now: Date) async throws {
        guard let goal = try await indicators.goalTitles().first else { return }
        let steps: [(LogicStage, String, String?)] = [
            (.activity, "Awareness sessions and spot-the-signs cards for hotel staff", nil),
            (.output, "Hotels signed up to the charter, staff trained", charter),
            (.shortOutcome, "Hotel staff know the signs and how to report", nil),
            (.mediumOutcome, "More reports from the hospitality sector", ComputedIndicator.reportsBySector.key),
            (.longOutcome, "Fewer people exploited in the county's hotels", nil),
        ]
        for (stage, text, _) in steps {
            try await indicators.addStep(goal: goal.id.uuidString, stage: stage.rawValue, text: text, identity: coordinator, address: "demo", now: now)
        }
        let model = try await indicators.logicModel(identity: coordinator)
        for step in model.first?.steps ?? [] {
            guard let key = steps.first(where: { $0.1 == step.text })?.2 else { continue }
            try await indicators.measure(step: step.id.uuidString, key: key, identity: coordinator, address: "demo", now: now)
        }
        for action in try await indicators.actionChoices() where action.title.hasPrefix("Hotel") || action.title.hasPrefix("Spot-the-signs") {
            try await indicators.link(key: ComputedIndicator.reportsBySector.key, actionID: action.id, measured: true, identity: coordinator, address: "demo")
        }
    }
}
