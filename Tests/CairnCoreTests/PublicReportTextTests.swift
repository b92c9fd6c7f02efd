import Foundation
import Testing
@testable import CairnCore

@Suite struct PublicReportTextTests {
    static let translations = PublicLanguage.allCases.filter { $0 != .en }

    /// Keys whose text must contain the helpline number, verbatim, in every language.
    static let helplineKeys = ["helpline.body", "rateLimit.message", "error.generic"]
    /// Keys whose text must contain "999", verbatim, in every language.
    static let emergencyKeys = ["report.emergency.title", "report.emergency.body", "confirmation.emergency.body", "page.footer"]

    @Test func englishIsACompleteReasonableCatalogue() {
        let keys = PublicReportText.keys
        #expect(keys == keys.sorted())
        #expect((250...320).contains(keys.count), "expected about 250–320 keys (the public form and the survivor's own view), found \(keys.count)")
        for key in keys {
            #expect(key.range(of: "^[a-z][a-zA-Z]*(\\.[a-z0-9][a-zA-Z0-9_]*)+$", options: .regularExpression) != nil, "bad key name \(key)")
        }
        for key in Self.helplineKeys + Self.emergencyKeys {
            #expect(keys.contains(key), "English lacks \(key)")
        }
    }

    @Test(arguments: PublicLanguage.allCases)
    func everyKeyIsPresentAndNotEmpty(_ language: PublicLanguage) {
        let catalogue = PublicReportText.catalogue(for: language)
        for key in PublicReportText.keys {
            let value = catalogue[key]
            #expect(value != nil, "\(language.rawValue) lacks \(key)")
            #expect(value?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == false, "\(language.rawValue) has empty \(key)")
        }
    }

    @Test(arguments: translations)
    func noLanguageHasAKeyEnglishLacks(_ language: PublicLanguage) {
        let extra = Set(PublicReportText.catalogue(for: language).keys).subtracting(PublicReportText.keys)
        #expect(extra.isEmpty, "\(language.rawValue) has keys English lacks: \(extra.sorted())")
    }

    @Test(arguments: translations)
    func placeholdersMatchEnglish(_ language: PublicLanguage) {
        let catalogue = PublicReportText.catalogue(for: language)
        for key in PublicReportText.keys {
            let english = PublicReportText.placeholders(in: PublicReportText.text(key, in: .en))
            let translated = PublicReportText.placeholders(in: catalogue[key] ?? "")
            #expect(translated == english, "\(language.rawValue) \(key): \(translated) ≠ \(english)")
        }
    }

    @Test(arguments: PublicLanguage.allCases)
    func bracesAreOnlyUsedForPlaceholders(_ language: PublicLanguage) {
        for (key, value) in PublicReportText.catalogue(for: language) {
            let braces = value.filter { $0 == "{" || $0 == "}" }.count
            #expect(braces == 2 * PublicReportText.placeholders(in: value).count, "\(language.rawValue) \(key) has a stray brace")
        }
    }

    @Test(arguments: translations)
    func translationsAreNotLeftInEnglish(_ language: PublicLanguage) {
        // Codes, numbers and examples may stay the same; sentences may not.
        let allowedSame: Set<String> = ["status.reference.hint", "report.danger.yes", "report.danger.no"]
        let catalogue = PublicReportText.catalogue(for: language)
        for key in PublicReportText.keys where !allowedSame.contains(key) {
            #expect(catalogue[key] != PublicReportText.text(key, in: .en), "\(language.rawValue) \(key) is still English")
        }
    }

    @Test(arguments: PublicLanguage.allCases)
    func helplineAnd999AppearVerbatim(_ language: PublicLanguage) {
        // Read the language's own catalogue, not `text`, so an English fallback cannot hide a gap.
        let catalogue = PublicReportText.catalogue(for: language)
        for key in Self.helplineKeys {
            #expect(catalogue[key]?.contains("08000 121 700") == true, "\(language.rawValue) \(key) lacks the helpline number")
        }
        for key in Self.emergencyKeys {
            #expect(catalogue[key]?.contains("999") == true, "\(language.rawValue) \(key) lacks 999")
        }
        #expect(PublicReportText.text("status.reference.hint", in: language).contains("CRN-7K4P-Q2"))
    }

