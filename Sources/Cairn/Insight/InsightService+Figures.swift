import CairnCore
import Foundation

/// What a dashboard view asks for and gets back.
extension InsightService {
    struct View: Sendable {
        let period: InsightPeriod
        let filters: InsightFilters
        let reports: [InsightFigure]
        let survivors: [InsightFigure]
        let intelligence: [InsightFigure]
        /// When the report figures were counted (now), and the other sections (up to a few
        /// minutes ago, see `InsightService+Sections`).
        let at: Date
        let survivorsAt: Date
        let intelligenceAt: Date
    }

    /// Keys the API's `by` takes, and the figure each reads.
    enum Breakdown: String, CaseIterable, Sendable {
        case month, type, source, area
    }

    /// Every report and referral figure for the period and filter, for a signed-in reader.
    /// `drill` makes the link from a count to the report list (nil for readers who cannot list
    /// reports).
    func view(_ period: InsightPeriod, _ filters: InsightFilters, identity: Identity, deadlines: ResponseDeadlines,
              drill: (@Sendable ([(String, String)]) -> String)?, now: Date = Date()) async throws -> View {
        guard identity.can(.viewInsight) else { throw AppError.forbidden }
        let figures = try await reportFigures(period, filters, deadlines: deadlines, drill: identity.can(.viewReports) ? drill : nil, now: now)
        let survivors = try await survivorFigures(period, filters, during: period.phrase, now: now)
        let intelligence = try await intelligenceFigures(period, received: figures.receivedByMonth, during: "received \(period.phrase)", now: now)
        return View(period: period, filters: filters, reports: figures.all, survivors: survivors.figures, intelligence: intelligence.figures,
                    at: now, survivorsAt: survivors.at, intelligenceAt: intelligence.at)
    }

    /// One figure by its id (for its CSV), or nil if there is no such figure.
    func figure(_ id: String, _ period: InsightPeriod, _ filters: InsightFilters, identity: Identity, deadlines: ResponseDeadlines,
                now: Date = Date()) async throws -> InsightFigure? {
        guard identity.can(.viewInsight) else { throw AppError.forbidden }
        let figures = try await reportFigures(period, filters, deadlines: deadlines, drill: nil, now: now)
        if let found = figures.all.first(where: { $0.id == id }) { return found }
        if let found = try await survivorFigures(period, filters, during: period.phrase, now: now).figures.first(where: { $0.id == id }) { return found }
        return try await intelligenceFigures(period, received: figures.receivedByMonth, during: "received \(period.phrase)", now: now)
            .figures.first { $0.id == id }
    }

    /// Counts of reports received in the period by month, type, source (who reported) or area,
    /// for the API: keys are the stored values (`2026-11`, `labour`, `member_of_public`, `WM1`).
    /// Nothing is hidden: counts of reports describe no one.
    func reportCounts(_ period: InsightPeriod, _ filters: InsightFilters, by: Breakdown, identity: Identity,
                      now: Date = Date()) async throws -> [(key: String, count: Int)] {
        guard identity.can(.viewInsight) else { throw AppError.forbidden }
        let months = try await tallies(period, filters, now: now)
        switch by {
        case .month:
            return months.map { ($0.month.description, $0.tally["r"]) }
        case .type, .source, .area:
            var total = InsightTally()
            for item in months { total.merge(item.tally) }
            let prefix = by == .type ? "t." : by == .source ? "p." : "a."
            return total.under(prefix).filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }
        }
    }

    private func reportFigures(_ period: InsightPeriod, _ filters: InsightFilters, deadlines: ResponseDeadlines,
                               drill: (@Sendable ([(String, String)]) -> String)?, now: Date) async throws -> InsightReportFigures {
        let months = try await tallies(period, filters, now: now)
        let agencies = Dictionary(try await Agency.query(on: db).all().compactMap { a in a.id.map { ($0, a.name) } }) { a, _ in a }
        let base = filters
        let link: (@Sendable ([(String, String)]) -> String)? = drill.map { make in
            { @Sendable items in
                var all: [(String, String)] = [("district", base.district ?? ""), ("type", base.type?.rawValue ?? ""),
                                               ("agency", base.agencyID?.uuidString ?? ""), ("inbox", "all")]
                for item in items {
                    all.removeAll { $0.0 == item.0 }
                    all.append(item)
                }
                return make(all)
            }
        }
        return InsightReportFigures(period: period, filters: filters, months: months, agencies: agencies, drill: link,
                                    today: CalendarDate(now, in: .london), deadlines: deadlines)
    }
}
