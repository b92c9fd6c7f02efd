import CairnCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Cairn

/// The public form in the reporter's language: passphrase words in that language that still
/// check the report's status, messages that name their question, and the confirmation's wording.
@Suite struct PublicPassphraseTests {
    /// The form sent as a reporter would, in `language`; the confirmation page's reference and passphrase.
    static func submit(_ browser: Browser, _ language: PublicLanguage, danger: Bool = false) async throws
        -> (page: TestResponse, reference: String, passphrase: String) {
        try await browser.get("/report?lang=\(language.rawValue)")
        let page = try await browser.post("/report", [("lang", language.rawValue), ("submission", UUID().uuidString),
                                                      ("dangerNow", danger ? "yes" : "no"), ("description", "Workers sleep at the car wash"),
                                                      ("reporterType", "member_of_public"), ("contact", "anonymous")])
        try #require(page.status == .created, "\(language.rawValue): \(page.status)")
        let reference = try #require(page.text.firstMatch(of: /id="reference">([^<]+)</)?.1)
        let passphrase = try #require(page.text.firstMatch(of: /id="passphrase">([^<]+)</)?.1)
        return (page, String(reference), String(passphrase))
    }

    /// The passphrase as someone without the language's keyboard types it: no accents or tone
    /// marks, l for ł, spaces between the words, in capitals where the script has them.
    static func typedPlainly(_ passphrase: String) -> String {
        Passphrase.fold(passphrase).replacingOccurrences(of: "-", with: " ").uppercased()
    }

    @Test func passphraseWordsAreInTheReportersLanguageAndCheckTheStatus() async throws {
        try await withEmptyReports { client, built in
            for language in PublicLanguage.allCases {
                let browser = Browser(client)
                let (_, reference, passphrase) = try await Self.submit(browser, language)
                let words = passphrase.split(separator: "-").map(String.init)
                let list = Passphrase.words(for: language)
                #expect(words.count == Passphrase.wordCount(forListOf: list.count), "\(language.rawValue): \(passphrase)")
                #expect(words.allSatisfy(list.contains), "\(language.rawValue): \(passphrase) is not from its list")
                if language != .en && language != .ti {
                    #expect(!words.allSatisfy(Passphrase.words.contains), "\(language.rawValue): \(passphrase) is English")
                }

                for typed in [passphrase, Self.typedPlainly(passphrase)] {
                    let checked = try await browser.post("/report/status", [("lang", language.rawValue), ("reference", reference), ("passphrase", typed)])
                    #expect(checked.status == .ok, "\(language.rawValue): \(typed)")
                    #expect(checked.text.contains(PublicReportText.text("status.received", in: language)))
                }
                // One word wrong (another word of the same list) finds nothing.
                let other = try #require(list.first { !words.contains($0) })
                let wrong = ([other] + words.dropFirst()).joined(separator: "-")
                let refused = try await browser.post("/report/status", [("lang", language.rawValue), ("reference", reference), ("passphrase", wrong)])
                #expect(refused.status == .notFound, "\(language.rawValue)")
            }
            #expect(try await reportCount(built) == PublicLanguage.allCases.count)
        }
    }

    @Test func theAPIGivesWordsInTheReportsLanguage() async throws {
        try await withEmptyReports { client, _ in
            let (reference, passphrase) = try await publicReport(client, #"{"description":"Nail bar staff never leave","language":"pl"}"#)
            #expect(passphrase.split(separator: "-").allSatisfy { Passphrase.words(for: .pl).contains(String($0)) }, "\(passphrase)")
            let status = try await send(client, .get, "/api/v1/public/reports/\(reference)",
                                        headers: ["Cairn-Passphrase": Self.typedPlainly(passphrase)])
            #expect(status.status == .ok)
        }
    }

    /// Arabic words do not fold to ASCII: a header carries them percent-encoded (UTF-8), as the
    /// OpenAPI runtime encodes and decodes header values.
    @Test func anArabicPassphraseWorksInTheAPIHeaderPercentEncoded() async throws {
        try await withEmptyReports { client, _ in
            let (reference, passphrase) = try await publicReport(client, #"{"description":"عمال ينامون في المغسلة","language":"ar"}"#)
            #expect(passphrase.split(separator: "-").allSatisfy { Passphrase.words(for: .ar).contains(String($0)) }, "\(passphrase)")
            let ascii = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
            let encoded = try #require(passphrase.addingPercentEncoding(withAllowedCharacters: ascii))
            #expect(encoded.allSatisfy { $0.isASCII })
            // The longest Arabic passphrase, percent-encoded, still fits the header's maxLength (200).
            let longest = Passphrase.words(for: .ar).map { $0.addingPercentEncoding(withAllowedCharacters: ascii)?.count ?? .max }.max() ?? .max
            #expect(longest * Passphrase.wordCount(forListOf: Passphrase.words(for: .ar).count) + 3 <= 200, "\(longest)")
            let status = try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": encoded])
            #expect(status.status == .ok)
            let wrong = try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": "%D8%A7" + encoded])
            #expect(wrong.status == .notFound)
        }
    }

    @Test func afterSayingSomeoneIsInDangerTheConfirmationDoesNotTalkOfTheFormStillToFill() async throws {
        try await withEmptyReports { client, _ in
            for language in PublicLanguage.allCases {
                let (page, _, _) = try await Self.submit(Browser(client), language, danger: true)
                #expect(page.text.contains(PublicReportText.text("report.emergency.title", in: language)))
                #expect(page.text.contains(PublicReportText.text("confirmation.emergency.body", in: language)), "\(language.rawValue)")
                #expect(!page.text.contains(PublicReportText.text("report.emergency.body", in: language)), "\(language.rawValue)")
            }
        }
    }

    @Test func aMissingChoiceNamesItsQuestionInEveryLanguage() async throws {
        try await withEmptyReports { client, built in
            for language in PublicLanguage.allCases {
                let browser = Browser(client)
                try await browser.get("/report?lang=\(language.rawValue)")
                let page = try await browser.post("/report", [("lang", language.rawValue), ("description", "Workers sleep at the car wash"),
                                                              ("contact", "anonymous")])
                #expect(page.status == .unprocessableContent)
                for question in ["report.danger.question", "report.reporter.label"] {
                    let named = PublicReportText.format("validation.choice.required", in: language,
                                                        values: ["question": PublicReportText.text(question, in: language)])
                    #expect(page.text.contains(named), "\(language.rawValue): \(question)")
                }
            }
            #expect(try await reportCount(built) == 0)
        }
    }
}
