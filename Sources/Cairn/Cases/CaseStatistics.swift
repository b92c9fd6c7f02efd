import CairnCore
import FluentKit
import Foundation
import SQLKit

/// What Cases lets the partnership's indicators read: monthly figures over every case, never a
/// case or a person. Small numbers are the reader's to suppress when it shows them
/// (`SmallNumbers`); these are the true counts.
public struct CaseStatistics: Sendable {
    let database: CairnDatabase
    var db: any Database { database.db }

    /// NRM referrals per month of their referral date.
    func nrmReferrals(_ window: MonthWindow) async throws -> [MonthPeriod: Int] {
        try await countByDay(window, table: "case_nrm", column: "referral_date")
    }

    /// Warning signs per month they were observed.
    func warningSigns(_ window: MonthWindow) async throws -> [MonthPeriod: Int] {
        try await countByDay(window, table: "case_warnings", column: "observed_on")
    }

    /// Per month of the reasonable grounds decision, the days from each NRM referral to it.
    func daysToReasonableGrounds(_ window: MonthWindow) async throws -> [MonthPeriod: [Double]] {
        let (from, to) = window.days
        let rows = try await CaseNRM.query(on: db).filter(\.$rgDate >= from).filter(\.$rgDate < to).all()
        var result: [MonthPeriod: [Double]] = [:]
        for row in rows {
            guard let decided = row.rgDate.flatMap({ try? CalendarDate(parsing: $0) }),
                  let referred = try? CalendarDate(parsing: row.referralDate), referred <= decided else { continue }
            guard let month = window.bucket(of: decided) else { continue }
            result[month, default: []].append(Double(referred.days(to: decided)))
        }
        return result
    }

    /// Per month of the 6-month review: cases whose survivor-rated core outcomes rose on balance
    /// since the intake review, over cases with both reviews rating at least one outcome in common.
    func outcomesImproved(_ window: MonthWindow) async throws -> [MonthPeriod: Tally] {
        let (from, to) = window.days
        let six = try await CaseOutcomeReview.query(on: db).filter(\.$point == ReviewPoint.sixMonths.rawValue)
            .filter(\.$reviewDate >= from).filter(\.$reviewDate < to).all()
        guard !six.isEmpty else { return [:] }
        let caseIDs = Array(Set(six.map(\.caseID)))
        var intakes: [UUID: OutcomeReview] = [:]
        for chunk in stride(from: 0, to: caseIDs.count, by: 500).map({ Array(caseIDs[$0 ..< min($0 + 500, caseIDs.count)]) }) {
            for row in try await CaseOutcomeReview.query(on: db).filter(\.$point == ReviewPoint.intake.rawValue).filter(\.$caseID ~~ chunk).all() {
                if let review = row.review { intakes[row.caseID] = review }
            }
        }
        var result: [MonthPeriod: Tally] = [:]
        for row in six {
            guard let later = row.review, let first = intakes[row.caseID] else { continue }
            let both = CoreOutcome.allCases.compactMap { o in first.ratings[o].flatMap { a in later.ratings[o].map { (a, $0) } } }
            guard !both.isEmpty else { continue }
            let rose = both.filter { $0.1 > $0.0 }.count, fell = both.filter { $0.1 < $0.0 }.count
            guard let month = window.bucket(of: later.date) else { continue }
            result[month, default: .init()].denominator += 1
            if rose > fell { result[month, default: .init()].numerator += 1 }
        }
        return result
    }

    private func countByDay(_ window: MonthWindow, table: String, column: String) async throws -> [MonthPeriod: Int] {
        let (from, to) = window.days
        let sql = try db.sqlDatabase()
        let rows = try await sql.raw("""
            SELECT \(window.dayBucket("\(ident: column)")) AS m, COUNT(*) AS n FROM \(ident: table) \
            WHERE \(ident: column) >= \(bind: from) AND \(ident: column) < \(bind: to) GROUP BY 1
            """).all()
        var result: [MonthPeriod: Int] = [:]
        for row in rows {
            guard let month = window.month(try row.decode(column: "m", as: Int.self)) else { continue }
            result[month] = try row.decode(column: "n", as: Int.self)
        }
        return result
    }
}
