import Foundation

/// Passphrases in the reporter's language, as strong as the English ones.
extension Passphrase {
    /// The words a passphrase for `language` is made of: the language's own list where there is
    /// one (`PassphraseWords+Languages.swift`), English otherwise (Tigrinya, see the README).
    public static func words(for language: PublicLanguage) -> [String] {
        switch language {
        case .en, .ti: words
        case .sq: albanianWords
        case .vi: vietnameseWords
        case .ro: romanianWords
        case .pl: polishWords
        case .ar: arabicWords
        }
    }

    /// The entropy of an English passphrase of `defaultWordCount` words, in bits: the least a
    /// passphrase in any language may have.
    public static var minimumBits: Double { Double(defaultWordCount) * log2(Double(words.count)) }

    /// How many words from a list of `listSize` give at least `minimumBits`: 4 for a list as long
    /// as the English one, more for a shorter one.
    public static func wordCount(forListOf listSize: Int) -> Int {
        guard listSize > 1 else { return defaultWordCount }
        let perWord = log2(Double(listSize))
        return max(defaultWordCount, Int((minimumBits / perWord).rounded(.up)))
    }

    /// The entropy, in bits, of a passphrase for `language`.
    public static func bits(for language: PublicLanguage) -> Double {
        let list = words(for: language)
        return Double(wordCount(forListOf: list.count)) * log2(Double(list.count))
    }

    /// A passphrase of words in `language`, uniformly chosen.
    public static func generate(in language: PublicLanguage, using generator: inout some RandomNumberGenerator) -> Passphrase {
        let list = words(for: language)
        let count = wordCount(forListOf: list.count)
        return Passphrase(words: (0..<count).map { _ in list.randomElement(using: &generator) ?? "cairn" })
    }

    /// What is compared of a typed passphrase: lower case, with what people often leave out when
    /// their keyboard lacks it taken away: accents and tone marks (every combining mark: "mèo" →
    /// "meo", "ș" → "s"), the letters that do not decompose (ł → l, đ → d), hamza seats and
    /// Arabic spelling variants (أ/إ/آ → ا, ة → ه, ى → ي, Persian yeh and kaf, tatweel dropped). Word lists are checked
    /// to stay distinct after folding, so this costs no entropy.
    public static func fold(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark: continue
            default: break
            }
            switch scalar.value {
            case 0x0142: folded.append("l")                    // ł
            case 0x0111: folded.append("d")                    // đ
            case 0x0629: folded.append("\u{0647}")             // ة → ه
            case 0x0649, 0x06CC: folded.append("\u{064A}")     // ى and Persian yeh → ي
            case 0x06A9: folded.append("\u{0643}")             // Persian kaf → ك
            case 0x0640: continue                              // tatweel
            default: folded.append(scalar)
            }
        }
        return String(folded).precomposedStringWithCanonicalMapping
    }
}
