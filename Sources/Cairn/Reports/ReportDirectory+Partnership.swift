import CairnCore
import Foundation
import SQLKit

/// What the partnership's indicators read of reports and referrals: monthly counts, never a
/// report. Each figure is one query over the months asked for (`MonthWindow`).
extension ReportDirectory {
    /// Reports received per month, by reporter type.
    func receivedByReporterType(_ window: MonthWindow) async throws -> [MonthPeriod: [String: Int]] {
        let sql = try db.sqlDatabase()
        let rows = try await sql.raw("""
            SELECT \(window.bucket("received_at")) AS m, reporter_type AS t, COUNT(*) AS n FROM reports \
            WHERE received_at >= \(bind: window.start) AND received_at < \(bind: window.end) GROUP BY 1, 2
            """).all()
        var result: [MonthPeriod: [String: Int]] = [:]
        for row in rows {
            guard let month = window.month(try row.decode(column: "m", as: Int.self)) else { continue }
            result[month, default: [:]][try row.decode(column: "t", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return result
    }

    /// Per month of receipt: reports first answered by their deadline, over those answered or
    /// past their deadline.
    func triagedOnTime(_ window: MonthWindow, now: Date) async throws -> [MonthPeriod: Tally] {
        try await tallies(window, numerator: "responded_at IS NOT NULL AND responded_at <= due_at",
                          denominator: "responded_at IS NOT NULL OR due_at < \(bind: now)")
    }

    /// Per month of receipt: reports closed with an outcome within 28 days, over those 28 days
    /// old or already so closed.
    func closedWithOutcomeWithin28Days(_ window: MonthWindow, now: Date) async throws -> [MonthPeriod: Tally] {
        let within: SQLQueryString = database.isSQLite
            ? "closed_at IS NOT NULL AND outcome IS NOT NULL AND closed_at <= received_at + 2419200"
            : "closed_at IS NOT NULL AND outcome IS NOT NULL AND closed_at <= received_at + interval '28 days'"
        return try await tallies(window, numerator: within, denominator: "received_at <= \(bind: now.addingTimeInterval(-28 * 86_400)) OR (\(within))")
    }

    /// Per month of receipt, the median days from receipt to closing of reports closed with an
    /// outcome, and how many there were.
    func medianDaysToOutcome(_ window: MonthWindow) async throws -> [MonthPeriod: (median: Double, count: Int)] {
        let seconds: SQLQueryString = database.isSQLite ? "(closed_at - received_at)" : "CAST(EXTRACT(EPOCH FROM (closed_at - received_at)) AS DOUBLE PRECISION)"
        let sql = try db.sqlDatabase()
        // The middle row (or two) of each month, by window functions both databases have.
        let rows = try await sql.raw("""
            SELECT m, d, c FROM (SELECT m, d, ROW_NUMBER() OVER (PARTITION BY m ORDER BY d) AS rn, COUNT(*) OVER (PARTITION BY m) AS c \
            FROM (SELECT \(window.bucket("received_at")) AS m, \(seconds) AS d FROM reports \
            WHERE received_at >= \(bind: window.start) AND received_at < \(bind: window.end) \
            AND closed_at IS NOT NULL AND outcome IS NOT NULL) AS x) AS y \
            WHERE rn = (c + 1) / 2 OR rn = (c + 2) / 2
            """).all()
        var middles: [MonthPeriod: (sum: Double, rows: Int, count: Int)] = [:]
        for row in rows {
            guard let month = window.month(try row.decode(column: "m", as: Int.self)) else { continue }
            let days = try row.decode(column: "d", as: Double.self) / 86_400
            let count = try row.decode(column: "c", as: Int.self)
            let sofar = middles[month] ?? (0, 0, count)
            middles[month] = (sofar.sum + days, sofar.rows + 1, count)
        }
        return middles.mapValues { ($0.sum / Double(max($0.rows, 1)), $0.count) }
    }

    /// Per month a referral was sent: those accepted (or completed), over those answered.
    func referralsAccepted(_ window: MonthWindow) async throws -> [MonthPeriod: Tally] {
        let accepted = [ReferralStatus.accepted, .completed].map(\.rawValue)
        let answered = accepted + [ReferralStatus.rejected.rawValue]
        let sql = try db.sqlDatabase()
        let rows = try await sql.raw("""
            SELECT \(window.bucket("created_at")) AS m, \
            SUM(CASE WHEN status IN (\(binds: accepted)) THEN 1 ELSE 0 END) AS a, \
            SUM(CASE WHEN status IN (\(binds: answered)) THEN 1 ELSE 0 END) AS b FROM referrals \
            WHERE created_at >= \(bind: window.start) AND created_at < \(bind: window.end) GROUP BY 1
            """).all()
        return try Self.tallies(rows, window)
    }

    private func tallies(_ window: MonthWindow, numerator: SQLQueryString, denominator: SQLQueryString) async throws -> [MonthPeriod: Tally] {
        let sql = try db.sqlDatabase()
        let rows = try await sql.raw("""
            SELECT \(window.bucket("received_at")) AS m, \
            SUM(CASE WHEN \(numerator) THEN 1 ELSE 0 END) AS a, SUM(CASE WHEN \(denominator) THEN 1 ELSE 0 END) AS b FROM reports \
            WHERE received_at >= \(bind: window.start) AND received_at < \(bind: window.end) GROUP BY 1
            """).all()
        return try Self.tallies(rows, window)
    }

    private static func tallies(_ rows: [any SQLRow], _ window: MonthWindow) throws -> [MonthPeriod: Tally] {
        var result: [MonthPeriod: Tally] = [:]
        for row in rows {
            guard let month = window.month(try row.decode(column: "m", as: Int.self)) else { continue }
            result[month] = Tally(numerator: try row.decode(column: "a", as: Int?.self) ?? 0,
                                  denominator: try row.decode(column: "b", as: Int?.self) ?? 0)
        }
        return result
    }
}
