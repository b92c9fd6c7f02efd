import Foundation
import Testing
@testable import Disclosure

@Suite("Differential privacy")
struct NoiseTests {
    func stats(_ xs: [Int]) -> (mean: Double, variance: Double) {
        let n = Double(xs.count)
        let mean = Double(xs.reduce(0, +)) / n
        let v = xs.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1)
        return (mean, v)
    }

    @Test func exactBernoulliOfExpMinusGamma() {
        var rng = SeededGenerator(seed: 11)
        for (num, den) in [(1, 2), (1, 1), (5, 2)] {
            let n = 40_000
            let hits = (0..<n).filter { _ in ExactBernoulli.expMinus(num, den, using: &rng) }.count
            let p = exp(-Double(num) / Double(den))
            #expect(abs(Double(hits) / Double(n) - p) < 4 * (p * (1 - p) / Double(n)).squareRoot())
        }
    }

    @Test func discreteLaplaceHasMeanZeroAndTheoreticalVariance() {
        var rng = SeededGenerator(seed: 1)
        // ε = 0.5: P(y) ∝ a^|y|, a = e^-0.5, variance 2a/(1−a)².
        let xs = (0..<40_000).map { _ in DiscreteNoise.laplace(scaleNumerator: 2, scaleDenominator: 1, using: &rng) }
        let a = exp(-0.5)
        let theory = 2 * a / ((1 - a) * (1 - a))
        let (mean, v) = stats(xs)
        #expect(abs(mean) < 4 * (theory / 40_000).squareRoot())
        #expect(abs(v / theory - 1) < 0.05)
    }

    @Test func discreteGaussianHasMeanZeroAndTheoreticalVariance() {
        var rng = SeededGenerator(seed: 2)
        // ρ = 0.125 → σ² = 4 (the discrete Gaussian's variance is within 10⁻⁸ of σ² here).
        let xs = (0..<40_000).map { _ in DiscreteNoise.gaussian(varianceNumerator: 4, varianceDenominator: 1, using: &rng) }
        let (mean, v) = stats(xs)
        #expect(abs(mean) < 4 * (4.0 / 40_000).squareRoot())
        #expect(abs(v / 4 - 1) < 0.05)
        // A fractional variance (σ² = 10/3) works too.
        let ys = (0..<20_000).map { _ in DiscreteNoise.gaussian(varianceNumerator: 10, varianceDenominator: 3, using: &rng) }
        #expect(abs(stats(ys).variance / (10.0 / 3) - 1) < 0.06)
    }

    @Test func halfWidthsMatchTheClosedForms() {
        // Laplace ε = 0.1: P(|Y| ≤ h) = 1 − 2a^(h+1)/(1+a); h = 30 is the first ≥ 95%.
        let w = NoisePMF.laplace(epsilon: 0.1).halfWidth()
        let a = exp(-0.1)
        #expect(w.h == 30)
        #expect(abs(w.coverage - (1 - 2 * pow(a, 31) / (1 + a))) < 1e-9)
        // ε = 1: coverage jumps from 88% (h = 2) to 95.6% (h = 3).
        let one = NoisePMF.laplace(epsilon: 1)
        #expect(one.halfWidth().h == 3)
        #expect(one.coverage(2) < 0.95)
        // Sums: the PMF of a sum of two is the convolution, and it stays normalised.
        let two = one.sum(of: 2)
        #expect(abs(two.mass.reduce(0, +) - 1) < 1e-12)
        #expect(two.halfWidth().h >= 3)
        let g = NoisePMF.gaussian(variance: 100).halfWidth()
        #expect(g.h == 20)  // ≈ 1.96σ
    }

    func table(_ values: [Int]) -> TrueTable {
        let a = Dimension(name: "a", categories: ["x", "y"]), b = Dimension(name: "b", categories: ["p", "q", "r"])
        let keys = Tabulate.keys(dimensions: [a, b])
        var cells: [(key: CellKey, value: Int)] = []
        for (i, k) in keys.prefix(6).enumerated() { cells.append((k, values[i])) }
        for k in keys.dropFirst(6) {
            cells.append((k, cells.prefix(6).filter { c in k.values.allSatisfy { c.key.values[$0.key] == $0.value } }.reduce(0) { $0 + $1.value }))
        }
        return TrueTable(name: "T", dimensions: ["a", "b"], periods: ["2026-Q1"], cells: cells, categories: [a.categories, b.categories])
    }

    @Test func noisyTablesAreNonNegativeAndAddUp() throws {
        var rng = SeededGenerator(seed: 3)
        let t = table([0, 1, 2, 0, 50, 3])
        for m in [NoiseMechanism.laplace(epsilon: 1), .gaussian(rho: 0.5)] {
            let n = try NoisyRelease.make(tables: [t], mechanism: m, using: &rng)[0]
            #expect(n.cells.allSatisfy { $0.value >= 0 })
            let interior = n.cells.prefix(6)
            #expect(n.cells.last?.value == interior.reduce(0) { $0 + $1.value })
            for c in n.cells.dropFirst(6) {
                #expect(c.value == interior.filter { i in c.key.values.allSatisfy { i.key.values[$0.key] == $0.value } }.reduce(0) { $0 + $1.value })
                #expect(c.error95 >= interior[0].error95)
            }
            #expect(n.cells.allSatisfy { $0.coverage95 >= 0.95 && $0.coverage95 < 1 })
        }
        #expect(throws: NoiseError.self) { try NoisyRelease.make(tables: [t], mechanism: .laplace(epsilon: .nan), using: &rng) }
        #expect(throws: NoiseError.self) { try NoisyRelease.make(tables: [t], mechanism: .gaussian(rho: -1), using: &rng) }
        #expect(throws: NoiseError.self) { try NoisyRelease.make(tables: [t], mechanism: .laplace(epsilon: 1e9), using: &rng) }
    }

    /// 10,000 simulated releases: how often each cell's stated error covers the truth.
    func coverage(_ mechanism: NoiseMechanism, seed: UInt64) throws -> [(stated: Double, observed: Double)] {
        var rng = SeededGenerator(seed: seed)
        let t = table([300, 320, 290, 350, 310, 330])
        let runs = 10_000
        var hits = Array(repeating: 0, count: t.cells.count)
        var stated = Array(repeating: 0.0, count: t.cells.count)
        for _ in 0..<runs {
            let n = try NoisyRelease.make(tables: [t], mechanism: mechanism, using: &rng)[0]
            for (i, c) in n.cells.enumerated() {
                stated[i] = c.coverage95
                if abs(c.value - t.cells[i].value) <= Int(c.error95) { hits[i] += 1 }
            }
        }
        return zip(stated, hits).map { ($0, Double($1) / Double(runs)) }
    }

    @Test(arguments: [NoiseMechanism.laplace(epsilon: 0.1), .gaussian(rho: 0.0005), .laplace(epsilon: 1), .gaussian(rho: 0.5)])
    func statedErrorsCoverTheTruthAsOftenAsTheySay(mechanism: NoiseMechanism) throws {
        let results = try coverage(mechanism, seed: 20)
        for r in results {
            // Within 4 binomial standard deviations of the stated coverage…
            #expect(abs(r.observed - r.stated) < 4 * (r.stated * (1 - r.stated) / 10_000).squareRoot())
        }
        // …and where an integer half-width near 95% exists (small ε, large σ), inside 94–96%.
        if mechanism == .laplace(epsilon: 0.1) || mechanism == .gaussian(rho: 0.0005) {
            for r in results { #expect(r.observed >= 0.94 && r.observed <= 0.96) }
        }
    }

    @Test func costsAreExactMicrosAndTheLedgerRefusesOverSpend() throws {
        let lap = try PrivacyCost.of(.laplace(epsilon: 0.5), tables: 3)
        #expect(lap.epsilonMicros == 1_500_000)
        #expect(lap.rhoMicros == 3 * 125_000)  // ε²/2 per table
        let gau = try PrivacyCost.of(.gaussian(rho: 0.1), tables: 2)
        #expect(gau.epsilonMicros == nil)
        #expect(gau.rhoMicros == 200_000)
        // Ten spends of 0.1 add to exactly 1, with no floating-point drift.
        var ledger = BudgetLedger(measure: .epsilon, capMicros: 1_000_000, spentMicros: [])
        let tenth = try PrivacyCost.of(.laplace(epsilon: 0.1), tables: 1)
        for _ in 0..<10 { ledger = try #require(ledger.spending(tenth)) }
        #expect(ledger.remainingMicros == 0)
        #expect(ledger.spending(tenth) == nil)
        #expect(!ledger.canSpend(tenth))
        // Gaussian noise cannot be charged to an ε ledger; it can to a ρ ledger.
        let eps = BudgetLedger(measure: .epsilon, capMicros: 5_000_000, spentMicros: [])
        #expect(!eps.canSpend(gau))
        let rho = BudgetLedger(measure: .rho, capMicros: 500_000, spentMicros: [250_000])
        #expect(rho.canSpend(gau))
        #expect(rho.spending(lap) == nil)
        #expect(rho.remainingMicros == 250_000)
        #expect(Micros.text(1_500_000) == "1.5")
        #expect(Micros.text(125_000) == "0.125")
        #expect(throws: NoiseError.self) { try PrivacyCost.of(.laplace(epsilon: 0), tables: 1) }
    }
}
