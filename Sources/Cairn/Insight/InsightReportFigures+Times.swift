import CairnCore
import Foundation

/// How quickly reports were answered and closed, against each urgency's deadline, and how
/// referrals were answered.
extension InsightReportFigures {
    static func responseText(_ time: ResponseTime) -> String {
        switch time {
        case .hours(let n): n == 1 ? "1 hour" : "\(n) hours"
        case .workingDays(let n): n == 1 ? "1 working day" : "\(n) working days"
        case .calendarDays(let n): n == 1 ? "1 day" : "\(n) days"
        }
    }

    static func hours(_ end: Int?) -> String {
        guard let end else { return "over 60 days" }
        return end <= 48 ? "within \(end) h" : "within \(end / 24) days"
    }

    static func days(_ end: Int?) -> String {
        guard let end else { return "over 2 years" }
        return end == 1 ? "within 1 day" : "within \(end) days"
    }

    func triage(_ total: InsightTally) -> InsightFigure {
        var rows: [[InsightFigure.Cell]] = []
        var answered = 0, onTime = 0
        for urgency in Urgency.allCases.sorted(by: >) {
            let u = urgency.rawValue
            let n = total["tr.\(u).n"], ok = total["tr.\(u).ok"]
            // Still waiting, with a deadline that passed before today.
            let late = total.under("tr.\(u).wait.").filter { (try? CalendarDate(parsing: $0.key)).map { $0 < today } ?? false }.values.reduce(0, +)
            guard n + late > 0 else { continue }
            answered += n + late
            onTime += ok
            let histogram = Dictionary(uniqueKeysWithValues: total.under("tr.\(u).h.").compactMap { k, v in Int(k).map { ($0, v) } })
            let median = InsightTally.percentile(histogram, 0.5, end: InsightTally.hourBucketEnd)
            let p90 = InsightTally.percentile(histogram, 0.9, end: InsightTally.hourBucketEnd)
            rows.append([
                .label(urgency.label), .text(Self.responseText(deadlines.responseTime(for: urgency)), value: nil),
                .share(ok, of: n + late), .count(n), .count(ok),
                .count(late, href: link(periodItems + [("urgency", u), ("overdue", "1")])),
                .text(median.any ? Self.hours(median.end) : "–", value: median.end.map(Double.init)),
                .text(p90.any ? Self.hours(p90.end) : "–", value: p90.end.map(Double.init)),
            ])
        }
        let title = answered == 0 ? "No reports in this period have been answered or passed their deadline"
            : "\(InsightFigure.Cell.share(onTime, of: answered).text) of reports were first answered by their deadline"
        var figure = InsightFigure(
            id: "triage", title: title,
            caption: "Reports \(during), by urgency: the first answer (triaged and accepted by an agency, or closed) against the urgency's deadline.",
            columns: ["Urgency", "Deadline", "Share on time", "Answered", "Answered on time", "Still waiting past the deadline",
                      "Median time (hours)", "90th percentile (hours)"],
            rows: rows, chart: .none, empty: "No report in this period has been answered or is past its deadline.")
        figure.note = "The share on time counts reports still waiting whose deadline passed before today as late. Times are given to the hour for two days, then to the day."
        return figure
    }

    func outcomeTimes(_ total: InsightTally) -> InsightFigure {
        var rows: [[InsightFigure.Cell]] = []
        var within = 0, due = 0
        for urgency in Urgency.allCases.sorted(by: >) {
            let u = urgency.rawValue
            let n = total["oc.\(u).n"], ok = total["oc.\(u).ok"]
            // Open, and 28 days old before today.
            let open = total.under("oc.\(u).open.").filter { (try? CalendarDate(parsing: $0.key)).map { $0 < today } ?? false }.values.reduce(0, +)
            guard n + open > 0 else { continue }
            within += ok
            due += n + open
            let histogram = Dictionary(uniqueKeysWithValues: total.under("oc.\(u).d.").compactMap { k, v in Int(k).map { ($0, v) } })
            let median = InsightTally.percentile(histogram, 0.5, end: InsightTally.dayBucketEnd)
            let p90 = InsightTally.percentile(histogram, 0.9, end: InsightTally.dayBucketEnd)
            rows.append([
                .label(urgency.label), .share(ok, of: n + open), .count(n), .count(ok), .count(open),
                .text(median.any ? Self.days(median.end) : "–", value: median.end.map(Double.init)),
                .text(p90.any ? Self.days(p90.end) : "–", value: p90.end.map(Double.init)),
            ])
        }
        let days = InsightTally.outcomeDays
        let title = due == 0 ? "No report in this period has an outcome or is \(days) days old yet"
            : "\(InsightFigure.Cell.share(within, of: due).text) of reports were closed with an outcome within \(days) days"
        var figure = InsightFigure(
            id: "outcome-times", title: title,
            caption: "Reports \(during), by urgency: closed with an outcome within \(days) days of being received.",
            columns: ["Urgency", "Share within \(days) days", "Closed with an outcome", "Within \(days) days", "Open after \(days) days",
                      "Median time (days)", "90th percentile (days)"],
            rows: rows, chart: .none, empty: "No report in this period has an outcome or is \(days) days old yet.")
        figure.note = "The share counts reports still open \(days) days after they were received as not closed in time."
        return figure
    }

    func referrals(_ total: InsightTally) -> InsightFigure {
        let sent = total.counts.filter { $0.key.hasPrefix("f.") && $0.key.hasSuffix(".n") }
        let ids = sent.keys.map { String($0.dropFirst(2).dropLast(2)) }
        var rows: [[InsightFigure.Cell]] = []
        var all = 0, answered = 0
        for id in ids.sorted(by: { (total["f.\($0).n"], agencies[UUID(uuidString: $1) ?? UUID()] ?? "") > (total["f.\($1).n"], agencies[UUID(uuidString: $0) ?? UUID()] ?? "") }) {
            let n = total["f.\(id).n"]
            let status = { (s: ReferralStatus) in total["f.\(id).s.\(s.rawValue)"] }
            all += n
            answered += n - status(.pending)
            let histogram = Dictionary(uniqueKeysWithValues: total.under("f.\(id).h.").compactMap { k, v in Int(k).map { ($0, v) } })
            let median = InsightTally.percentile(histogram, 0.5, end: InsightTally.hourBucketEnd)
            let name = UUID(uuidString: id).flatMap { agencies[$0] } ?? "An agency no longer listed"
            rows.append([
                .label(name), .count(n), .count(status(.accepted)), .count(status(.rejected)), .count(status(.completed)), .count(status(.pending)),
                .text(median.any ? Self.hours(median.end) : "–", value: median.end.map(Double.init)),
            ])
        }
        let title = all == 0 ? "No referrals were made in this period"
            : "\(InsightFigure.grouped(all)) referrals made; \(InsightFigure.Cell.share(answered, of: all).text) have been answered"
        var figure = InsightFigure(
            id: "referrals", title: title,
            caption: "Referrals made in the period about the reports counted, by the agency they went to.",
            columns: ["Receiving agency", "Referrals", "Accepted", "Rejected", "Completed", "Waiting for a reply", "Median time to reply (hours)"],
            rows: rows, chart: .bars, empty: "No referrals were made in this period.")
        figure.note = "The time to reply runs from the referral to its last change of status."
        return figure
    }
}
