// What an attacker knows: published figures as intervals on sums of atoms.

/// A published figure: the sum of `atoms` lies in low...high.
public struct Figure: Sendable, Hashable {
    public let atoms: [Int]
    public let low: Int
    public let high: Int
    /// Words for people, e.g. "'Total' in 2026-Q1".
    public let label: String

    public init(atoms: [Int], low: Int, high: Int, label: String = "") {
        self.atoms = atoms
        self.low = low
        self.high = high
        self.label = label
    }

    /// A figure published exactly.
    public static func exact(atoms: [Int], value: Int, label: String = "") -> Figure {
        Figure(atoms: atoms, low: value, high: value, label: label)
    }

    /// A figure published as `value` after rounding to `base`, by a rule that hides every count
    /// in 1..k−1: the rounding interval [v − ⌊b/2⌋, v + ⌊(b−1)/2⌋] clipped at 0, then narrowed
    /// by what the rule tells an attacker (a published count is 0 or at least k).
    public static func published(atoms: [Int], value: Int, base: Int, k: Int, label: String = "") -> Figure {
        let b = min(max(base, 1), 1_000_000)
        let value = min(max(value, 0), 1_000_000_000_000)
        var low = max(value - b / 2, 0)
        let high = max(value + (b - 1) / 2, 0)
        if k > 1 {
            if low == 0 && high < k { return Figure(atoms: atoms, low: 0, high: 0, label: label) }
            if low > 0 && low < k && high >= k { low = k }
        }
        return Figure(atoms: atoms, low: low, high: high, label: label)
    }
}

extension Figure {
    /// The same figure about counts that have since moved by `drift` (late records,
    /// corrections): widened only the way they moved, since an attacker told that records were
    /// added knows the counts only grew (and one told of removals, that they only fell).
    public func moved(by drift: Int) -> Figure {
        Figure(atoms: atoms, low: max(0, low + min(drift, 0)), high: high + max(drift, 0), label: label)
    }
}

/// What an attacker can narrow a sum to.
public struct Interval: Sendable, Hashable, Codable {
    /// The least value consistent with everything published.
    public let low: Int
    /// The greatest; nil when nothing published bounds it.
    public let high: Int?
    /// False when the search hit its limit or the input was inconsistent: treat as unsafe.
    public let exact: Bool
    /// Which published figures pin it down, in plain words, when known.
    public var reason: String?

    public init(low: Int, high: Int?, exact: Bool, reason: String? = nil) {
        self.low = low
        self.high = high
        self.exact = exact
        self.reason = reason
    }

    /// Protected for threshold k: the attacker cannot rule out 0 nor k (next-wave §1.11).
    public func protects(k: Int) -> Bool {
        exact && low <= 0 && (high.map { $0 >= k } ?? true)
    }

    /// "0 to 12", "at least 3", "exactly 4".
    public var text: String {
        guard let h = high else { return "at least \(low)" }
        return h == low ? "exactly \(low)" : "\(low) to \(h)"
    }
}

/// Rounds a count to the nearest multiple of `base` (halves up); base 1 leaves it alone.
public func roundCount(_ value: Int, base: Int) -> Int {
    guard base > 1, value > 0 else { return max(value, 0) }
    let (v, o) = value.addingReportingOverflow(base / 2)
    return o ? (value / base) * base : (v / base) * base
}
