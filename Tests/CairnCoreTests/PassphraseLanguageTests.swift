import Foundation
import Testing
@testable import CairnCore

/// Passphrases in the reporter's language: the lists, their strength, and what is compared.
@Suite struct PassphraseLanguageTests {
    static let ownLists: [PublicLanguage] = [.sq, .vi, .ro, .pl, .ar]

    @Test(arguments: PublicLanguage.allCases)
    func everyLanguageIsAtLeastAsStrongAsEnglish(_ language: PublicLanguage) {
        let list = Passphrase.words(for: language)
        #expect(Passphrase.bits(for: language) >= Passphrase.minimumBits, "\(language.rawValue): \(Passphrase.bits(for: language)) bits")
        // 320 English words, 4 of them: 33.3 bits.
        #expect(Passphrase.minimumBits > 33)
        var generator = SeededGenerator(seed: 5)
        let phrase = Passphrase.generate(in: language, using: &generator)
        #expect(phrase.words.count == Passphrase.wordCount(forListOf: list.count))
        #expect(phrase.words.allSatisfy(list.contains))
    }

    @Test(arguments: ownLists)
    func listsAreOwnWordsThatStayDistinctWhenTypedWithoutAccents(_ language: PublicLanguage) {
        let list = Passphrase.words(for: language)
        #expect(list != Passphrase.words, "\(language.rawValue) should have its own list")
        #expect(list.count >= 320, "\(language.rawValue): \(list.count) words, so 4 words would be weaker than English")
        #expect(Passphrase.wordCount(forListOf: list.count) == Passphrase.defaultWordCount)
        let folded = list.map(Passphrase.fold)
        #expect(Set(folded).count == list.count, "\(language.rawValue): words that fold to the same letters: \(Dictionary(grouping: list, by: Passphrase.fold).values.filter { $0.count > 1 })")
        for word in list {
            // One word: letters only, lower case, composed, and one token after normalising.
            #expect(!word.isEmpty && word.allSatisfy(\.isLetter), "\(language.rawValue): \(word)")
            #expect(word == word.lowercased() && word == word.precomposedStringWithCanonicalMapping, "\(language.rawValue): \(word)")
            #expect(Passphrase.normalise(word) == Passphrase.fold(word), "\(language.rawValue): \(word)")
        }
    }

    @Test func tigrinyaAndEnglishUseTheEnglishList() {
        #expect(Passphrase.words(for: .en) == Passphrase.words)
        #expect(Passphrase.words(for: .ti) == Passphrase.words)
    }

    @Test func typedWithoutAccentsOrInAnotherCaseItIsTheSamePassphrase() {
        #expect(Passphrase.normalise("Mèo-CHÓ  táo.đào") == Passphrase.normalise("meo cho tao dao"))
        #expect(Passphrase.normalise("łódka-jabłko") == "lodka-jablko")
        // Romanian ș with a comma below and ş with a cedilla; decomposed input.
        #expect(Passphrase.normalise("pișică") == Passphrase.normalise("pişică"))
        #expect(Passphrase.normalise("pisica") == Passphrase.normalise("pis\u{0326}ica\u{0306}"))
        #expect(Passphrase.normalise("Gështenjë çaj") == "geshtenje-caj")
        // Arabic: hamza seats, taa marbuta, alef maqsura, tatweel, harakat.
        #expect(Passphrase.normalise("أرنب-فراولة-مربى") == Passphrase.normalise("ارنب فراوله مربي"))
        #expect(Passphrase.normalise("قـهـوة") == Passphrase.normalise("قَهْوَه"))
        // English is what it always was, so passphrases given before still match.
        #expect(Passphrase.normalise("  Apple  Bread.candle\tDAISY ") == "apple-bread-candle-daisy")
        #expect(Passphrase.words.allSatisfy { Passphrase.fold($0) == $0 })
        // A different word is still different.
        #expect(Passphrase.normalise("mèo-chó") != Passphrase.normalise("mèo-cá"))
    }

    @Test func wordCountGrowsForShorterLists() {
        #expect(Passphrase.wordCount(forListOf: 320) == 4)
        #expect(Passphrase.wordCount(forListOf: 2000) == 4)
        #expect(Passphrase.wordCount(forListOf: 200) == 5)
        #expect(Passphrase.wordCount(forListOf: 50) == 6)
        #expect(Passphrase.wordCount(forListOf: 0) == 4)
    }
}
