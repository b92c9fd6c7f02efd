import CairnCore
import Foundation
import SQLKit

/// What Intelligence lets the partnership's dashboard read: how reports link, over a period,
/// as counts. Counts of reports and links are not about survivors and are not suppressed.
///
/// A link is counted when its later report was received (the moment the link could first be
/// found), and is cross-agency when its two reports came from different sources: two agencies,
/// or an agency and the public (the same test as the linker's `cross_agency` alert, which is
/// raised per network a report joins; links are counted here instead, so a link found again
/// by a rebuild is not counted twice). No filters apply besides the period.
public struct IntelligenceInsight: Sendable {
    let database: CairnDatabase
    let reports: ReportDirectory

    /// The sizes networks are grouped by: 2, 3–5, 6–10, 11 or more reports.
    public static let sizeBands: [(key: String, label: String, lowest: Int, highest: Int?)] = [
        ("2", "2 reports", 2, 2), ("3-5", "3 to 5 reports", 3, 5), ("6-10", "6 to 10 reports", 6, 10), ("11+", "11 or more reports", 11, nil),
    ]

    public struct SizeBand: Sendable, Hashable {
        public let key: String
        public let label: String
        public let networks: Int
    }

    public struct Month: Sendable, Hashable {
        public let month: MonthPeriod
        /// Reports received in the month (within the period).
        public let received: Int
        /// Of them, those that link to a report received before them.
        public let linkedToEarlier: Int
        /// Links found in the month whose two reports came from different sources.
        public let crossAgencyLinks: Int
        /// `linkedToEarlier / received`; nil for a month with no reports.
        public var linkedShare: Double? { received == 0 ? nil : Double(linkedToEarlier) / Double(received) }
    }

    public struct Figures: Sendable, Hashable {
        public let from: CalendarDate
        public let to: CalendarDate
        /// Networks (as they stand now) holding at least one report received in the period,
        /// by their whole size, smallest band first.
        public let networkSizes: [SizeBand]
        /// One a calendar month, the first and last clipped to the period.
        public let months: [Month]
    }

    /// The intelligence figures for the days `from` to `to` (London). `received`, when given,
    /// is the reports received per month (e.g. from a cache of daily counts) instead of
    /// counting them again.
    public func figures(from: CalendarDate, to: CalendarDate, received: [MonthPeriod: Int]? = nil) async throws -> Figures {
        let period = PeriodBuckets(from: from, to: to)
        guard !period.months.isEmpty else { return Figures(from: from, to: to, networkSizes: [], months: []) }
        let sql = database.sql
        let (start, end) = (period.start, period.end)
        // Reports that link to an earlier one, and cross-agency links, per month of receipt.
        var linked: [MonthPeriod: Int] = [:], cross: [MonthPeriod: Int] = [:]
        for row in try await sql.raw("""
            SELECT \(period.bucket("later_received_at")) AS m, COUNT(DISTINCT later_report_id) AS n, \
            SUM(CASE WHEN cross_agency THEN 1 ELSE 0 END) AS x FROM report_links \
            WHERE later_received_at >= \(bind: start) AND later_received_at < \(bind: end) GROUP BY 1
            """).all() {
            guard let month = period.month(try row.decode(column: "m", as: Int.self)) else { continue }
            linked[month] = try row.decode(column: "n", as: Int.self)
            cross[month] = try row.decode(column: "x", as: Int?.self) ?? 0
        }
        // Networks with a report received in the period: every report of a network is in a link.
        var bands = [Int](repeating: 0, count: Self.sizeBands.count)
        for row in try await sql.raw("""
            SELECT reports AS size, COUNT(*) AS n FROM link_networks WHERE network_id IN (\
            SELECT network_id FROM report_networks WHERE report_id IN (\
            SELECT later_report_id FROM report_links WHERE later_received_at >= \(bind: start) AND later_received_at < \(bind: end) \
            UNION SELECT earlier_report_id FROM report_links WHERE earlier_received_at >= \(bind: start) AND earlier_received_at < \(bind: end))) \
            GROUP BY reports
            """).all() {
            let size = try row.decode(column: "size", as: Int.self)
            guard let band = Self.sizeBands.lastIndex(where: { $0.lowest <= size }) else { continue }
            bands[band] += try row.decode(column: "n", as: Int.self)
        }
        let counts: [MonthPeriod: Int]
        if let received { counts = received } else { counts = try await reports.receivedPerMonth(period) }
        return Figures(
            from: from, to: to,
            networkSizes: Self.sizeBands.enumerated().map { SizeBand(key: $0.element.key, label: $0.element.label, networks: bands[$0.offset]) },
            months: period.months.map { Month(month: $0, received: counts[$0] ?? 0, linkedToEarlier: linked[$0] ?? 0, crossAgencyLinks: cross[$0] ?? 0) })
    }
}
