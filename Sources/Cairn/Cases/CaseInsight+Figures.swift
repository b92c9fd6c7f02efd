import CairnCore
import Foundation
import SQLKit

/// The queries behind `CaseInsight`: each reads only the columns it counts, over Cases' own
/// tables, and counts in memory what needs the domain's rules (NRM stages, ratings).
extension CaseInsight {
    typealias OpenCase = (opened: CalendarDate, closed: CalendarDate?)

    static func instant(_ day: CalendarDate) -> Date { PeriodBuckets.instant(day) }

    /// `AND <column> IN (SELECT id FROM cases WHERE lead_agency_id = …)`, or nothing.
    static func agencyClause(_ column: String, _ agency: UUID?) -> SQLQueryString {
        guard let agency else { return "" }
        return " AND \(ident: column) IN (SELECT id FROM cases WHERE lead_agency_id = \(bind: agency))"
    }

    /// Cases open on any day from `from` to the day before `end`, with the days they opened and closed.
    func openCases(from: CalendarDate, end: CalendarDate, agency: UUID?) async throws -> [UUID: OpenCase] {
        let rows = try await database.sql.raw("""
            SELECT id, opened_at, closed_at FROM cases WHERE opened_at < \(bind: Self.instant(end)) \
            AND (closed_at IS NULL OR closed_at >= \(bind: Self.instant(from)))\(Self.agencyClause("id", agency))
            """).all()
        var result: [UUID: OpenCase] = [:]
        for row in rows {
            result[try row.decode(column: "id", as: UUID.self)] =
                (CalendarDate(try row.decode(column: "opened_at", as: Date.self), in: .london),
                 try row.decode(column: "closed_at", as: Date?.self).map { CalendarDate($0, in: .london) })
        }
        return result
    }

    /// Every case's NRM referral (of one lead agency's cases, if given).
    func nrmRows(agency: UUID?) async throws -> [UUID: NRMReferral] {
        let rows = try await database.sql.raw("""
            SELECT case_id, referral_date, rg_decision, rg_date, cg_decision, cg_date, reconsiderations FROM case_nrm \
            WHERE 1 = 1\(Self.agencyClause("case_id", agency))
            """).all()
        var result: [UUID: NRMReferral] = [:]
        for row in rows {
            guard let referred = try? CalendarDate(parsing: try row.decode(column: "referral_date", as: String.self)) else { continue }
            func decision(_ kind: String, _ date: String) throws -> NRMDecisionRecord? {
                guard let value = try row.decode(column: kind, as: String?.self).flatMap(NRMDecision.init(rawValue:)),
                      let text = try row.decode(column: date, as: String?.self), let day = try? CalendarDate(parsing: text) else { return nil }
                return NRMDecisionRecord(value, on: day)
            }
            let reconsiderations = try row.decode(column: "reconsiderations", as: String.self)
            result[try row.decode(column: "case_id", as: UUID.self)] = NRMReferral(
                referralDate: referred, firstResponderOrganisation: "",
                reasonableGrounds: try decision("rg_decision", "rg_date"), conclusiveGrounds: try decision("cg_decision", "cg_date"),
                reconsiderations: reconsiderations == "[]" ? [] : (try? JSONDecoder().decode([ReconsiderationRequest].self, from: Data(reconsiderations.utf8))) ?? [])
        }
        return result
    }

    /// Cases with a Duty to Notify record made before `end`.
    func notifiedCases(before end: CalendarDate, agency: UUID?) async throws -> Set<UUID> {
        let rows = try await database.sql.raw("""
            SELECT DISTINCT case_id FROM case_duty_to_notify WHERE recorded_at < \(bind: Self.instant(end))\(Self.agencyClause("case_id", agency))
            """).all()
        return Set(try rows.map { try $0.decode(column: "case_id", as: UUID.self) })
    }

