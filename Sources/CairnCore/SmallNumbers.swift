/// The small-numbers rule for figures that describe survivors (cases, NRM decisions, outcome
/// ratings, warning signs): a count from 1 to `threshold - 1` is not shown, so no one can be
/// picked out of a small group, and a rate, average or median needs at least `threshold`
/// people behind it. Counts of reports, referrals and links are not about survivors and are
/// shown as they are to signed-in users.
public enum SmallNumbers {
    public static let threshold = 5

    /// Whether a count must be hidden.
    public static func hides(count n: Int) -> Bool { n > 0 && n < threshold }

    /// Whether a figure computed over `n` people (a rate, a median) must be hidden.
    public static func hides(over n: Int) -> Bool { n < threshold }

    /// A count as shown: "fewer than 5" for a hidden one.
    public static func shown(_ n: Int) -> String { hides(count: n) ? "fewer than \(threshold)" : String(n) }
}
