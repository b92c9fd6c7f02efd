import CairnAPI
import CairnCore
import Foundation

/// Training's totals over the API: the same `TrainingService.totals` as `/training`. The shape
/// `{"items": [{"sector": …, "people": …}]}` for `by=sector` is a contract scripts outside the
/// project rely on.
extension APIHandler {
    func getTrainingTotals(_ input: Operations.GetTrainingTotals.Input) async throws -> Operations.GetTrainingTotals.Output {
        let (identity, _) = try APIRequest.authorize(.getTrainingTotals)
        let q = input.query
        func day(_ text: String?, _ name: String) throws -> CalendarDate? {
            guard let text, !text.isEmpty else { return nil }
            guard let day = try? CalendarDate(parsing: text) else {
                throw AppError.badRequest("Query parameter '\(name)' must be a day as YYYY-MM-DD.")
            }
            return day
        }
        guard let by = TrainingService.Breakdown(rawValue: q.by.rawValue) else {
            throw AppError.badRequest("Query parameter 'by' must be sector, area, course or month.")
        }
        let totals = try await services.training.totals(from: try day(q.from, "from"), to: try day(q.to, "to"), by: by, identity: identity)
        let items: [Components.Schemas.TrainingTotalsItem] = totals.rows.map { row in
            switch by {
            case .sector: .init(sector: row.key, people: row.people)
            case .area: .init(area: row.key, people: row.people)
            case .course: .init(course: row.key, title: row.label, people: row.people)
            case .month: .init(month: row.key, people: row.people)
            }
        }
        return .ok(.init(body: .json(.init(items: items, total: totals.total))))
    }
}