    /// The referral as it stood at the end of `day`: what was decided or requested later is left out.
    static func asOf(_ referral: NRMReferral, _ day: CalendarDate) -> NRMReferral? {
        guard referral.referralDate <= day else { return nil }
        var result = referral
        if let rg = result.reasonableGrounds, rg.date > day { result.reasonableGrounds = nil }
        if let cg = result.conclusiveGrounds, cg.date > day { result.conclusiveGrounds = nil }
        result.reconsiderations = referral.reconsiderations.filter { $0.requestedOn <= day }.map { request in
            var request = request
            if let outcome = request.outcome, outcome.date > day { request.outcome = nil }
            return request
        }
        return result
    }

    func stages(open: [UUID: OpenCase], nrms: [UUID: NRMReferral], notified: Set<UUID>, to: CalendarDate, threshold: Int) -> CountList {
        var counts: [String: Int] = [:]
        for id in open.keys {
            if let referral = nrms[id].flatMap({ Self.asOf($0, to) }) {
                counts[referral.stage.rawValue, default: 0] += 1
            } else {
                counts[notified.contains(id) ? "duty_to_notify" : "neither", default: 0] += 1
            }
        }
        let keys = NRMStage.allCases.map(\.rawValue) + ["duty_to_notify", "neither"]
        let labels = NRMStage.allCases.map(\.label) + ["Duty to Notify made (no NRM referral)", "Neither yet"]
        return CountList(keys: keys, labels: labels, counts: CellSuppression.list(keys.map { counts[$0] ?? 0 }, threshold: threshold))
    }

    func nrmFigures(_ nrms: [UUID: NRMReferral], from: CalendarDate, to: CalendarDate, threshold: Int) -> NRMFigures {
        let inPeriod = { (day: CalendarDate) in from <= day && day <= to }
        var referrals = 0
        var table = [[0, 0], [0, 0]]
        var rgDays: [Double] = [], cgDays: [Double] = []
        for referral in nrms.values {
            if inPeriod(referral.referralDate) { referrals += 1 }
            if let rg = referral.reasonableGrounds, inPeriod(rg.date) {
                table[0][rg.decision == .positive ? 0 : 1] += 1
                rgDays.append(Double(referral.referralDate.days(to: rg.date)))
            }
            if let cg = referral.conclusiveGrounds, inPeriod(cg.date) {
                table[1][cg.decision == .positive ? 0 : 1] += 1
                cgDays.append(Double(referral.referralDate.days(to: cg.date)))
            }
        }
        func median(_ values: [Double]) -> Median {
            guard values.count >= threshold, !values.isEmpty else { return Median(days: nil, over: values.count) }
            let sorted = values.sorted(), mid = sorted.count / 2
            return Median(days: sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, over: values.count)
        }
        return NRMFigures(
            referrals: CellSuppression.single(referrals, threshold: threshold),
            decisions: CountTable(rowKeys: ["reasonable_grounds", "conclusive_grounds"], rowLabels: ["Reasonable grounds", "Conclusive grounds"],
                                  columnKeys: ["positive", "negative"], columnLabels: ["Positive", "Negative"],
                                  counts: CellSuppression.table(table, threshold: threshold)),
            daysToReasonableGrounds: median(rgDays), daysToConclusiveGrounds: median(cgDays))
    }

    func recovery(open: [UUID: OpenCase], nrms: [UUID: NRMReferral], from: CalendarDate, to: CalendarDate, threshold: Int) -> RecoveryFigures {
        var beyond = 0, ended = 0
        for (id, dates) in open {
            guard let referral = nrms[id].flatMap({ Self.asOf($0, to) }), let end = referral.recoveryPeriodEarliestEnd, end <= to else { continue }
            ended += 1
            // Open on a day of the period after the recovery period's last day.
            let first = max(end.adding(days: 1), from)
            let last = min(dates.closed ?? to, to)
            if first <= last { beyond += 1 }
        }
        return RecoveryFigures(
            recoveryDays: NRMReferral.minimumRecoveryPeriodDays,
            cases: CountList(keys: ["beyond", "not_beyond"],
                             labels: ["Supported beyond the recovery period", "Not supported beyond it"],
                             counts: CellSuppression.list([beyond, ended - beyond], threshold: threshold)))
    }
}
