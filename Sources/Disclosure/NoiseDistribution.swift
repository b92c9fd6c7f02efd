// The exact distribution of the noise (and of sums of it), to state each cell's 95% error.
// Floating point is used here only to describe the noise, never to draw it.

import Foundation

/// A probability mass function on the integers offset...offset+count−1.
struct NoisePMF: Sendable {
    var offset: Int
    var mass: [Double]

    static let tailCut = 1e-15

    /// Discrete Laplace with P(y) ∝ exp(−ε|y|).
    static func laplace(epsilon: Double) -> NoisePMF {
        let a = exp(-epsilon)
        let reach = Int((-log(tailCut) / epsilon).rounded(.up)) + 1
        let c = (1 - a) / (1 + a)
        let mass = (-reach...reach).map { c * pow(a, Double(abs($0))) }
        return NoisePMF(offset: -reach, mass: mass)
    }

    /// Discrete Gaussian with P(y) ∝ exp(−y²/(2σ²)).
    static func gaussian(variance: Double) -> NoisePMF {
        let sigma = variance.squareRoot()
        let reach = Int((sigma * 8.5).rounded(.up)) + 2
        var mass = (-reach...reach).map { exp(-Double($0 * $0) / (2 * variance)) }
        let z = mass.reduce(0, +)
        mass = mass.map { $0 / z }
        return NoisePMF(offset: -reach, mass: mass)
    }

    /// The distribution of the sum of two independent draws, with negligible tails trimmed.
    func convolved(with other: NoisePMF) -> NoisePMF {
        var out = Array(repeating: 0.0, count: mass.count + other.mass.count - 1)
        out.withUnsafeMutableBufferPointer { o in
            for (i, p) in mass.enumerated() where p > 0 {
                for (j, q) in other.mass.enumerated() { o[i + j] += p * q }
            }
        }
        var r = NoisePMF(offset: offset + other.offset, mass: out)
        r.trim()
        return r
    }

    mutating func trim() {
        var low = 0, acc = 0.0
        while low < mass.count - 1 && acc + mass[low] < Self.tailCut { acc += mass[low]; low += 1 }
        var high = mass.count - 1
        acc = 0
        while high > low && acc + mass[high] < Self.tailCut { acc += mass[high]; high -= 1 }
        mass = Array(mass[low...high])
        offset += low
    }

    /// The distribution of the sum of n independent draws (n ≥ 1).
    func sum(of n: Int) -> NoisePMF {
        var result: NoisePMF?
        var power = self
        var k = max(n, 1)
        while k > 0 {
            if k & 1 == 1 { result = result.map { $0.convolved(with: power) } ?? power }
            k >>= 1
            if k > 0 { power = power.convolved(with: power) }
        }
        return result ?? self
    }

    /// P(|noise| ≤ h).
    func coverage(_ h: Int) -> Double {
        var s = 0.0
        for (i, p) in mass.enumerated() where abs(offset + i) <= h { s += p }
        return s
    }

    /// The smallest integer h with P(|noise| ≤ h) ≥ level, and that probability.
    func halfWidth(level: Double = 0.95) -> (h: Int, coverage: Double) {
        var s = mass[safe: -offset] ?? 0
        var h = 0
        if s >= level { return (0, s) }
        let limit = max(-offset, offset + mass.count)
        while h < limit {
            h += 1
            s += (mass[safe: h - offset] ?? 0) + (mass[safe: -h - offset] ?? 0)
            if s >= level { return (h, s) }
        }
        return (h, s)
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { i >= 0 && i < count ? self[i] : nil }
}
