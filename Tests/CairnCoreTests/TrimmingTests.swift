import Foundation
import Testing

@testable import CairnCore

@Suite struct TrimmingTests {
    /// Every Unicode White_Space character, and some that are not.
    static let whitespace: [Unicode.Scalar] = [
        "\u{09}", "\u{0A}", "\u{0B}", "\u{0C}", "\u{0D}", "\u{20}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2005}", "\u{200A}",
        "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}",
    ]

    @Test func trimmingWhitespaceMatchesFoundation() {
        var samples = ["", " ", "a", " a ", "\n\t report \r\n", "inner  space stays", "\u{200B}zero width is not space\u{200B}",
                       "e\u{301} ", " \u{301}combining after a space", "مرحبا ", " ሰላም", "\u{FEFF}bom"]
        for scalar in Self.whitespace {
            let s = String(Character(scalar))
            samples += [s, s + "x", "x" + s, s + "x" + s + "y" + s, s + s]
        }
        for sample in samples {
            #expect(sample.trimmingWhitespace() == sample.trimmingCharacters(in: .whitespacesAndNewlines), "\(sample.unicodeScalars.map(\.value))")
        }
    }
}
