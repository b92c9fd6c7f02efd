import CairnCore
import Foundation

/// The indicator pages' view models.
extension PlanIndicatorController {
    struct ListRow: Sendable {
        let key: String
        let name: String
        let href: String
        let kind: String
        let unit: String
        let direction: String
        let baseline: String
        let target: String
        let survivors: Bool
    }

    struct ListPage: Sendable {
        let computed: [ListRow]
        let own: [ListRow]
        let noOwn: Bool
        let canEdit: Bool
        let newHref: String
        let threshold: Int
    }

    struct NewPage: Sendable {
        let name: String
        let definition: String
        let source: String
        let baseline: String
        let target: String
        let units: [Choice]
        let directions: [Choice]
        let frequencies: [Choice]

        init(form: IndicatorService.NewIndicator) {
            name = form.name
            definition = form.definition
            source = form.source
            baseline = form.baseline
            target = form.target
            units = IndicatorUnit.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.unit) }
            directions = IndicatorDirection.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.direction) }
            frequencies = IndicatorFrequency.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.frequency) }
        }
    }

    struct ValueRow: Sendable {
        let period: String
        let value: String
        let basis: String
        let against: String
        let breakdown: String
    }

    struct ActionRow: Sendable {
        let title: String
        let href: String
        let id: String
    }

    struct ShowPage: Sendable {
        let key: String
        let name: String
        let definition: String
        let method: String
        let unit: String
        let direction: String
        let frequency: String
        let source: String
        let computed: Bool
        let survivors: Bool
        let threshold: Int
        let baseline: String
        let target: String
        let finding: String
        let chart: String
        let rows: [ValueRow]
        let noValues: Bool
        let actions: [ActionRow]
        let noActions: Bool
        let canEdit: Bool
        let choices: [Choice]
        let hasChoices: Bool
        let baselineInput: String
        let targetInput: String
        let periodInput: String
        let valueInput: String
        let periodHint: String
        let from: String
        let to: String
        let targetsAction: String
        let valuesAction: String
        let actionsAction: String
        let showAction: String
    }

    func listPage(_ list: [IndicatorService.Indicator], identity: Identity) -> ListPage {
        let rows = list.map { i in
            ListRow(key: i.key, name: i.name, href: PlanIndicatorRoute.show(.value(i.key)).path,
                    kind: i.computed ? "Computed by Cairn" : "Entered \(i.frequency.label.lowercased())", unit: i.unit.label,
                    direction: i.direction.label, baseline: i.baseline.map(i.unit.format) ?? "Not set",
                    target: i.target.map(i.unit.format) ?? "Not set", survivors: i.describesSurvivors)
        }
        let own = Array(rows.filter { !$0.kind.hasPrefix("Computed") })
        return ListPage(computed: rows.filter { $0.kind.hasPrefix("Computed") }, own: own, noOwn: own.isEmpty,
                        canEdit: identity.can(.editPartnership), newHref: PlanIndicatorRoute.new.path, threshold: SmallNumbers.threshold)
    }

    func showPage(_ detail: IndicatorService.Detail, months: [MonthPeriod], identity: Identity, choices: [(id: UUID, title: String)],
                  typed: [String: String], from: String, to: String) -> ShowPage {
        let i = detail.indicator
        let format: @Sendable (Double) -> String = { i.unit.format($0) }
        let chart = LineChart(title: "\(i.name), \(detail.values.first?.label ?? "") to \(detail.values.last?.label ?? "")",
                              points: detail.values.map { LineChart.Point(label: Self.shortLabel($0.period), value: $0.value) },
                              baseline: i.baseline, target: i.target, format: format)
        let rows = detail.values.reversed().map { v in
            ValueRow(period: v.label,
                     value: v.suppressed ? "Hidden (fewer than \(SmallNumbers.threshold) people)" : v.value.map(format) ?? "None to count",
                     basis: v.basis.map { i.computed ? "\($0) record\($0 == 1 ? "" : "s")" : "" } ?? (v.enteredAt.map { "Entered \(Format.dateTime($0))" } ?? ""),
                     against: Self.against(v.value, target: i.target, direction: i.direction, format: format),
                     breakdown: v.breakdown.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        return ShowPage(
            key: i.key, name: i.name, definition: i.definition, method: i.method, unit: i.unit.label, direction: i.direction.label,
            frequency: i.frequency.label, source: i.source, computed: i.computed, survivors: i.describesSurvivors, threshold: SmallNumbers.threshold,
            baseline: i.baseline.map(format) ?? "Not set", target: i.target.map(format) ?? "Not set",
            finding: Self.finding(i, detail.values, format: format), chart: chart.svg, rows: rows, noValues: detail.values.isEmpty,
            actions: detail.actions.map { ActionRow(title: $0.title, href: "/plan/actions/\($0.id.uuidString)", id: $0.id.uuidString) },
            noActions: detail.actions.isEmpty, canEdit: identity.can(.editPartnership),
            choices: choices.map { Choice(value: $0.id.uuidString, label: $0.title, selected: false) }, hasChoices: !choices.isEmpty,
            baselineInput: typed["baseline"] ?? i.baseline.map { Self.plain($0) } ?? "", targetInput: typed["target"] ?? i.target.map { Self.plain($0) } ?? "",
            periodInput: typed["period"] ?? "", valueInput: typed["value"] ?? "", periodHint: "Enter \(IndicatorPeriod.example(i.frequency))",
            from: from.isEmpty ? (months.first?.description ?? "") : from, to: to.isEmpty ? (months.last?.description ?? "") : to,
            targetsAction: PlanIndicatorRoute.targets(.value(i.key)).path, valuesAction: PlanIndicatorRoute.values(.value(i.key)).path,
            actionsAction: PlanIndicatorRoute.actions(.value(i.key)).path, showAction: PlanIndicatorRoute.show(.value(i.key)).path)
    }

    /// The chart's title in words: the latest value against the target.
    static func finding(_ i: IndicatorService.Indicator, _ values: [IndicatorService.Value], format: (Double) -> String) -> String {
        guard let latest = values.last(where: { $0.value != nil }), let value = latest.value else {
            return values.contains(where: \.suppressed) ? "Every figure in this period is hidden to protect small numbers." : "There are no figures for this period yet."
        }
        var sentence = "\(latest.label): \(format(value))"
        if let target = i.target {
            let met = i.direction == .higher ? value >= target : value <= target
            sentence += met ? ", meeting the target of \(format(target))." : ", short of the target of \(format(target))."
        } else {
            sentence += "."
        }
        return sentence
    }

    static func against(_ value: Double?, target: Double?, direction: IndicatorDirection, format: (Double) -> String) -> String {
        guard let value, let target else { return "" }
        let met = direction == .higher ? value >= target : value <= target
        return met ? "Meets target" : "Short of target"
    }

    /// A period's short label for the chart axis ("Dec 26"; quarters and years as they are).
    static func shortLabel(_ period: String) -> String { MonthPeriod(parsing: period)?.shortLabel ?? period }

    /// A number as typed back into a form: no trailing ".0".
    static func plain(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }
}
