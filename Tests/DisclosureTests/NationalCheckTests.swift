import Foundation
import Testing
@testable import Disclosure

/// The national side: what each partnership's own publications give away, and national sums
/// that never add an equation an attacker could use.
@Suite("National check")
struct NationalCheckTests {
    static let table = "People referred by exploitation type"

    static func release(_ partnership: String, _ cells: [(String?, Int?)], sequence: Int = 1, period: String = "2025-Q1") -> SignedRelease {
        let published = cells.map { key, value in
            PublishedCell(key: key.map { ["exploitation_type": $0] } ?? [:], value: value, error95: nil)
        }
        return SignedRelease(partnership: partnership, sequence: sequence, id: "\(partnership)-\(sequence)", period: period, method: "suppression",
                             parameters: ["k": "10", "roundingBase": "1"], revises: nil,
                             tables: [PublishedTable(name: table, dimensions: ["exploitation_type"], cells: published)], previous: nil)
    }

    static func partnership(_ id: String, region: String, _ releases: [SignedRelease]) -> PartnershipReleases {
        PartnershipReleases(partnership: id, region: region, releases: releases, findings: PublicationCheck.hiddenCells(releases, year: "2025"))
    }

    @Test func aCellAPartnershipsOwnFiguresGiveAwayIsExposedAndNoNationalFigureIncludesIt() {
        // Sexual is hidden alone beside a published total: 38 − 20 − 15 = 3.
        let leaky = Self.partnership("alderley", region: "North West", [Self.release("alderley", [("labour", 20), ("sexual", nil), ("criminal", 15), (nil, 38)])])
        let sound = Self.partnership("brookvale", region: "North West", [Self.release("brookvale", [("labour", 10), ("sexual", 12), ("criminal", 10), (nil, 32)])])
        let finding = try? #require(leaky.findings.first)
        #expect(leaky.findings.count == 1 && finding?.low == 3 && finding?.high == 3 && finding?.isExposed == true)
        let sexual = NationalTables.cell(table: Self.table, period: "2025-Q1", key: ["exploitation_type": "sexual"], over: [leaky, sound], k: 10)
        #expect(sexual.state == .withheld && sexual.value == nil && sexual.low == nil)
        let labour = NationalTables.cell(table: Self.table, period: "2025-Q1", key: ["exploitation_type": "labour"], over: [leaky, sound], k: 10)
        #expect(labour.state == .published && labour.value == 30)
    }

    @Test func aProtectedCellIsShownOnlyAsTheRangeThePublishedFiguresAllow() {
        let a = Self.partnership("alderley", region: "North West", [Self.release("alderley", [("labour", 20), ("sexual", nil), ("criminal", nil), (nil, 38)])])
        let b = Self.partnership("brookvale", region: "North West", [Self.release("brookvale", [("labour", 10), ("sexual", 12), ("criminal", 10), (nil, 32)])])
        #expect(a.findings.count == 2 && a.findings.allSatisfy { $0.isProtected && $0.low == 0 && $0.high == 18 })
        let sexual = NationalTables.cell(table: Self.table, period: "2025-Q1", key: ["exploitation_type": "sexual"], over: [a, b], k: 10)
        #expect(sexual.state == .range && sexual.low == 12 && sexual.high == 30 && sexual.hiddenIn == 1 && sexual.partnerships == 2)
        // A published sum below the national threshold is withheld.
        let small = Self.partnership("castleton", region: "North West", [Self.release("castleton", [("labour", 5), (nil, 5)])])
        #expect(NationalTables.cell(table: Self.table, period: "2025-Q1", key: ["exploitation_type": "labour"], over: [small], k: 10).state == .withheld)
        #expect(NationalTables.cell(table: Self.table, period: "2025-Q2", key: [:], over: [a, b], k: 10).state == .missing)
    }

