import CairnCore
import Foundation
import SQLKit

/// The kept tallies (`insight_tallies`) and how they are kept true.
///
/// A kept tally stops holding when an older report or referral changes (it is answered,
/// closed, referred, anonymised…): every such write sets the row's `updated_at`. Before each
/// read, the rows changed since the last look (`insight_state`, less `slack`) are found by
/// their `updated_at` index, and the kept tallies of their days and months computed before the
/// change are dropped, for every filter, on whichever instance looks. The next reader counts
/// them again. `slack` covers a write that commits a little after the time it recorded, and
/// clocks a little apart on two instances.
extension InsightService {
    static let slack: TimeInterval = 30
    static let checkedName = "checked"

    func keptTallies(_ filter: String, periods: [String]) async throws -> [String: InsightTally] {
        guard !periods.isEmpty else { return [:] }
        let sql = try db.sqlDatabase()
        var kept: [String: InsightTally] = [:]
        for chunk in SQLRows.chunks(periods) {
            let rows = try await sql.raw("""
                SELECT period, tally FROM insight_tallies WHERE filter_key = \(bind: filter) AND period IN (\(binds: chunk))
                """).all()
            for row in rows {
                let text = try row.decode(column: "tally", as: String.self)
                guard let tally = InsightTally(text: text) else { continue }
                kept[try row.decode(column: "period", as: String.self)] = tally
            }
        }
        return kept
    }

    func keep(_ filter: String, _ tallies: [String: InsightTally], computedAt: Date) async throws {
        guard !tallies.isEmpty else { return }
        let sql = try db.sqlDatabase()
        for chunk in SQLRows.chunks(tallies.keys.sorted(), size: 200) {
            var insert: SQLQueryString = "INSERT INTO insight_tallies (filter_key, period, tally, computed_at) VALUES "
            for (index, period) in chunk.enumerated() {
                let text = (tallies[period] ?? .init()).text
                insert += "\(unsafeRaw: index == 0 ? "" : ", ")(\(bind: filter), \(bind: period), \(bind: text), \(bind: computedAt))"
            }
            insert += " ON CONFLICT (filter_key, period) DO UPDATE SET tally = excluded.tally, computed_at = excluded.computed_at"
            try await sql.raw(insert).run()
        }
    }

    /// Drops kept tallies that a later change to a report or referral no longer matches.
    func forgetChanged(now: Date, today: CalendarDate) async throws {
        let sql = try db.sqlDatabase()
        let checked = try await sql.raw("SELECT at FROM insight_state WHERE name = \(bind: Self.checkedName)").first()
            .map { try $0.decode(column: "at", as: Date.self) }
        guard let checked else {
            // Nothing says since when changes were looked for: keep nothing from before.
            try await sql.raw("DELETE FROM insight_tallies").run()
            try await markChecked(now)
            return
        }
        let changes = try await reports.insightChanges(since: checked.addingTimeInterval(-Self.slack), before: Self.instant(today))
        // For each kept day or month, the latest change to a row it counts.
        var latest: [String: Date] = [:]
        let thisMonth = MonthPeriod(today)
        for change in changes {
            let day = CalendarDate(change.at, in: .london)
            let key = MonthPeriod(day) < thisMonth ? "M\(MonthPeriod(day))" : "D\(day)"
            latest[key] = max(latest[key] ?? .distantPast, change.changed)
            // A custom period keeps the days of a partial month one by one.
            if MonthPeriod(day) < thisMonth { latest["D\(day)"] = max(latest["D\(day)"] ?? .distantPast, change.changed) }
        }
        for (key, changed) in latest {
            try await sql.raw("""
                DELETE FROM insight_tallies WHERE period = \(bind: key) AND computed_at < \(bind: changed.addingTimeInterval(Self.slack))
                """).run()
        }
        if now.timeIntervalSince(checked) >= 1 { try await markChecked(now) }
    }

    private func markChecked(_ now: Date) async throws {
        try await db.sqlDatabase().raw("""
            INSERT INTO insight_state (name, at) VALUES (\(bind: Self.checkedName), \(bind: now)) \
            ON CONFLICT (name) DO UPDATE SET at = excluded.at
            """).run()
    }

    /// Forgets every kept tally (after rows were written around the usual paths, such as a
    /// generated data set appended to a database).
    public func forgetAll() async throws {
        try await db.sqlDatabase().raw("DELETE FROM insight_tallies").run()
    }
}
