import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// The plan's indicators over the API: the same `IndicatorService` as the pages. The keys and
/// the shape `{"key", "name", "unit", "computed", "baseline", "target", "values": [{"period",
/// "value"}]}` are a contract scripts outside the project rely on.
extension APIHandler {
    func listIndicators(_ input: Operations.ListIndicators.Input) async throws -> Operations.ListIndicators.Output {
        let (identity, _) = try APIRequest.authorize(.listIndicators)
        let list = try await services.indicators.list(identity: identity)
        return .ok(.init(body: .json(.init(items: try list.map { i in
            .init(key: i.key, name: i.name, computed: i.computed, unit: try APIEnum.map(i.unit.rawValue), direction: try APIEnum.map(i.direction.rawValue),
                  frequency: try APIEnum.map(i.frequency.rawValue), describesSurvivors: i.describesSurvivors,
                  baseline: Self.nullable(i.baseline), target: Self.nullable(i.target))
        }))))
    }

    func getIndicator(_ input: Operations.GetIndicator.Input) async throws -> Operations.GetIndicator.Output {
        let (identity, _) = try APIRequest.authorize(.getIndicator)
        let months = try IndicatorService.months(from: input.query.from, to: input.query.to, now: Date())
        return .ok(.init(body: .json(try await indicator(input.path.key, months: months, identity: identity))))
    }

    func enterIndicatorValue(_ input: Operations.EnterIndicatorValue.Input) async throws -> Operations.EnterIndicatorValue.Output {
        let (identity, context) = try APIRequest.authorize(.enterIndicatorValue)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the value as JSON.") }
        try await services.indicators.enterValue(key: input.path.key, period: body.period, value: String(body.value), identity: identity,
                                                 address: context.clientAddress)
        return .ok(.init(body: .json(try await indicator(input.path.key, months: IndicatorService.defaultMonths(now: Date()), identity: identity))))
    }

    private func indicator(_ key: String, months: [MonthPeriod], identity: Identity) async throws -> Components.Schemas.Indicator {
        let detail = try await services.indicators.detail(key: key, months: months, identity: identity)
        let i = detail.indicator
        return .init(key: i.key, name: i.name, unit: try APIEnum.map(i.unit.rawValue), computed: i.computed,
                     direction: try APIEnum.map(i.direction.rawValue), frequency: try APIEnum.map(i.frequency.rawValue),
                     definition: i.definition, method: i.method, baseline: Self.nullable(i.baseline), target: Self.nullable(i.target),
                     values: detail.values.map { v in
                         .init(period: v.period, value: Self.nullable(v.value), suppressed: v.suppressed, basis: i.computed ? v.basis : nil,
                               breakdown: v.breakdown.isEmpty ? nil : .init(additionalProperties: v.breakdown))
                     })
    }

    /// A number, or JSON null: the contract writes `null`, not a missing key.
    static func nullable(_ value: Double?) -> OpenAPIValueContainer {
        guard let value else { return nil }
        return OpenAPIValueContainer(floatLiteral: value)
    }
}