    @Test func onlyArabicIsRightToLeft() {
        for language in PublicLanguage.allCases {
            #expect(language.isRightToLeft == (language == .ar))
            #expect(language.direction == (language == .ar ? "rtl" : "ltr"))
        }
    }

    @Test func languageNames() {
        #expect(PublicLanguage.allCases.map(\.rawValue) == ["en", "sq", "vi", "ro", "pl", "ar", "ti"])
        #expect(PublicLanguage.sq.nativeName == "Shqip")
        #expect(PublicLanguage.vi.nativeName == "Tiếng Việt")
        #expect(PublicLanguage.ro.nativeName == "Română")
        #expect(PublicLanguage.pl.nativeName == "Polski")
        #expect(PublicLanguage.ar.nativeName == "العربية")
        #expect(PublicLanguage.ti.nativeName == "ትግርኛ")
        #expect(PublicLanguage.ti.englishName == "Tigrinya")
        #expect(Set(PublicLanguage.allCases.map(\.nativeName)).count == 7)
        #expect(PublicLanguage(code: " AR ") == .ar)
        #expect(PublicLanguage(code: "pl-PL") == .pl)
        #expect(PublicLanguage(code: "ti_ER") == .ti)
        #expect(PublicLanguage(code: "fr") == nil)
        #expect(PublicLanguage(code: "") == nil)
    }

    @Test func tigrinyaIsInGeezScriptAndArabicInArabicScript() {
        func share(_ language: PublicLanguage, _ range: ClosedRange<UInt32>) -> Double {
            let letters = PublicReportText.catalogue(for: language).values.joined().unicodeScalars.filter { $0.properties.isAlphabetic }
            return Double(letters.filter { range.contains($0.value) }.count) / Double(max(letters.count, 1))
        }
        #expect(share(.ti, 0x1200...0x139F) > 0.9)
        #expect(share(.ar, 0x0600...0x06FF) > 0.9)
    }

    @Test func formatSubstitutesPlaceholders() {
        #expect(PublicReportText.format("confirmation.reference", in: .en, values: ["reference": "CRN-7K4P-Q2"]) == "Your reference is CRN-7K4P-Q2.")
        #expect(PublicReportText.format("validation.description.tooLong", in: .en, values: ["max": "5000"]) == "Please shorten this to 5000 characters or fewer.")
        #expect(PublicReportText.format("rateLimit.message", in: .pl, values: ["minutes": "10"]).contains("10"))
        #expect(!PublicReportText.format("rateLimit.message", in: .ar, values: ["minutes": "10"]).contains("{"))
        // Missing values are left visible; values are not substituted again; stray braces survive.
        #expect(PublicReportText.substitute("{a} and {b}", values: ["a": "{b}"]) == "{b} and {b}")
        #expect(PublicReportText.substitute("x { y } {z", values: ["z": "1"]) == "x { y } {z")
        #expect(PublicReportText.substitute("{n}{n}", values: ["n": "7"]) == "77")
        #expect(PublicReportText.substitute("{ {n} }", values: ["n": "7"]) == "{ 7 }")
        #expect(PublicReportText.substitute("", values: [:]) == "")
        #expect(PublicReportText.placeholders(in: "{max} of {max}, {minutes} { x }") == ["max", "max", "minutes"])
    }

    @Test func textFallsBackToEnglishThenKey() {
        #expect(PublicReportText.text("report.danger.question", in: .en) == "Is anyone in immediate danger right now?")
        #expect(PublicReportText.text("no.such.key", in: .sq) == "no.such.key")
    }
}
