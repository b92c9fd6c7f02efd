import Foundation
import Testing
@testable import CairnCore

@Suite struct ReportReferenceTests {
    @Test func generatedReferencesLookRightAndAreRepeatableFromASeed() throws {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        let first = ReportReference.generate(using: &a)
        #expect(first == ReportReference.generate(using: &b))
        #expect(first.value.range(of: "^CRN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$", options: .regularExpression) != nil)
        var many = SeededGenerator(seed: 7)
        let refs = (0..<2000).map { _ in ReportReference.generate(using: &many).value }
        #expect(Set(refs).count > 1990)
        #expect(refs.allSatisfy { !$0.dropFirst(4).contains(where: { "0O1ILU".contains($0) }) })
    }

    @Test func parsesWhatPeopleType() throws {
        var g = SeededGenerator(seed: 1)
        for _ in 0..<200 {
            let ref = ReportReference.generate(using: &g)
            let bare = ref.value.replacingOccurrences(of: "-", with: "")
            #expect(try ReportReference(parsing: ref.value) == ref)
            #expect(try ReportReference(parsing: ref.value.lowercased()) == ref)
            #expect(try ReportReference(parsing: bare) == ref)
            #expect(try ReportReference(parsing: String(bare.dropFirst(3))) == ref)
            #expect(try ReportReference(parsing: " crn " + bare.dropFirst(3).map(String.init).joined(separator: " ")) == ref)
        }
    }

    @Test func everySingleWrongCharacterIsCaught() throws {
        var g = SeededGenerator(seed: 3)
        var missed: [String] = []
        for _ in 0..<40 {
            let chars = Array(ReportReference.generate(using: &g).value.replacingOccurrences(of: "-", with: "").dropFirst(3))
            for position in chars.indices {
                for replacement in ReportReference.alphabet where replacement != chars[position] {
                    var typo = chars
                    typo[position] = replacement
                    if ReportReference.isValid(typo) { missed.append(String(typo)) }
                }
            }
        }
        #expect(missed.isEmpty)
        #expect(throws: ReportReferenceError.checkFailed) { try ReportReference(parsing: "CRN-2222-23") }
    }

    @Test func mostNeighbourSwapsAreCaught() {
        var g = SeededGenerator(seed: 4)
        var swaps = 0, caught = 0
        for _ in 0..<200 {
            let chars = Array(ReportReference.generate(using: &g).value.replacingOccurrences(of: "-", with: "").dropFirst(3))
            for i in 0..<(chars.count - 1) where chars[i] != chars[i + 1] {
                var swapped = chars
                swapped.swapAt(i, i + 1)
                swaps += 1
                if !ReportReference.isValid(swapped) { caught += 1 }
            }
        }
        #expect(Double(caught) / Double(swaps) > 0.9)
    }

    @Test func confusableCharactersAreResolvedByTheCheckCharacter() throws {
        var g = SeededGenerator(seed: 9)
        var resolved = 0
        for _ in 0..<300 {
            let ref = ReportReference.generate(using: &g)
            let payload = Array(ref.value.replacingOccurrences(of: "-", with: "").dropFirst(3))
            guard let index = payload.firstIndex(where: { "DQ7JTV".contains($0) }) else { continue }
            var typed = payload
            typed[index] = switch payload[index] { case "D", "Q": "O"; case "V": "U"; default: "l" }
            do {
                #expect(try ReportReference(parsing: String(typed)) == ref)
                resolved += 1
            } catch {
                // Two readings can both pass the check; then we must say so rather than guess.
                #expect(error == .ambiguous)
            }
        }
        #expect(resolved > 50)
    }

    @Test func clearErrors() {
        #expect(throws: ReportReferenceError.wrongLength) { try ReportReference(parsing: "CRN-7K4P") }
        #expect(throws: ReportReferenceError.invalidCharacter(position: 3)) { try ReportReference(parsing: "7K?PQ2") }
        #expect(ReportReferenceError.checkFailed.description.contains("mistake"))
    }

    @Test func codesAsItsString() throws {
        var g = SeededGenerator(seed: 5)
        let ref = ReportReference.generate(using: &g)
        let data = try JSONEncoder().encode(ref)
        #expect(String(decoding: data, as: UTF8.self) == "\"\(ref.value)\"")
        #expect(try JSONDecoder().decode(ReportReference.self, from: data) == ref)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ReportReference.self, from: Data("\"CRN-2222-23\"".utf8)) }
    }
}

@Suite struct PassphraseTests {
    @Test func wordListIsLargePlainAndUnique() {
        #expect(Passphrase.words.count >= 256)
        #expect(Set(Passphrase.words).count == Passphrase.words.count)
        #expect(Passphrase.words.allSatisfy { (3...8).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isLowercase } })
    }

    @Test func generatedFromTheSuppliedGenerator() {
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11), c = SeededGenerator(seed: 12)
        let phrase = Passphrase.generate(using: &a)
        #expect(phrase == Passphrase.generate(using: &b))
        #expect(phrase != Passphrase.generate(using: &c))
        #expect(phrase.words.count == 4)
        #expect(phrase.description.split(separator: "-").count == 4)
        #expect(Passphrase.generate(wordCount: 6, using: &a).words.count == 6)
    }

    @Test func normalisesWhatPeopleType() {
        #expect(Passphrase.normalise("  Apple  Bread.candle\tDAISY ") == "apple-bread-candle-daisy")
        #expect(Passphrase.normalise("apple-bread-candle-daisy") == "apple-bread-candle-daisy")
    }
}
