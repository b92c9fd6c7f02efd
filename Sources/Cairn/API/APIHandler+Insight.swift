import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// The insight dashboard's counts over the API: the same `InsightService` as `/insight`. The
/// shape `{"items": [{"key", "count"}], "suppressed"}` is a contract scripts outside the
/// project rely on.
extension APIHandler {
    func insightReportCounts(_ input: Operations.InsightReportCounts.Input) async throws -> Operations.InsightReportCounts.Output {
        let (identity, _) = try APIRequest.authorize(.insightReportCounts)
        let q = input.query
        let today = CalendarDate(Date(), in: .london)
        let period = try InsightPeriod.read(period: "", from: q.from ?? "", to: q.to ?? "", today: today)
        let filters = try InsightFilters.read(area: q.area ?? "", type: q._type?.rawValue ?? "", agency: q.agency ?? "")
        guard let by = InsightService.Breakdown(rawValue: q.by.rawValue) else {
            throw AppError.badRequest("Query parameter 'by' must be month, type, source or area.")
        }
        let counts = try await services.insight.reportCounts(period, filters, by: by, identity: identity)
        return .ok(.init(body: .json(.init(
            from: period.from.description, to: period.to.description, by: try APIEnum.map(by.rawValue),
            items: counts.map { .init(key: $0.key, count: OpenAPIValueContainer(integerLiteral: $0.count)) }, suppressed: 0))))
    }
}
