import CairnCore
import Foundation

/// "What changed afterwards": for a sector (and an area), the reports it made each month with
/// the training sessions and campaigns for it marked on the time line, the reports in the
/// months before and after each, and whether practitioners' reports were recorded more
/// completely once their agency's staff had been trained. Honest, not causal: the page says
/// "before / after", never "because of". Small counts follow the partnership's rule
/// (`CAIRN_SMALL_NUMBERS`, `BeforeAfter`). Reads reports through `ReportDirectory` and the
/// events through `AwarenessEvents`; nothing here is personal data.
struct AfterwardsService: Sendable {
    let reports: ReportDirectory
    let events: AwarenessEvents
    let threshold: Int

    /// How many months the time line shows, ending with the current one.
    static let timelineMonths = 24

    /// What the page asks for.
    struct Query: Sendable, Equatable {
        var sector: Sector
        var district: String?
        var months: Int

        static let defaultSector = Sector.hospitality

        /// The sectors whose reports Cairn can tell apart (by reporter type or agency type).
        static let sectors = Sector.allCases.filter(\.hasReports)

        /// Reads `sector`, `area` and `months` (1–12, default 3); a bad value is a field error.
        static func read(sector: String, area: String, months: String) throws -> Query {
            var v = Validator()
            var query = Query(sector: defaultSector, district: nil, months: 3)
            if !sector.isEmpty {
                if let found = Sector(rawValue: sector), sectors.contains(found) { query.sector = found } else { v.add("sector", "Choose a sector from the list.") }
            }
            let area = area.trimmingCharacters(in: .whitespaces).uppercased()
            if !area.isEmpty {
                if area.count <= 4, area.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), area.first?.isLetter == true {
                    query.district = area
                } else {
                    v.add("area", "An area is a postcode district such as WM1.")
                }
            }
            if !months.isEmpty {
                if months.count <= 2, let n = Int(months), (1...12).contains(n) { query.months = n } else { v.add("months", "Choose between 1 and 12 months.") }
            }
            try v.check()
            return query
        }
    }

    struct Marked: Sendable {
        let label: String
        let event: AwarenessEvent
        let before: BeforeAfter.Window
        let after: BeforeAfter.Window
    }

    /// The share of practitioners' reports recorded completely, in one group of agencies.
    struct Completeness: Sendable {
        let reports: Int
        let complete: Int
        /// Hidden when the group made fewer reports than the threshold.
        let hidden: Bool
        var share: Double? { hidden || reports == 0 ? nil : Double(complete) * 100 / Double(reports) }
    }

    struct View: Sendable {
        let query: Query
        let months: [BeforeAfter.Month]
        let marked: [Marked]
        let trained: Completeness
        let untrained: Completeness
        let threshold: Int
    }

    func view(_ query: Query, identity: Identity, now: Date) async throws -> View {
        guard identity.can(.viewTraining) else { throw AppError.forbidden }
        let current = MonthPeriod(CalendarDate(now, in: .london))
        let first = current.adding(months: -(Self.timelineMonths - 1))
        let timeline = MonthPeriod.range(first, current)
        // Counts reach back far enough for the "before" window of the earliest event shown.
        let counted = MonthPeriod.range(first.adding(months: -query.months), current)
        let counts = try await reports.received(reporters: query.sector.reporterTypes, agencies: query.sector.agencyTypes,
                                                labour: query.sector.labourSector, district: query.district, MonthWindow(counted))
        let all = try await events.events(first.firstDay, current.adding(months: 1).firstDay.adding(days: -1))
        let relevant = all.filter { event in
            event.sectors.contains(query.sector)
                && (query.district == nil || event.districts.isEmpty || query.district.map { event.districts.contains($0) } == true)
        }.sorted { ($0.start, $0.title) < ($1.start, $1.title) }
        var numbers: [AwarenessEvent.Kind: Int] = [:]
        let marked = relevant.map { event in
            numbers[event.kind, default: 0] += 1
            let label = (event.kind == .session ? "S" : "C") + String(numbers[event.kind] ?? 0)
            let w = BeforeAfter.windows(start: MonthPeriod(event.start), end: MonthPeriod(event.end), months: query.months,
                                        counts: counts, current: current, threshold: threshold)
            return Marked(label: label, event: event, before: w.before, after: w.after)
        }
        let (trained, untrained) = try await completeness(timeline)
        return View(query: query, months: BeforeAfter.months(counts, timeline, threshold: threshold), marked: marked,
                    trained: trained, untrained: untrained, threshold: threshold)
    }

    /// Practitioners' reports over the time line, split by whether their agency had had staff
    /// trained before the month the report was received in.
    private func completeness(_ timeline: [MonthPeriod]) async throws -> (Completeness, Completeness) {
        let firstTrained = try await events.agenciesFirstTrained()
        var trained = (0, 0), untrained = (0, 0)
        for row in try await reports.recordingCompleteness(MonthWindow(timeline)) {
            if let day = firstTrained[AttendeeIdentity.fold(row.agency)], day < row.month.firstDay {
                trained = (trained.0 + row.reports, trained.1 + row.complete)
            } else {
                untrained = (untrained.0 + row.reports, untrained.1 + row.complete)
            }
        }
        func group(_ t: (Int, Int)) -> Completeness { Completeness(reports: t.0, complete: t.1, hidden: BeforeAfter.hides(t.0, threshold)) }
        return (group(trained), group(untrained))
    }
}
