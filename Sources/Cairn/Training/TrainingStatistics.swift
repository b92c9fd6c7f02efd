import CairnCore
import Foundation
import SQLKit

/// Training's read interface for the plan's indicators (`IndicatorService`) and its own
/// totals: who was trained when, where and in which sector, and the confidence sheets, as
/// plain values. Never a name or an email: a register's people are only their match keys.
struct TrainingStatistics: Sendable {
    let database: CairnDatabase

    /// People counted at a session (attendance counts).
    struct CountRow: Sendable {
        let session: UUID
        let course: UUID
        let area: String
        let heldOn: String
        let sector: String
        let people: Int
    }

    /// One person on a register, by their match key (`AttendeeIdentity`).
    struct PersonRow: Sendable {
        let session: UUID
        let course: UUID
        let area: String
        let heldOn: String
        let sector: String
        let person: String
    }

    /// The attendance of sessions held from `from` (included) to `before` (excluded), days as `YYYY-MM-DD`.
    func attendance(from: String, before: String) async throws -> (counts: [CountRow], people: [PersonRow]) {
        let sql = database.sql
        let counts = try await sql.raw("""
            SELECT s.id AS session, s.course_id AS course, s.area AS area, s.held_on AS held_on, a.sector AS sector, a.people AS people \
            FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id \
            WHERE s.held_on >= \(bind: from) AND s.held_on < \(bind: before)
            """).all().map { row in
            CountRow(session: try row.decode(column: "session", as: UUID.self), course: try row.decode(column: "course", as: UUID.self),
                     area: try row.decode(column: "area", as: String.self), heldOn: try row.decode(column: "held_on", as: String.self),
                     sector: try row.decode(column: "sector", as: String.self), people: try row.decode(column: "people", as: Int.self))
        }
        let people = try await sql.raw("""
            SELECT s.id AS session, s.course_id AS course, s.area AS area, s.held_on AS held_on, t.sector AS sector, t.person_key AS person \
            FROM training_attendees t JOIN training_sessions s ON s.id = t.session_id \
            WHERE s.held_on >= \(bind: from) AND s.held_on < \(bind: before)
            """).all().map { row in
            PersonRow(session: try row.decode(column: "session", as: UUID.self), course: try row.decode(column: "course", as: UUID.self),
                      area: try row.decode(column: "area", as: String.self), heldOn: try row.decode(column: "held_on", as: String.self),
                      sector: try row.decode(column: "sector", as: String.self), person: try row.decode(column: "person", as: String.self))
        }
        return (counts, people)
    }

    /// The confidence sheets of sessions held from `from` to `before` (excluded), with the day each session was held.
    func sheets(from: String, before: String) async throws -> [(session: UUID, heldOn: String, sheet: ConfidenceSheet)] {
        try await database.sql.raw("""
            SELECT s.id AS session, s.held_on AS held_on, r.phase AS phase, r.pair AS pair, r.recognise_signs AS q1, r.how_to_report AS q2, \
            r.after_reporting AS q3 FROM training_responses r JOIN training_sessions s ON s.id = r.session_id \
            WHERE s.held_on >= \(bind: from) AND s.held_on < \(bind: before)
            """).all().map { row in
            let sheet = ConfidenceSheet(
                pair: try row.decode(column: "pair", as: Int.self), phase: ConfidencePhase(rawValue: try row.decode(column: "phase", as: String.self)) ?? .before,
                answers: [.recogniseSigns: try row.decode(column: "q1", as: Int.self), .howToReport: try row.decode(column: "q2", as: Int.self),
                          .afterReporting: try row.decode(column: "q3", as: Int.self)])
            return (try row.decode(column: "session", as: UUID.self), try row.decode(column: "held_on", as: String.self), sheet)
        }
    }

    /// People trained, by a group each row belongs to: counts add up; a person on several
    /// registers counts once per group and once in the total.
    static func people(_ counts: [CountRow], _ people: [PersonRow], group: (String, String, UUID, String) -> String)
        -> (groups: [String: Int], total: Int) {
        var groups: [String: Int] = [:]
        for row in counts { groups[group(row.sector, row.area, row.course, row.heldOn), default: 0] += row.people }
        var seen: [String: Set<String>] = [:]
        for row in people { seen[group(row.sector, row.area, row.course, row.heldOn), default: []].insert(row.person) }
        for (key, persons) in seen { groups[key, default: 0] += persons.count }
        let total = counts.reduce(0) { $0 + $1.people } + Set(people.map(\.person)).count
        return (groups, total)
    }

    /// Each agency named on attendance (counts or a register) of a session held from `from` to
    /// `before` (excluded), with the first day someone from it was trained, by the agency's name
    /// folded (`AttendeeIdentity.fold`: case, accents and spacing ignored), for comparing with
    /// the agencies that made reports.
    func agenciesTrained(from: String, before: String) async throws -> [String: String] {
        var first: [String: String] = [:]
        for table in ["training_attendance", "training_attendees"] {
            let rows = try await database.sql.raw("""
                SELECT a.agency AS agency, MIN(s.held_on) AS held_on FROM \(ident: table) a JOIN training_sessions s ON s.id = a.session_id \
                WHERE s.held_on >= \(bind: from) AND s.held_on < \(bind: before) AND a.agency <> '' GROUP BY a.agency
                """).all()
            for row in rows {
                let name = AttendeeIdentity.fold(try row.decode(column: "agency", as: String.self))
                let day = try row.decode(column: "held_on", as: String.self)
                if first[name].map({ day < $0 }) ?? true { first[name] = day }
            }
        }
        return first
    }

    // MARK: The plan's indicators

    /// Per month of the window, the people trained at sessions held that month, with the
    /// breakdown by sector (labels).
    func peopleTrained(_ window: MonthWindow) async throws -> [IndicatorFigure] {
        let (from, to) = window.days
        let (counts, people) = try await attendance(from: from, before: to)
        return window.months.map { month in
            let inMonth = { (day: String) in (try? CalendarDate(parsing: day)).flatMap(window.bucket(of:)) == month }
            let c = counts.filter { inMonth($0.heldOn) }, p = people.filter { inMonth($0.heldOn) }
            let (groups, total) = Self.people(c, p) { sector, _, _, _ in Sector(rawValue: sector)?.label ?? sector }
            return .count(month, total, survivors: false, breakdown: groups)
        }
    }

    /// Per month of the window, the mean paired change in confidence over every question, for
    /// sessions held that month; its basis is the number of attendees with both sheets.
    func confidenceChange(_ window: MonthWindow) async throws -> [IndicatorFigure] {
        let (from, to) = window.days
        let sheets = try await sheets(from: from, before: to)
        return window.months.map { month in
            let inMonth = sheets.filter { (try? CalendarDate(parsing: $0.heldOn)).flatMap(window.bucket(of:)) == month }
            let (change, pairs) = ConfidenceResult.overallChange(inMonth.map { ($0.session, $0.sheet) })
            return IndicatorFigure(period: month, value: change, basis: pairs)
        }
    }
}
