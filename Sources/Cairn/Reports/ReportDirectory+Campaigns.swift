import CairnCore
import FluentKit
import Foundation
import SQLKit

/// What awareness campaigns read of reports: how many arrived with each campaign's code, in
/// all and per month of receipt. Counts only, never a report.
extension ReportDirectory {
    /// Reports that arrived with each of `codes`, in all (codes with none are left out).
    func countsByCampaignCode(_ codes: [String]) async throws -> [String: Int] {
        guard !codes.isEmpty else { return [:] }
        let sql = try db.sqlDatabase()
        var counts: [String: Int] = [:]
        for chunk in SQLRows.chunks(codes) {
            let rows = try await sql.select().column("campaign_code", as: "c").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("reports").where("campaign_code", .in, chunk).groupBy("campaign_code").all()
            for row in rows { counts[try row.decode(column: "c", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self) }
        }
        return counts
    }

    /// Reports that arrived with `code`, per month of receipt (Europe/London), oldest first.
    func campaignReportsByMonth(_ code: String) async throws -> [(month: MonthPeriod, count: Int)] {
        let received = try await Report.query(on: db).filter(\.$campaignCode == code).field(\.$receivedAt).all().map(\.receivedAt)
        var counts: [MonthPeriod: Int] = [:]
        for at in received { counts[MonthPeriod(CalendarDate(at, in: .london)), default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Per month of `window`: reports received that arrived with any campaign's code.
    func receivedWithCampaignCode(_ window: MonthWindow) async throws -> [MonthPeriod: Int] {
        let sql = try db.sqlDatabase()
        let rows = try await sql.raw("""
            SELECT \(window.bucket("received_at")) AS m, COUNT(*) AS n FROM reports \
            WHERE received_at >= \(bind: window.start) AND received_at < \(bind: window.end) AND campaign_code IS NOT NULL GROUP BY 1
            """).all()
        var result: [MonthPeriod: Int] = [:]
        for row in rows {
            guard let month = window.month(try row.decode(column: "m", as: Int.self)) else { continue }
            result[month, default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return result
    }
}
