import CairnCore
import Foundation
import SQLKit

/// What statistical releases read of reports: how many reports fell in each combination of the
/// release dimensions, per quarter. Counts only, never a report; the statistics service keeps
/// them inside the release computation and publishes only protected cells.
extension ReportDirectory {
    /// Reports received in the period's quarters (Europe/London calendar), grouped by reporter
    /// type, exploitation category and area (a district outside `areas` counts as "other").
    func releaseRecords(_ period: ReleasePeriod, areas: Set<String>) async throws -> [ReleaseRecord] {
        let window = MonthWindow(period.months)
        let query: SQLQueryString = """
            SELECT \(window.bucket("received_at")) AS m, reporter_type, exploitation_types, postcode_district, COUNT(*) AS n \
            FROM reports WHERE received_at >= \(bind: window.start) AND received_at < \(bind: window.end) \
            GROUP BY 1, reporter_type, exploitation_types, postcode_district
            """
        var counts: [ReleaseRecord: Int] = [:]
        for row in try await db.sqlDatabase().raw(query).all() {
            guard let month = window.month(try row.decode(column: "m", as: Int.self)) else { continue }
            let types = Set(try row.decode(column: "exploitation_types", as: String.self).split(separator: ",")
                .compactMap { ExploitationType(rawValue: String($0)) })
            let values: [ReleaseDimension: String] = [
                .reporterType: try row.decode(column: "reporter_type", as: String.self),
                .exploitationType: ExploitationCategory.of(types).rawValue,
                .area: ReleaseRecord.area(try row.decode(column: "postcode_district", as: String?.self), in: areas),
            ]
            let key = ReleaseRecord(quarter: ReleasePeriod(quarterOf: month.firstDay), values: values, count: 0)
            counts[key, default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return counts.map { ReleaseRecord(quarter: $0.key.quarter, values: $0.key.values, count: $0.value) }
            .sorted { ($0.quarter, $0.sortKey) < ($1.quarter, $1.sortKey) }
    }

    /// For each of these reports (the ones cases came from): the exploitation category and
    /// the postcode district, for counting the people referred by what was reported.
    func releaseFacts(_ ids: [UUID]) async throws -> [UUID: (exploitation: ExploitationCategory, district: String?)] {
        var facts: [UUID: (exploitation: ExploitationCategory, district: String?)] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0 ..< min($0 + 500, ids.count)]) }) {
            let rows = try await db.sqlDatabase().raw("SELECT id, exploitation_types, postcode_district FROM reports WHERE id IN (\(binds: chunk))").all()
            for row in rows {
                let types = Set(try row.decode(column: "exploitation_types", as: String.self).split(separator: ",")
                    .compactMap { ExploitationType(rawValue: String($0)) })
                facts[try row.decode(column: "id", as: UUID.self)] = (ExploitationCategory.of(types), try row.decode(column: "postcode_district", as: String?.self))
            }
        }
        return facts
    }
}
