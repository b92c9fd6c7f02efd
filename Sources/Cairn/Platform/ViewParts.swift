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

/// The page that asks before a destructive or weighty change (`confirm.mustache`): what will
/// happen, the form's action, its button, and where "Cancel" goes.
struct ConfirmPage: Sendable {
    let heading: String
    let body: String
    let action: String
    let button: String
    let cancel: String
    let warning: Bool
}
