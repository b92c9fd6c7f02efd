import Foundation

/// The languages the public "report a concern" pages are offered in.
///
/// The raw value is the BCP 47 code used for `?lang=`, `<html lang>` and the remembered choice.
public enum PublicLanguage: String, CaseIterable, Sendable, Codable {
    case en, sq, vi, ro, pl, ar, ti

    /// The language's name in itself, for the language chooser.
    public var nativeName: String {
        switch self {
        case .en: "English"
        case .sq: "Shqip"
        case .vi: "Tiếng Việt"
        case .ro: "Română"
        case .pl: "Polski"
        case .ar: "العربية"
        case .ti: "ትግርኛ"
        }
    }

    /// The language's name in English, for staff and logs.
    public var englishName: String {
        switch self {
        case .en: "English"
        case .sq: "Albanian"
        case .vi: "Vietnamese"
        case .ro: "Romanian"
        case .pl: "Polish"
        case .ar: "Arabic"
        case .ti: "Tigrinya"
        }
    }

    /// True only for scripts written right to left (Arabic).
    public var isRightToLeft: Bool { self == .ar }

    /// The value for the HTML `dir` attribute.
    public var direction: String { isRightToLeft ? "rtl" : "ltr" }

    /// Reads a code as people or browsers send it: `"AR"`, `" sq "`, `"pl-PL"`, `"ti_ER"`.
    /// Returns nil for a language the pages are not offered in.
    public init?(code: String) {
        let trimmed = code.trimmingWhitespace().lowercased()
        let primary = trimmed.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? trimmed
        guard let language = PublicLanguage(rawValue: primary) else { return nil }
        self = language
    }
}

/// All text of the public report pages (`/report`, `/report/status`), in every `PublicLanguage`.
///
/// The strings live in one Swift file per language (`PublicReportText+xx.swift`) so no package
/// resources are needed. English is the reference: every language has exactly its keys and the same
/// `{placeholder}` names (enforced by `PublicReportTextTests`).
public struct PublicReportText: Sendable {
    private init() {}

    /// The whole catalogue for one language, key → text.
    public static func catalogue(for language: PublicLanguage) -> [String: String] {
        switch language {
        case .en: english
        case .sq: albanian
        case .vi: vietnamese
        case .ro: romanian
        case .pl: polish
        case .ar: arabic
        case .ti: tigrinya
        }
    }

    /// The text for `key` in `language`; English if the language lacks the key (the tests forbid
    /// that), and the key itself if even English lacks it, so a typo shows up on the page.
    public static func text(_ key: String, in language: PublicLanguage) -> String {
        if let value = catalogue(for: language)[key], !value.isEmpty { return value }
        return english[key] ?? key
    }

    /// Every key, taken from the English catalogue, sorted.
    public static var keys: [String] { english.keys.sorted() }

    /// The text for `key` with each `{name}` replaced by `values["name"]`.
    /// Placeholders without a value are left as they are; values are inserted literally
    /// (a value containing `{other}` is not substituted again).
    public static func format(_ key: String, in language: PublicLanguage, values: [String: String]) -> String {
        substitute(text(key, in: language), values: values)
    }

    /// Replaces `{name}` placeholders in `template` in a single left-to-right pass.
    public static func substitute(_ template: String, values: [String: String]) -> String {
        var result = ""
        scan(template) { literal, name in
            result += name.flatMap { values[$0] } ?? String(literal)
        }
        return result
    }

    /// The placeholder names (without braces) used in `text`, e.g. `["max"]` for "… {max} characters".
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        scan(text) { _, name in if let name { names.append(name) } }
        return names.sorted()
    }

    /// Walks `text` left to right, handing over each piece: plain text with a nil name, or a
    /// `{name}` placeholder (its literal text and its name). Braces that do not enclose a
    /// placeholder name (e.g. "{ y }") are plain text.
    private static func scan(_ text: String, _ piece: (_ literal: Substring, _ name: String?) -> Void) {
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let name = String(rest[afterOpen..<close])
            if isPlaceholderName(name) {
                piece(rest[..<open], nil)
                piece(rest[open...close], name)
                rest = rest[rest.index(after: close)...]
            } else {
                piece(rest[..<afterOpen], nil)
                rest = rest[afterOpen...]
            }
        }
        piece(rest, nil)
    }

    private static func isPlaceholderName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
