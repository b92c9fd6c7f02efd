import CairnCore
import Crypto
import Disclosure
import Foundation

/// The fictional national picture (`cairn serve --national --demo`, `cairn demo national`):
/// three partnerships in two regions, each with four quarterly releases of 2025, the annual
/// 2025 release, the first quarters of 2026, and one revision. Each release is computed and
/// protected by the same core as a partnership's own (primary and secondary suppression
/// against everything it published that year), signed with a key made for the demo and
/// thrown away, and sent through the national side's own checks.
enum DemoNational {
    struct Partnership {
        let id: String
        let name: String
        let region: String
        let peoplePerQuarter: Int
        let seed: UInt64
    }

    static let partnerships = [
        Partnership(id: "westmere", name: "Westmere Anti-Slavery Partnership", region: "West Midlands", peoplePerQuarter: 64, seed: 11),
        Partnership(id: "northfield", name: "Northfield and Dale Modern Slavery Partnership", region: "West Midlands", peoplePerQuarter: 41, seed: 23),
        Partnership(id: "eastbrook", name: "Eastbrook Anti-Slavery Network", region: "East of England", peoplePerQuarter: 52, seed: 37),
    ]

    static let quarters2025 = (1...4).map { "2025-Q\($0)" }
    static let quarters2026 = (1...3).map { "2026-Q\($0)" }

    /// Loads the picture once: refuses (false) if any partnership is registered already.
    static func load(into services: AppServices) async throws -> Bool {
        if try await !services.national.summaries().isEmpty { return false }
        for p in partnerships { try await load(p, into: services.national) }
        return true
    }

    static func load(_ p: Partnership, into national: NationalService) async throws {
        let key = Curve25519.Signing.PrivateKey()
        _ = try await national.register(.init(id: p.id, name: p.name, region: p.region, publicKey: key.publicKey.rawRepresentation.base64EncodedString()),
                                        actor: .system, address: "demo")
        var generator = SeededGenerator(seed: p.seed)
        var records = (quarters2025 + quarters2026).flatMap { quarter in people(p.peoplePerQuarter, quarter: quarter, using: &generator) }
        var chain = Chain(partnership: p.id, key: key)
        for period in quarters2025 + ["2025"] + quarters2026 {
            _ = try await national.receive(try chain.next(period: period, records: records), address: "demo")
        }
        // Late records for the second quarter of 2026 arrive, and the quarter is published again.
        records += people(6, quarter: "2026-Q2", using: &generator)
        _ = try await national.receive(try chain.next(period: "2026-Q2", records: records, revising: true), address: "demo")
    }

    static let exploitation: [(String, Int)] = [("labour", 38), ("sexual", 22), ("criminal", 24), ("domestic_servitude", 8), ("organ_harvesting", 0),
                                               ("multiple", 5), ("not_known", 3)]
    static let ages: [(String, Int)] = [("adult", 68), ("child", 28), ("not_known", 4)]

    static func pick(_ weights: [(String, Int)], using g: inout SeededGenerator) -> String {
        let total = weights.reduce(0) { $0 + $1.1 }
        var n = Int.random(in: 0..<max(total, 1), using: &g)
        for (value, weight) in weights {
            if n < weight { return value }
            n -= weight
        }
        return weights.last?.0 ?? ""
    }

    static func people(_ around: Int, quarter: String, using g: inout SeededGenerator) -> [Record] {
        let count = max(1, around + Int.random(in: -around / 5...around / 5, using: &g))
        return (0..<count).map { _ in
            Record(period: quarter, values: ["exploitation_type": pick(exploitation, using: &g), "age_group": pick(ages, using: &g)])
        }
    }

    /// A partnership's releases in order: each protected against what it published that year.
    struct Chain {
        let partnership: String
        let key: Curve25519.Signing.PrivateKey
        var sequence = 0
        var previous: String?
        var published: [(period: String, release: SignedRelease, tables: [TrueTable])] = []

        static let specs = [ReleaseTableSpec(population: .referrals, dimensions: [.exploitationType]),
                            ReleaseTableSpec(population: .referrals, dimensions: [.ageGroup]),
                            ReleaseTableSpec(population: .referrals, dimensions: [.ageGroup, .exploitationType])]

        mutating func next(period: String, records: [Record], revising: Bool = false) throws -> SignedRelease {
            let year = PublicationCheck.year(of: period)
            let quarters = PublicationCheck.quarters(of: year)
            let dimensions = [Dimension(name: "exploitation_type", categories: exploitation.map(\.0)), Dimension(name: "age_group", categories: ages.map(\.0))]
            let space = try AtomSpace(dimensions: dimensions, periods: quarters)
            let periods = Set(PublicationCheck.quarters(of: period))
            let candidate = try Self.specs.map { spec in
                try Tabulate.table(TableSpec(name: spec.name, dimensions: spec.dimensions.map(\.rawValue)), dimensions: dimensions, periods: periods, records: records)
            }
            // What was published earlier that year, widened by how far each count has moved since.
            var history: [Figure] = []
            var hidden: [(atoms: [Int], trueValue: Int)] = []
            for earlier in published where PublicationCheck.year(of: earlier.period) == year {
                let now = try Self.specs.map { spec in
                    try Tabulate.table(TableSpec(name: spec.name, dimensions: spec.dimensions.map(\.rawValue)), dimensions: dimensions,
                                       periods: Set(PublicationCheck.quarters(of: earlier.period)), records: records)
                }
                for (t, table) in earlier.release.tables.enumerated() where t < earlier.tables.count && t < now.count {
                    for (c, cell) in table.cells.enumerated() where c < earlier.tables[t].cells.count && c < now[t].cells.count {
                        guard let atoms = space.atoms(periods: PublicationCheck.quarters(of: earlier.period), key: CellKey(cell.key)) else { continue }
                        if let value = cell.value {
                            history.append(Figure.published(atoms: atoms, value: value, base: 5, k: 10)
                                .moved(by: now[t].cells[c].value - earlier.tables[t].cells[c].value))
                        } else {
                            hidden.append((atoms, now[t].cells[c].value))
                        }
                    }
                }
            }
            let protected = Suppression.protect(candidate: candidate, history: history, space: space, k: 10, roundingBase: 5, previouslyHidden: hidden)
            guard protected.isSafe else { throw AppError.conflict("The demo release for \(period) could not be protected.") }
            let tables = protected.tables.map { t in
                PublishedTable(name: t.name, dimensions: t.dimensions, cells: t.cells.map { PublishedCell(key: $0.key.values, value: $0.published, error95: nil) })
            }
            sequence += 1
            let revises = revising ? published.last(where: { $0.period == period })?.release.id : nil
            let release = try SignedRelease(partnership: partnership, sequence: sequence, id: UUID().uuidString, period: period, method: "suppression",
                                            parameters: ["k": "10", "roundingBase": "5"], revises: revises, tables: tables, previous: previous).signed(with: key)
            previous = release.hash
            published.append((period, release, candidate))
            return release
        }
    }
}
