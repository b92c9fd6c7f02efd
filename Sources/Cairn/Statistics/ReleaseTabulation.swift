import CairnCore
import Disclosure
import Foundation

/// Turns release records into the `Disclosure` core's terms: one atom space per population
/// over the dimensions and quarters its releases use, true tables for a definition, and the
/// figures an attacker holds from every approved release.
struct ReleaseTabulation: Sendable {
    /// The partnership's release areas (postcode districts).
    let areas: [String]
    /// Current records per population, over every quarter any release in play covers.
    let records: [ReleasePopulation: [ReleaseRecord]]

    func dimension(_ d: ReleaseDimension) -> Disclosure.Dimension {
        Dimension(name: d.rawValue, categories: d.categories(areas: areas).map(\.key))
    }

    /// The current true count of a cell over some quarters.
    func count(_ population: ReleasePopulation, quarters: Set<String>, key: [String: String]) -> Int {
        var total = 0
        for record in records[population] ?? [] where quarters.contains(record.quarter.description) {
            if key.allSatisfy({ name, value in ReleaseDimension(rawValue: name).flatMap { record.values[$0] } == value }) { total += record.count }
        }
        return total
    }

    /// The true table for one spec over a period (interior cells, margins, total; the core's order).
    func table(_ spec: ReleaseTableSpec, period: ReleasePeriod) -> TrueTable {
        let dims = spec.dimensions.map(dimension)
        let quarters = period.quarters.map(\.description)
        let wanted = Set(quarters)
        var interior: [CellKey: Int] = [:]
        for record in records[spec.population] ?? [] where wanted.contains(record.quarter.description) {
            var values: [String: String] = [:]
            for d in spec.dimensions { values[d.rawValue] = record.values[d] ?? "" }
            interior[CellKey(values), default: 0] += record.count
        }
        let cells = Tabulate.keys(dimensions: dims).map { key in
            (key: key, value: interior.reduce(0) { sum, entry in
                key.values.allSatisfy { entry.key.values[$0.key] == $0.value } ? sum + entry.value : sum
            })
        }
        return TrueTable(name: spec.name, dimensions: dims.map(\.name), periods: quarters, cells: cells, categories: dims.map(\.categories))
    }

    /// The atom space for a population: every dimension any of `specs` uses, over `quarters`.
    func space(_ population: ReleasePopulation, specs: [ReleaseTableSpec], quarters: [String]) throws -> AtomSpace {
        let used = ReleaseDimension.allCases.filter { d in specs.contains { $0.population == population && $0.dimensions.contains(d) } }
        do {
            return try AtomSpace(dimensions: used.map(dimension), periods: quarters)
        } catch {
            throw AppError.conflict("These tables together cut the records into too many pieces to check; use fewer dimensions.")
        }
    }
}

/// One approved release as the check reads it: its definition, what it published and the
/// true counts then.
struct PublishedHistory: Sendable {
    let id: UUID
    let definition: ReleaseDefinition
    let tables: [PublishedTable]
    let truth: [[Int]]
}

extension ReleaseTabulation {
    /// What an attacker holds from earlier suppression releases of one population: each
    /// published cell as an interval (rounding, and "a published count is 0 or at least k"),
    /// widened by how far its true count has moved since (late records, corrections), and
    /// each earlier hidden cell with its current true count, which must stay protected.
    func history(_ population: ReleasePopulation, releases: [PublishedHistory], space: AtomSpace)
        -> (figures: [Figure], hidden: [(atoms: [Int], trueValue: Int)]) {
        var figures: [Figure] = []
        var hidden: [(atoms: [Int], trueValue: Int)] = []
        for release in releases where release.definition.method == .suppression {
            let quarters = release.definition.period.quarters.map(\.description)
            for (t, spec) in release.definition.tables.enumerated() where spec.population == population {
                guard t < release.tables.count, t < release.truth.count else { continue }
                let published = release.tables[t]
                for (c, cell) in published.cells.enumerated() where c < release.truth[t].count {
                    guard let atoms = space.atoms(periods: quarters, key: CellKey(cell.key)) else { continue }
                    let now = count(population, quarters: Set(quarters), key: cell.key)
                    if let value = cell.value {
                        let f = Figure.published(atoms: atoms, value: value, base: release.definition.roundingBase, k: release.definition.threshold,
                                                 label: "'\(cell.key.sorted { $0.key < $1.key }.map(\.value).joined(separator: ", "))' in \(published.name), \(release.definition.period)")
                        figures.append(f.moved(by: now - release.truth[t][c]))
                    } else {
                        hidden.append((atoms, now))
                    }
                }
            }
        }
        return (figures, hidden)
    }
}
