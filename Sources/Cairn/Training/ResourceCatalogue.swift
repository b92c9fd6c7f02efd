import CairnCore
import Foundation

/// What a hub resource is.
enum ResourceKind: String, CaseIterable, Sendable {
    case leaflet, poster, guide, slides, other

    var label: String {
        switch self {
        case .leaflet: "Leaflet"
        case .poster: "Poster"
        case .guide: "Guide"
        case .slides: "Training slides"
        case .other: "Other"
        }
    }
}

/// Who may read a resource: everyone (the public page `/resources`), or signed-in partners.
enum ResourceVisibility: String, CaseIterable, Sendable {
    case `public`, partners

    var label: String {
        switch self {
        case .public: "Public"
        case .partners: "Partners only"
        }
    }
}

/// The languages a resource can be written in: the public form's seven first, then others
/// campaigns reach (codes as BCP 47 primary tags).
enum ResourceLanguage {
    static let names: [(code: String, name: String)] = [
        ("en", "English"), ("ar", "Arabic"), ("pl", "Polish"), ("ro", "Romanian"), ("sq", "Albanian"), ("ti", "Tigrinya"), ("vi", "Vietnamese"),
        ("bg", "Bulgarian"), ("cs", "Czech"), ("fa", "Persian"), ("fr", "French"), ("hu", "Hungarian"), ("ku", "Kurdish"), ("lt", "Lithuanian"),
        ("lv", "Latvian"), ("pa", "Punjabi"), ("pt", "Portuguese"), ("sk", "Slovak"), ("so", "Somali"), ("es", "Spanish"), ("uk", "Ukrainian"),
        ("ur", "Urdu"), ("zh", "Chinese"),
    ]

    static func name(_ code: String) -> String? { names.first { $0.code == code }?.name }

    /// The code as sent ("RO", " ro-RO ") if it is one of the list.
    static func code(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let primary = trimmed.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? trimmed
        return name(primary) == nil ? nil : primary
    }
}
