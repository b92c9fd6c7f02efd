// Privacy parameters and their cost in exact integer micro-units, and a pure budget ledger.

import Foundation

public enum NoiseMechanism: Sendable, Hashable, Codable {
    /// Pure ε-differential privacy with discrete Laplace noise of scale 1/ε.
    case laplace(epsilon: Double)
    /// ρ-zero-concentrated differential privacy with discrete Gaussian noise, σ² = 1/(2ρ).
    case gaussian(rho: Double)

    /// "dp-laplace" or "dp-gaussian" (the release's method).
    public var method: String {
        switch self {
        case .laplace: "dp-laplace"
        case .gaussian: "dp-gaussian"
        }
    }
}

public enum NoiseError: Error, Equatable, Sendable {
    /// ε must be in 0.01...10, ρ in 0.0001...10 (finite, given to at most six decimals).
    case parameterOutOfRange(String)
    case tooManyTables
}

/// Which quantity a ledger counts.
public enum PrivacyMeasure: String, Sendable, Codable {
    case epsilon, rho
}

/// Micro-units: 1 ε = 1,000,000 ε-micros. Integers so a ledger never drifts.
public enum Micros {
    public static let perUnit = 1_000_000

    /// A parameter in micro-units, rounded to the nearest micro; nil outside `range`.
    public static func from(_ value: Double, range: ClosedRange<Double>) -> Int? {
        guard value.isFinite, range.contains(value) else { return nil }
        let m = (value * Double(perUnit)).rounded()
        guard m >= 1, m <= 1e12 else { return nil }
        return Int(m)
    }

    /// "0.5" from 500000.
    public static func text(_ micros: Int) -> String {
        let whole = micros / perUnit, frac = abs(micros % perUnit)
        if frac == 0 { return "\(whole)" }
        var f = String(frac)
        f = String(repeating: "0", count: 6 - f.count) + f
        while f.hasSuffix("0") { f.removeLast() }
        return "\(micros < 0 && whole == 0 ? "-" : "")\(whole).\(f)"
    }
}

extension NoiseMechanism {
    static let epsilonRange = 0.01...10.0
    static let rhoRange = 0.0001...10.0

    /// The parameter in micro-units (what is sampled with and charged).
    public func micros() throws(NoiseError) -> Int {
        switch self {
        case .laplace(let e):
            guard let m = Micros.from(e, range: Self.epsilonRange) else { throw .parameterOutOfRange("ε must be between 0.01 and 10") }
            return m
        case .gaussian(let r):
            guard let m = Micros.from(r, range: Self.rhoRange) else { throw .parameterOutOfRange("ρ must be between 0.0001 and 10") }
            return m
        }
    }
}

/// What a release costs: T tables over the same people cost T times one table (sequential
/// composition); one table is a histogram, so its cells share one parameter (parallel composition).
public struct PrivacyCost: Hashable, Codable, Sendable {
    /// Pure-ε cost; nil for Gaussian noise (it gives no pure-ε guarantee).
    public let epsilonMicros: Int?
    /// zCDP cost: ρ for Gaussian noise, ε²/2 (rounded up) for Laplace noise.
    public let rhoMicros: Int

    public init(epsilonMicros: Int?, rhoMicros: Int) {
        self.epsilonMicros = epsilonMicros
        self.rhoMicros = rhoMicros
    }

    public static func of(_ mechanism: NoiseMechanism, tables: Int) throws(NoiseError) -> PrivacyCost {
        let m = try mechanism.micros()
        guard tables >= 0, tables <= 10_000 else { throw .tooManyTables }
        switch mechanism {
        case .laplace:
            // ε²/2 in micros = m² / (2·10⁶), rounded up; m ≤ 10⁷ so m² fits.
            let rho = (m * m + 2 * Micros.perUnit - 1) / (2 * Micros.perUnit)
            return PrivacyCost(epsilonMicros: m * tables, rhoMicros: rho * tables)
        case .gaussian:
            return PrivacyCost(epsilonMicros: nil, rhoMicros: m * tables)
        }
    }

    /// The cost in a ledger of `measure`; nil when it cannot be charged there.
    public func micros(in measure: PrivacyMeasure) -> Int? {
        switch measure {
        case .epsilon: epsilonMicros
        case .rho: rhoMicros
        }
    }
}

/// A partnership's budget for one year: what was spent and the cap. Pure: the caller stores it
/// and enforces it atomically.
public struct BudgetLedger: Sendable, Hashable, Codable {
    public let measure: PrivacyMeasure
    public let capMicros: Int
    public let spentMicros: [Int]

    public init(measure: PrivacyMeasure, capMicros: Int, spentMicros: [Int]) {
        self.measure = measure
        self.capMicros = capMicros
        self.spentMicros = spentMicros
    }

    /// The sum of the spends (negative entries count as 0; saturates instead of overflowing).
    public var totalSpentMicros: Int {
        spentMicros.reduce(0) { sum, x in
            let (s, o) = sum.addingReportingOverflow(max(x, 0))
            return o ? Int.max : s
        }
    }
    public var remainingMicros: Int { max(max(capMicros, 0) - totalSpentMicros, 0) }

    /// Whether `cost` fits under the cap (false when it cannot be charged in this measure).
    public func canSpend(_ cost: PrivacyCost) -> Bool {
        guard let c = cost.micros(in: measure), c >= 0 else { return false }
        return c <= remainingMicros && totalSpentMicros <= capMicros
    }

    /// The ledger after spending, or nil (unchanged) when it would exceed the cap.
    public func spending(_ cost: PrivacyCost) -> BudgetLedger? {
        guard canSpend(cost), let c = cost.micros(in: measure) else { return nil }
        return BudgetLedger(measure: measure, capMicros: capMicros, spentMicros: spentMicros + [c])
    }
}
