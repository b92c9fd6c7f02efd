import CairnCore
import Foundation
import SQLKit

/// The survivor-support and intelligence sections. They are counted from Cases' and
/// Intelligence's read interfaces over the whole period (a network, a case's stage or an
/// outcome review does not split into days), which takes up to a second over a large
/// partnership, so each section is kept in `insight_tallies` for every instance: shown as kept
/// for `sectionFresh`, then shown as kept while one instance counts it again in the background
/// for up to `sectionStale`, after which a reader waits for a new count. (These figures move
/// slowly: a stage, a decision or a review; a report's own counts are never older than now.)
extension InsightService {
    static let sectionFresh: TimeInterval = 5 * 60
    static let sectionStale: TimeInterval = 15 * 60

    func survivorFigures(_ period: InsightPeriod, _ filters: InsightFilters, during: String, now: Date) async throws -> (figures: [InsightFigure], at: Date) {
        let (from, to) = (period.from, min(period.to, CalendarDate(now, in: .london)))
        let cases = self.cases, k = threshold
        return try await section("S:\(filters.agencyID?.uuidString ?? "")", "\(from)..\(to)", now: now) {
            InsightSectionFigures.survivors(try await cases.survivorSupport(from: from, to: to, agency: filters.agencyID, threshold: k), during: during)
        }
    }

    func intelligenceFigures(_ period: InsightPeriod, received: [MonthPeriod: Int], during: String, now: Date) async throws -> (figures: [InsightFigure], at: Date) {
        let (from, to) = (period.from, min(period.to, CalendarDate(now, in: .london)))
        let intelligence = self.intelligence
        return try await section("I:", "\(from)..\(to)", now: now) {
            InsightSectionFigures.intelligence(try await intelligence.figures(from: from, to: to, received: received), during: during)
        }
    }

    private func section(_ key: String, _ span: String, now: Date,
                         compute: @escaping @Sendable () async throws -> [InsightFigure]) async throws -> (figures: [InsightFigure], at: Date) {
        let sql = try db.sqlDatabase()
        let row = try await sql.raw("""
            SELECT tally, computed_at FROM insight_tallies WHERE filter_key = \(bind: key) AND period = \(bind: span)
            """).first()
        if let row, let at = try? row.decode(column: "computed_at", as: Date.self),
           let figures = try? JSONDecoder().decode([InsightFigure].self, from: Data(try row.decode(column: "tally", as: String.self).utf8)) {
            let age = now.timeIntervalSince(at)
            if age < Self.sectionFresh { return (figures, at) }
            if age < Self.sectionStale {
                let keeper = self
                if await refreshing.claim(key + span) {
                    Task.detached {
                        defer { Task { await keeper.refreshing.release(key + span) } }
                        let started = Date()
                        guard let fresh = try? await compute() else { return }
                        try? await keeper.keepSection(key, span, fresh, at: started)
                    }
                }
                return (figures, at)
            }
        }
        let started = Date()
        let figures = try await compute()
        try await keepSection(key, span, figures, at: started)
        return (figures, started)
    }

    func keepSection(_ key: String, _ span: String, _ figures: [InsightFigure], at: Date) async throws {
        let text = String(decoding: try JSONEncoder().encode(figures), as: UTF8.self)
        try await db.sqlDatabase().raw("""
            INSERT INTO insight_tallies (filter_key, period, tally, computed_at) VALUES (\(bind: key), \(bind: span), \(bind: text), \(bind: at)) \
            ON CONFLICT (filter_key, period) DO UPDATE SET tally = excluded.tally, computed_at = excluded.computed_at
            """).run()
    }
}

/// Which sections this process is counting again in the background, so it counts each once.
actor InsightRefreshes {
    private var running: Set<String> = []

    func claim(_ key: String) -> Bool { running.insert(key).inserted }
    func release(_ key: String) { running.remove(key) }
}
