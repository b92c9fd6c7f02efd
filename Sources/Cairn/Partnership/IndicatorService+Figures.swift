import CairnCore
import Foundation
import SQLKit

/// Computed figures for months that have ended, kept in `indicator_figures` (shared by every
/// instance) for `figureLifetime`, so an indicator's twelve months, or a board report, cost one
/// month's query rather than a year's over a large partnership's records. The current month
/// is always computed from the records, so a report received now counts at once.
extension IndicatorService {
    /// How long a figure for an ended month is kept before it is computed again: a late change
    /// to older records (a report answered or closed, a referral answered, an NRM decision or
    /// review entered for a past month) shows in that month within this time.
    static let figureLifetime: TimeInterval = 10 * 60

    /// What is kept of a figure (its month is the bucket's).
    private struct Kept: Codable {
        let value: Double?
        let basis: Int
        let numerator: Int?
        let suppressed: Bool
        let breakdown: [String: Int]
    }

    /// The indicator's figure for each bucket of the window: ended buckets from the store when
    /// fresh, the rest computed (`compute`). A store that cannot be read is only slower.
    func figures(_ computed: ComputedIndicator, _ window: MonthWindow, now: Date) async throws -> [IndicatorFigure] {
        let currentStart = MonthWindow([MonthPeriod(CalendarDate(now, in: .london))]).start
        let buckets = window.months.indices.map { "\(window.dayBoundaries[$0])..\(window.dayBoundaries[$0 + 1])" }
        // Buckets run in order, so those that have ended come first.
        let ended = window.months.indices.filter { window.boundaries[$0 + 1] <= currentStart }
        guard !ended.isEmpty else { return try await compute(computed, window, now: now) }
        let kept = try await keptFigures(computed, buckets: ended.map { buckets[$0] }, since: now.addingTimeInterval(-Self.figureLifetime))
        let stored = ended.compactMap { index in kept[buckets[index]].map { Self.figure($0, window.months[index]) } }
        if stored.count == ended.count {
            let open = Array(window.months[ended.count...])
            return stored + (open.isEmpty ? [] : try await compute(computed, MonthWindow(open), now: now))
        }
        let figures = try await compute(computed, window, now: now)
        try await keep(computed, ended.map { (buckets[$0], figures[$0]) }, now: now)
        return figures
    }

    private func keptFigures(_ computed: ComputedIndicator, buckets: [String], since: Date) async throws -> [String: Kept] {
        let rows = try await db.sqlDatabase().raw("""
            SELECT bucket, figure FROM indicator_figures WHERE indicator_key = \(bind: computed.key) \
            AND bucket IN (\(binds: buckets)) AND computed_at >= \(bind: since)
            """).all()
        var kept: [String: Kept] = [:]
        for row in rows {
            guard let figure = try? JSONDecoder().decode(Kept.self, from: Data(try row.decode(column: "figure", as: String.self).utf8)) else { continue }
            kept[try row.decode(column: "bucket", as: String.self)] = figure
        }
        return kept
    }

    /// Stores the figures (replacing older ones for the same buckets, whichever instance wrote
    /// them) and drops figures nobody has read for a day.
    private func keep(_ computed: ComputedIndicator, _ figures: [(bucket: String, figure: IndicatorFigure)], now: Date) async throws {
        guard !figures.isEmpty else { return }
        var insert: SQLQueryString = "INSERT INTO indicator_figures (indicator_key, bucket, figure, computed_at) VALUES "
        for (index, item) in figures.enumerated() {
            let f = item.figure
            let text = String(decoding: try JSONEncoder().encode(Kept(value: f.value, basis: f.basis, numerator: f.numerator,
                                                                      suppressed: f.suppressed, breakdown: f.breakdown)), as: UTF8.self)
            insert += "\(unsafeRaw: index == 0 ? "" : ", ")(\(bind: computed.key), \(bind: item.bucket), \(bind: text), \(bind: now))"
        }
        insert += " ON CONFLICT (indicator_key, bucket) DO UPDATE SET figure = excluded.figure, computed_at = excluded.computed_at"
        let sql = try db.sqlDatabase()
        try await sql.raw(insert).run()
        try await sql.raw("DELETE FROM indicator_figures WHERE computed_at < \(bind: now.addingTimeInterval(-86_400))").run()
    }

    private static func figure(_ kept: Kept, _ period: MonthPeriod) -> IndicatorFigure {
        IndicatorFigure(period: period, value: kept.value, basis: kept.basis, numerator: kept.numerator, suppressed: kept.suppressed,
                        breakdown: kept.breakdown)
    }
}
