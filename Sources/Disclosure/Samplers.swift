// Exact samplers for discrete Laplace and discrete Gaussian noise (Canonne, Kamath and Steinke,
// "The discrete Gaussian for differential privacy", 2020), using only integer arithmetic and
// uniform integers from the generator: no floating point touches the noise.

enum ExactBernoulli {
    /// True with probability num/den (0 ≤ num ≤ den, den > 0).
    static func trial<R: RandomNumberGenerator>(_ num: Int, _ den: Int, using rng: inout R) -> Bool {
        guard den > 0, num > 0 else { return false }
        if num >= den { return true }
        return UInt64.random(in: 0..<UInt64(den), using: &rng) < UInt64(num)
    }

    /// True with probability exp(−num/den) (num ≥ 0, den > 0).
    static func expMinus<R: RandomNumberGenerator>(_ num: Int, _ den: Int, using rng: inout R) -> Bool {
        guard den > 0 else { return false }
        if num <= 0 { return true }
        if num <= den {
            // K is the first k with a failed Bernoulli(γ/k); P(K odd) = exp(−γ).
            var k = 1
            while true {
                let (d, overflow) = den.multipliedReportingOverflow(by: k)
                if overflow || !trial(num, d, using: &rng) { break }
                k += 1
            }
            return k % 2 == 1
        }
        for _ in 0..<(num / den) where !expMinus(1, 1, using: &rng) { return false }
        return expMinus(num % den, den, using: &rng)
    }
}

func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (abs(a), abs(b))
    while y != 0 { (x, y) = (y, x % y) }
    return x
}

public enum DiscreteNoise {
    /// Discrete Laplace (two-sided geometric): P(y) ∝ exp(−|y|·s/t), i.e. scale t/s.
    public static func laplace<R: RandomNumberGenerator>(scaleNumerator t: Int, scaleDenominator s: Int, using rng: inout R) -> Int {
        guard t > 0, s > 0 else { return 0 }
        while true {
            let u = Int.random(in: 0..<t, using: &rng)
            guard ExactBernoulli.expMinus(u, t, using: &rng) else { continue }
            var v = 0
            while ExactBernoulli.expMinus(1, 1, using: &rng) { v += 1 }
            let (tv, o1) = t.multipliedReportingOverflow(by: v)
            let (x, o2) = u.addingReportingOverflow(tv)
            if o1 || o2 { continue }
            let y = x / s
            let negative = ExactBernoulli.trial(1, 2, using: &rng)
            if negative && y == 0 { continue }
            return negative ? -y : y
        }
    }

    /// Discrete Gaussian: P(y) ∝ exp(−y²/(2σ²)) with σ² = p/q.
    public static func gaussian<R: RandomNumberGenerator>(varianceNumerator p0: Int, varianceDenominator q0: Int, using rng: inout R) -> Int {
        guard p0 > 0, q0 > 0 else { return 0 }
        let g = gcd(p0, q0)
        let p = p0 / g, q = q0 / g
        // t = ⌊σ⌋ + 1, with ⌊σ⌋ the largest a such that a²·q ≤ p.
        var a = 0
        while true {
            let (sq, o1) = (a + 1).multipliedReportingOverflow(by: a + 1)
            let (v, o2) = sq.multipliedReportingOverflow(by: q)
            if o1 || o2 || v > p { break }
            a += 1
        }
        let t = a + 1
        while true {
            let y = laplace(scaleNumerator: t, scaleDenominator: 1, using: &rng)
            // Accept with probability exp(−(|y| − σ²/t)² / (2σ²)) = exp(−(|y|qt − p)² / (2pqt²)).
            let (yq, o1) = abs(y).multipliedReportingOverflow(by: q)
            let (yqt, o2) = yq.multipliedReportingOverflow(by: t)
            let diff = yqt - p
            let (num, o3) = diff.multipliedReportingOverflow(by: diff)
            let (pq, o4) = (2 * p).multipliedReportingOverflow(by: q)
            let (tt, o5) = t.multipliedReportingOverflow(by: t)
            let (den, o6) = pq.multipliedReportingOverflow(by: tt)
            // Overflow only happens for |y| so large that acceptance is below 2^-60: reject.
            if o1 || o2 || o3 || o4 || o5 || o6 { continue }
            let h = gcd(num, den)
            if ExactBernoulli.expMinus(num / max(h, 1), den / max(h, 1), using: &rng) { return y }
        }
    }
}

/// A small seedable generator (SplitMix64) for tests and reproducible demos. Not for real
/// releases: use `SystemRandomNumberGenerator` there.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
