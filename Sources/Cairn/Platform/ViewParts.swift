/// Small view-model parts every capability's pages use.

/// An option in a `<select>` or a checkbox in a group.
struct Choice: Sendable {
    let value: String
    let label: String
    let selected: Bool
    var hint: String = ""
}

/// One labelled line of a summary list ("Received: 6 December 2026 at 12:33am").
struct Line: Sendable {
    let label: String
    let value: String
}
