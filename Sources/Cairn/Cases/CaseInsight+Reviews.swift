import CairnCore
import Foundation
import SQLKit

/// Outcome movement and warning signs for `CaseInsight`.
extension CaseInsight {
    func movement(from: CalendarDate, to: CalendarDate, agency: UUID?, threshold: Int) async throws -> CountTable {
        let (first, last) = (from.description, to.description)
        let rows = try await database.sql.raw("""
            SELECT case_id, point, review_date, ratings FROM case_outcome_reviews WHERE review_date <= \(bind: last) \
            AND case_id IN (SELECT case_id FROM case_outcome_reviews WHERE point <> \(bind: ReviewPoint.intake.rawValue) \
            AND review_date >= \(bind: first) AND review_date <= \(bind: last))\(Self.agencyClause("case_id", agency))
            """).all()
        // Per case: the intake review, and the latest later review dated in the period.
        var intake: [UUID: (date: String, ratings: String)] = [:]
        var latest: [UUID: (date: String, ratings: String)] = [:]
        for row in rows {
            let id = try row.decode(column: "case_id", as: UUID.self)
            let review = (date: try row.decode(column: "review_date", as: String.self), ratings: try row.decode(column: "ratings", as: String.self))
            if try row.decode(column: "point", as: String.self) == ReviewPoint.intake.rawValue {
                intake[id] = review
            } else if review.date >= first, latest[id].map({ $0.date < review.date }) ?? true {
                latest[id] = review
            }
        }
        let outcomes = CoreOutcome.allCases
        var table = [[Int]](repeating: [0, 0, 0], count: outcomes.count)
        for (id, later) in latest {
            guard let start = intake[id], start.date <= later.date else { continue }
            let before = Self.ratings(start.ratings), after = Self.ratings(later.ratings)
            for (index, outcome) in outcomes.enumerated() {
                guard let a = before[outcome], let b = after[outcome] else { continue }
                table[index][b > a ? 0 : b == a ? 1 : 2] += 1
            }
        }
        return CountTable(rowKeys: outcomes.map(\.rawValue), rowLabels: outcomes.map(\.label),
                          columnKeys: ["improved", "same", "worse"], columnLabels: ["Improved", "Same", "Worse"],
                          counts: CellSuppression.table(table, threshold: threshold))
    }

    /// A review's ratings (`{"outcome":"rating",…}` as `OutcomeReview` writes them), read
    /// without a JSON decoder for the plain form: a decoder per review was most of this
    /// figure's time over tens of thousands of reviews. Anything else goes to the decoder.
    static func ratings(_ text: String) -> [CoreOutcome: OutcomeRating] {
        var result: [CoreOutcome: OutcomeRating] = [:]
        let body = text.utf8
        guard body.first == UInt8(ascii: "{"), body.last == UInt8(ascii: "}"), !body.contains(UInt8(ascii: "\\")) else {
            for (key, value) in (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:] {
                if let o = CoreOutcome(rawValue: key), let r = OutcomeRating(rawValue: value) { result[o] = r }
            }
            return result
        }
        for pair in text.dropFirst().dropLast().split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let value = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if let o = CoreOutcome(rawValue: key), let r = OutcomeRating(rawValue: value) { result[o] = r }
        }
        return result
    }

    func warnings(from: CalendarDate, to: CalendarDate, agency: UUID?, threshold: Int) async throws -> CountTable {
        let rows = try await database.sql.raw("""
            SELECT substr(observed_on, 1, 7) AS m, sign, COUNT(*) AS n FROM case_warnings \
            WHERE observed_on >= \(bind: from.description) AND observed_on <= \(bind: to.description)\(Self.agencyClause("case_id", agency)) \
            GROUP BY substr(observed_on, 1, 7), sign
            """).all()
        let quarters = Self.quarters(from: from, to: to)
        let signs = WarningSign.allCases
        var table = [[Int]](repeating: [Int](repeating: 0, count: signs.count), count: quarters.count)
        for row in rows {
            guard let month = MonthPeriod(parsing: try row.decode(column: "m", as: String.self)),
                  let q = quarters.firstIndex(where: { $0.year == month.year && $0.quarter == (month.month - 1) / 3 + 1 }),
                  let s = signs.firstIndex(where: { $0.rawValue == (try? row.decode(column: "sign", as: String.self)) }) else { continue }
            table[q][s] += try row.decode(column: "n", as: Int.self)
        }
        return CountTable(rowKeys: quarters.map { "\($0.year)-Q\($0.quarter)" }, rowLabels: quarters.map { "Q\($0.quarter) \($0.year)" },
                          columnKeys: signs.map(\.rawValue), columnLabels: signs.map(\.label),
                          counts: CellSuppression.table(table, threshold: threshold))
    }

    /// The calendar quarters from the one holding `from` to the one holding `to`.
    static func quarters(from: CalendarDate, to: CalendarDate) -> [(year: Int, quarter: Int)] {
        var result: [(year: Int, quarter: Int)] = []
        var (year, quarter) = (from.year, (from.month - 1) / 3 + 1)
        let last = (to.year, (to.month - 1) / 3 + 1)
        while (year, quarter) <= last {
            result.append((year, quarter))
            (year, quarter) = quarter == 4 ? (year + 1, 1) : (year, quarter + 1)
        }
        return result
    }
}
