import CairnCore
import FluentKit
import Foundation
import SQLKit

/// Whether the agreements in force cover a share, and the count of shares they did not: how
/// the capabilities that share personal data meet the agreements (`SharingAgreements`).
extension AgreementService {
    /// Covered by an agreement in force on `day` between the two agencies that includes the
    /// category, or not.
    enum Coverage: Sendable, Equatable {
        case covered
        case notCovered
    }

    /// Every agreement's terms, read fresh each time (another instance may have changed them).
    func terms(on db: any Database) async throws -> [AgreementTerms] {
        let parties = Dictionary(grouping: try await SharingAgreementParty.query(on: db).all(), by: \.agreementID)
        return try await SharingAgreement.query(on: db).all().compactMap { agreement in
            agreement.terms(parties: Set((parties[try agreement.requireID()] ?? []).map(\.agencyID)))
        }
    }

    func agreementCoverage(from: UUID, to: UUID, category: SharedDataCategory, on day: CalendarDate) async throws -> Coverage {
        CairnCore.agreementCoverage(from: from, to: to, categories: [category], on: day, agreements: try await terms(on: db)).isEmpty ? .covered : .notCovered
    }

    /// The shares, of these, that agreements in force do not fully cover, each with only the
    /// categories left uncovered. A share to one's own agency is no share.
    func uncovered(_ shares: [OutgoingShare], on db: any Database) async throws -> [OutgoingShare] {
        let real = shares.filter { $0.from != $0.to && !$0.categories.isEmpty }
        guard !real.isEmpty else { return [] }
        let agreements = try await terms(on: db)
        return real.compactMap { share in
            let missing = CairnCore.agreementCoverage(from: share.from, to: share.to, categories: share.categories, on: share.day, agreements: agreements)
            return missing.isEmpty ? nil : OutgoingShare(share.kind, from: share.from, to: share.to, categories: missing, on: share.day)
        }
    }

    /// Counts the uncovered shares in the caller's transaction.
    func record(_ shares: [OutgoingShare], on tx: any Database) async throws -> [OutgoingShare] {
        let missing = try await uncovered(shares, on: tx)
        for share in missing {
            let row = UncoveredShare()
            row.id = UUID()
            row.sharedOn = share.day.description
            row.kind = share.kind.rawValue
            row.fromAgencyID = share.from
            row.toAgencyID = share.to
            row.categories = SharedDataCategory.allCases.filter(share.categories.contains).map(\.rawValue).joined(separator: ",")
            try await row.create(on: tx)
        }
        return missing
    }

    /// What the person who shared is told when no agreement in force covers a share.
    func warning(_ shares: [OutgoingShare]) async throws -> String? {
        let missing = try await uncovered(shares, on: db)
        guard !missing.isEmpty else { return nil }
        let agencies = try await GovernanceService.agencies(on: db)
        let names = GovernanceService.names(Set(missing.map(\.to)), agencies)
        let categories = SharedDataCategory.allCases.filter { c in missing.contains { $0.categories.contains(c) } }.map { $0.label.lowercased() }
        // A few names, then how many more: the warning travels in a cookie.
        let shown = names.count > 4 ? Array(names.prefix(3)) + ["\(names.count - 3) other agencies"] : names
        let list = shown.count == 1 ? shown[0] : shown.dropLast().joined(separator: ", ") + " and " + (shown.last ?? "")
        return "No information-sharing agreement in force covers sharing \(categories.joined(separator: "; ")) with \(list). "
            + "The share was made and has been counted for the partnership's review of its agreements."
    }

    /// The interface the sharing capabilities are given.
    var interface: SharingAgreements {
        SharingAgreements(record: { shares, db in try await record(shares, on: db) }, warning: { shares in try await warning(shares) })
    }

    struct UncoveredCount: Sendable, Equatable {
        /// `YYYY-MM`.
        let month: String
        let kind: ShareKind
        let count: Int
    }

    /// Counts added up per kind, over however many months they cover.
    static func byKind(_ counts: [UncoveredCount]) -> [ShareKind: Int] {
        counts.reduce(into: [:]) { $0[$1.kind, default: 0] += $1.count }
    }

    /// Shares no agreement covered, per month and kind, for the months from `from` to `to`
    /// (`YYYY-MM`, both included), oldest first. Counts only: no agencies, nobody's data.
    func uncoveredCounts(identity: Identity, from: String, to: String) async throws -> [UncoveredCount] {
        try require(identity, .viewPartnership)
        // Counted per day by the database (a few hundred rows a year at most), then per month here.
        var counts: [String: [ShareKind: Int]] = [:]
        for row in try await database.sql.select().columns("shared_on", "kind").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(UncoveredShare.schema).where("shared_on", .greaterThanOrEqual, SQLBind("\(from)-01")).where("shared_on", .lessThanOrEqual, SQLBind("\(to)-31"))
            .groupBy("shared_on").groupBy("kind").all() {
            guard let kind = ShareKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            let day = try row.decode(column: "shared_on", as: String.self)
            counts[String(day.prefix(7)), default: [:]][kind, default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return counts.keys.sorted().flatMap { month in
            ShareKind.allCases.compactMap { kind in counts[month]?[kind].map { UncoveredCount(month: month, kind: kind, count: $0) } }
        }
    }

    /// The last `months` months' counts (this month included), for pages and the API.
    func recentUncoveredCounts(identity: Identity, months: Int = 12, now: Date = Date()) async throws -> [UncoveredCount] {
        let today = GovernanceService.today(now)
        let first = today.adding(months: -(max(1, min(months, 120)) - 1))
        func month(_ d: CalendarDate) -> String { String(d.description.prefix(7)) }
        return try await uncoveredCounts(identity: identity, from: month(first), to: month(today))
    }
}
