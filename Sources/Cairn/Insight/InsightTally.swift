import CairnCore
import Foundation

/// The counts behind the report figures for one stretch of time (a day or a month), as named
/// counters that add up: a month's tally is the sum of its days', a period's the sum of its
/// months' and days'. Kept in `insight_tallies` for days and months that have ended.
///
/// Counter names (`Key`): `r` reports received; `r.d.<day>` per day; `t.`, `c.`, `p.`, `a.`,
/// `g.`, `u.`, `o.` per type, channel (public or practitioner), reporter type, area, age group,
/// urgency and outcome; `tr.<urgency>.*` the first answer (how many, how many by the deadline,
/// hours taken, and those still waiting by the day of their deadline); `oc.<urgency>.*` the
/// outcome (how many closed with one, within 28 days, days taken); `f.<agency>.*` referrals.
struct InsightTally: Sendable, Equatable, Codable {
    var counts: [String: Int] = [:]

    subscript(_ key: String) -> Int { counts[key] ?? 0 }

    mutating func add(_ key: String, _ n: Int = 1) { counts[key, default: 0] += n }

    /// As kept: one `name count` line per counter, sorted. (Reading sixty months of JSON took
    /// a page most of its time; this is read by splitting lines.)
    var text: String {
        counts.keys.sorted().map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: "\n")
    }

    /// Reads `text`; nil if any line is not a name and a whole number.
    init?(text: String) {
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            guard let space = line.lastIndex(of: UInt8(ascii: " ")), let n = Int(Substring(line[line.index(after: space)...])) else { return nil }
            counts[String(Substring(line[..<space])), default: 0] += n
        }
    }

    init() {}

    mutating func merge(_ other: InsightTally) {
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    /// The counters that start with `prefix`, by the rest of their name.
    func under(_ prefix: String) -> [String: Int] {
        var found: [String: Int] = [:]
        for (key, value) in counts where key.hasPrefix(prefix) { found[String(key.dropFirst(prefix.count))] = value }
        return found
    }

    /// Days allowed from receipt to an outcome for the outcome figure (as the indicator on
    /// the plan: closed with an outcome within 28 days).
    static let outcomeDays = 28

    /// Counts one report (already known to be received on `day`).
    mutating func count(_ report: ReportDirectory.InsightReport, day: CalendarDate) {
        add("r")
        add("r.d.\(day)")
        if report.types.isEmpty { add("t.none") }
        for type in report.types { add("t.\(type.rawValue)") }
        add("c.\(report.source)")
        add("p.\(report.reporterType)")
        add("a.\(report.district ?? "none")")
        add("g.\(report.ageGroup)")
        add("u.\(report.urgency)")
        add("o.\(report.outcome ?? "none")")
        let u = report.urgency
        if let responded = report.respondedAt {
            add("tr.\(u).n")
            if responded <= report.dueAt { add("tr.\(u).ok") }
            add("tr.\(u).h.\(Self.hourBucket(responded.timeIntervalSince(report.receivedAt)))")
        } else if report.status != ReportStatus.closed.rawValue {
            add("tr.\(u).wait.\(CalendarDate(report.dueAt, in: .london))")
        }
        if let closed = report.closedAt, report.outcome != nil {
            let days = closed.timeIntervalSince(report.receivedAt) / 86_400
            add("oc.\(u).n")
            if days <= Double(Self.outcomeDays) { add("oc.\(u).ok") }
            add("oc.\(u).d.\(Self.dayBucket(days))")
        } else {
            add("oc.\(u).open.\(CalendarDate(report.receivedAt.addingTimeInterval(Double(Self.outcomeDays) * 86_400), in: .london))")
        }
    }

    /// Counts one referral (made on the tally's day or month).
    mutating func count(_ referral: ReportDirectory.InsightReferral) {
        let agency = referral.toAgencyID.uuidString
        add("f.\(agency).n")
        add("f.\(agency).s.\(referral.status)")
        if referral.status != ReferralStatus.pending.rawValue {
            add("f.\(agency).h.\(Self.hourBucket(referral.updatedAt.timeIntervalSince(referral.createdAt)))")
        }
    }

    /// Hours taken, in buckets named by their first hour: hourly for two days, then daily to
    /// 60 days, then one bucket.
    static func hourBucket(_ seconds: TimeInterval) -> Int {
        let hours = max(0, seconds / 3600)
        guard hours.isFinite else { return 1440 }
        if hours < 48 { return Int(hours) }
        if hours < 1440 { return Int(hours / 24) * 24 }
        return 1440
    }

    /// The hour after a bucket's last (what "within" says of it).
    static func hourBucketEnd(_ bucket: Int) -> Int? {
        bucket < 48 ? bucket + 1 : bucket < 1440 ? bucket + 24 : nil
    }

    /// Days taken, in buckets named by their first day: daily for 90 days, then 30-day steps to
    /// two years, then one bucket.
    static func dayBucket(_ days: Double) -> Int {
        let d = max(0, days)
        guard d.isFinite else { return 730 }
        if d < 90 { return Int(d) }
        if d < 730 { return 90 + Int((d - 90) / 30) * 30 }
        return 730
    }

    static func dayBucketEnd(_ bucket: Int) -> Int? {
        bucket < 90 ? bucket + 1 : bucket < 730 ? bucket + 30 : nil
    }

    /// The bucket holding the `fraction` point of a histogram (bucket → count), as the end of
    /// that bucket ("within N"); nil when empty or when it falls in the open-ended last bucket.
    static func percentile(_ histogram: [Int: Int], _ fraction: Double, end: (Int) -> Int?) -> (end: Int?, any: Bool) {
        let total = histogram.values.reduce(0, +)
        guard total > 0 else { return (nil, false) }
        let wanted = Int((Double(total) * fraction).rounded(.up))
        var seen = 0
        for bucket in histogram.keys.sorted() {
            seen += histogram[bucket] ?? 0
            if seen >= max(wanted, 1) { return (end(bucket), true) }
        }
        return (nil, true)
    }
}