    /// The issue's case: a region total minus the other partnerships. Everything published
    /// (both partnerships' cells and the national figures) as one system gives the attacker
    /// exactly what the partnership's own figures gave, and no more; had the national side
    /// published the true regional count, the check would find the hidden cell.
    @Test func aRegionTotalMinusTheOtherPartnershipsRevealsNothing() {
        let a = Self.partnership("alderley", region: "North West", [Self.release("alderley", [("labour", 20), ("sexual", nil), ("criminal", nil), (nil, 38)])])
        let b = Self.partnership("brookvale", region: "North West", [Self.release("brookvale", [("labour", 10), ("sexual", 12), ("criminal", 10), (nil, 32)])])
        // Atoms: alderley's labour, sexual, criminal are 0, 1, 2; brookvale's are 3, 4, 5.
        let atoms: [String: [Int]] = ["labour": [0, 3], "sexual": [1, 4], "criminal": [2, 5]]
        var figures: [Figure] = [.exact(atoms: [0], value: 20), .exact(atoms: [0, 1, 2], value: 38),
                                 .exact(atoms: [3], value: 10), .exact(atoms: [4], value: 12), .exact(atoms: [5], value: 10), .exact(atoms: [3, 4, 5], value: 32)]
        for (key, parts) in atoms {
            let cell = NationalTables.cell(table: Self.table, period: "2025-Q1", key: ["exploitation_type": key], over: [a, b], k: 10)
            switch cell.state {
            case .published: figures.append(.exact(atoms: parts, value: cell.value ?? -1))
            case .range: figures.append(Figure(atoms: parts, low: cell.low ?? 0, high: cell.high ?? 1_000_000))
            default: Issue.record("unexpected \(cell.state) for \(key)")
            }
        }
        let total = NationalTables.cell(table: Self.table, period: "2025-Q1", key: [:], over: [a, b], k: 10)
        #expect(total.value == 70)
        figures.append(.exact(atoms: Array(0..<6), value: total.value ?? -1))
        let combined = Attacker.intervals(figures: figures, targets: [[1], [2]], atomCount: 6)
        let alone = a.findings.sorted { ($0.key["exploitation_type"] ?? "") > ($1.key["exploitation_type"] ?? "") }
        #expect(combined.map(\.low) == alone.map(\.low) && combined.map(\.high) == alone.map(\.high))
        #expect(combined.allSatisfy { $0.protects(k: 10) })
        // Had the national side published alderley's true sexual count inside the region's (3 + 12):
        let leaked = Attacker.intervals(figures: figures + [.exact(atoms: [1, 4], value: 15)], targets: [[1]], atomCount: 6)
        #expect(leaked.first?.low == 3 && leaked.first?.high == 3 && leaked.first?.protects(k: 10) == false)
    }

    @Test func quartersTheYearAndRevisionsAreCheckedTogether() {
        // Q1 hides sexual and criminal (together 18). The year and Q2 bound each from above:
        // sexual ≤ 15 − 12 = 3 and criminal ≤ 25 − 10 = 15, and 3 + 15 = 18 pins both.
        let q1 = Self.release("alderley", [("labour", 20), ("sexual", nil), ("criminal", nil), (nil, 38)], sequence: 1, period: "2025-Q1")
        let q2 = Self.release("alderley", [("labour", 10), ("sexual", 12), ("criminal", 10), (nil, 32)], sequence: 2, period: "2025-Q2")
        let year = Self.release("alderley", [("labour", 30), ("sexual", 15), ("criminal", 25), (nil, 70)], sequence: 3, period: "2025")
        let findings = PublicationCheck.hiddenCells([q1, q2, year], year: "2025")
        let sexual = findings.first { $0.key["exploitation_type"] == "sexual" }
        let criminal = findings.first { $0.key["exploitation_type"] == "criminal" }
        #expect(sexual?.low == 3 && sexual?.high == 3 && sexual?.isExposed == true)
        // Criminal is pinned too, but at 15: not a small count, so not exposed.
        #expect(criminal?.low == 15 && criminal?.high == 15 && criminal?.isExposed == false)
        // Without the year, Q1 and Q2 share no cell and nothing is narrowed.
        #expect(PublicationCheck.hiddenCells([q1, q2], year: "2025").allSatisfy { $0.isProtected })
        // A revision replaces what it revises: only the latest release of a period counts.
        let revised = Self.release("alderley", [("labour", 20), ("sexual", 10), ("criminal", 10), (nil, 40)], sequence: 4, period: "2025-Q1")
        #expect(PublicationCheck.currentReleases([q1, q2, year, revised]).map(\.sequence) == [2, 3, 4])
        #expect(PublicationCheck.hiddenCells([q1, q2, year, revised], year: "2025").isEmpty)
    }
}
