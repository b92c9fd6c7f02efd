// Differentially private tables: noise on the interior cells only, clamped to non-negative
// integers, margins and totals summed from them, each cell with its 95% error.

import Synchronization

public struct NoisyCell: Sendable, Hashable {
    public let key: CellKey
    public let value: Int
    /// Half-width h: |published − true| ≤ h with probability `coverage95` (≥ 0.95) from the noise.
    public let error95: Double
    /// The exact probability that the noise is within ±error95 (discrete noise moves in steps,
    /// so this is at least 95% and not always exactly 95%).
    public let coverage95: Double
}

public struct NoisyTable: Sendable {
    public let name: String
    public let dimensions: [String]
    public let periods: [String]
    public let cells: [NoisyCell]
}

struct WidthKey: Hashable { let gaussian: Bool; let micros: Int; let cells: Int }

/// Half-widths depend only on the mechanism and the number of cells summed: computed once.
let widthCache = Mutex<[WidthKey: (h: Int, coverage: Double)]>([:])

public enum NoisyRelease {
    /// Noises each table's interior cells with `mechanism` (one parameter per table: a table is a
    /// histogram, each person in one interior cell), clamps them at 0 and sums the margins and
    /// total from the published interior cells. Charge T tables as T × the parameter.
    public static func make<R: RandomNumberGenerator>(tables: [TrueTable], mechanism: NoiseMechanism, using rng: inout R) throws(NoiseError) -> [NoisyTable] {
        let m = try mechanism.micros()
        let draw: (inout R) -> Int
        let pmf: NoisePMF
        switch mechanism {
        case .laplace:
            // Scale 1/ε = 10⁶/m, as the fraction t/s in lowest terms.
            let g = gcd(Micros.perUnit, m)
            let t = Micros.perUnit / g, s = m / g
            draw = { DiscreteNoise.laplace(scaleNumerator: t, scaleDenominator: s, using: &$0) }
            pmf = NoisePMF.laplace(epsilon: Double(m) / Double(Micros.perUnit))
        case .gaussian:
            // σ² = 1/(2ρ) = 10⁶ / (2m).
            draw = { DiscreteNoise.gaussian(varianceNumerator: Micros.perUnit, varianceDenominator: 2 * m, using: &$0) }
            pmf = NoisePMF.gaussian(variance: Double(Micros.perUnit) / Double(2 * m))
        }
        func width(_ n: Int) -> (h: Int, coverage: Double) {
            let key = WidthKey(gaussian: mechanism.method == "dp-gaussian", micros: m, cells: n)
            if let w = widthCache.withLock({ $0[key] }) { return w }
            let w = pmf.sum(of: n).halfWidth()
            widthCache.withLock { $0[key] = w }
            return w
        }
        var out: [NoisyTable] = []
        for t in tables {
            var noisy: [CellKey: Int] = [:]
            for c in t.cells where t.isInterior(c.key) {
                let (v, o) = c.value.addingReportingOverflow(draw(&rng))
                noisy[c.key] = o ? c.value : max(v, 0)
            }
            let interiorKeys = t.cells.map(\.key).filter { t.isInterior($0) }
            var cells: [NoisyCell] = []
            for c in t.cells {
                let members = interiorKeys.filter { k in c.key.values.allSatisfy { k.values[$0.key] == $0.value } }
                let value = members.reduce(0) { $0 &+ (noisy[$1] ?? 0) }
                let w = width(max(members.count, 1))
                cells.append(NoisyCell(key: c.key, value: value, error95: Double(w.h), coverage95: w.coverage))
            }
            out.append(NoisyTable(name: t.name, dimensions: t.dimensions, periods: t.periods, cells: cells))
        }
        return out
    }
}
