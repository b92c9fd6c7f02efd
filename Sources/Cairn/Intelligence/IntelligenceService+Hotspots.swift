import CairnCore
import Foundation

/// Where reports come from: counts by postcode district and month, never the reports.
extension IntelligenceService {
    struct Hotspots: Sendable {
        /// `yyyy-MM`, oldest first.
        let months: [String]
        /// Districts with at least one report, busiest first: counts per month and in all.
        let rows: [(district: String, counts: [Int], total: Int)]
        let withoutDistrict: Int
        let total: Int
    }

    static func month(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.london
        let c = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year ?? 1970, c.month ?? 1)
    }

    /// Reports by postcode district and month over the last `months` months (counts only).
    func hotspots(type: ExploitationType?, months: Int, now: Date = Date(), identity: Identity, address: String, via: String) async throws -> Hotspots {
        try require(identity, .viewHotspots)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.london
        // `months` is one of 3, 6, 12 or 24 (checked by the callers); `now` is the clock.
        let months = min(max(months, 1), 120)
        let startOfMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: now)) ?? now
        let from = calendar.date(byAdding: .month, value: -(months - 1), to: startOfMonth) ?? startOfMonth
        let monthList = (0..<months).map { Self.month(calendar.date(byAdding: .month, value: $0, to: from) ?? from) }
        let position = Dictionary(uniqueKeysWithValues: monthList.enumerated().map { ($1, $0) })
        var counts: [String: [Int]] = [:]
        var without = 0, total = 0
        for r in try await reports.receivedByDistrict(since: from, type: type) {
            guard let slot = position[Self.month(r.receivedAt)] else { continue }
            total += 1
            guard let district = r.district, !district.isEmpty else { without += 1; continue }
            counts[district, default: Array(repeating: 0, count: months)][slot] += 1
        }
        let rows = counts.map { (district: $0.key, counts: $0.value, total: $0.value.reduce(0, +)) }
            .sorted { ($0.total, $1.district) > ($1.total, $0.district) }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "hotspots.viewed", recordType: "hotspots", recordID: "",
                                          address: address, detail: "\(via); \(type?.rawValue ?? "all types"); \(months) months"))
        return Hotspots(months: monthList, rows: rows, withoutDistrict: without, total: total)
    }
}
