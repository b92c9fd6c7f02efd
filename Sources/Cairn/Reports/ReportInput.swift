import CairnCore
import Crypto
import Foundation
import Linkage

/// A report as submitted, from any of the four doors (public web form, public API,
/// practitioner web form, practitioner API). Everything is text as received; `validate` turns
/// it into a `ValidReport` or a list of problems in the reporter's language.
struct ReportInput: Sendable, Codable {
    struct Person: Sendable, Codable, Hashable {
        var name = ""
        var aliases = ""
        var dateOfBirth = ""
        var age = ""
        var nationality = ""
    }

    struct Address: Sendable, Codable, Hashable {
        var line = ""
        var postcode = ""
    }

    struct IndicatorTick: Sendable, Codable, Hashable {
        var id: String
        var knowledge: String
    }

    var language = "en"
    /// nil when the question was not answered (the web form requires an answer).
    var dangerNow: Bool?
    var description = ""
    var location = ""
    var postcode = ""
    var occurred = ""
    var people = ""
    var vehicles = ""
    var phones = ""
    var businesses = ""
    var websites = ""
    /// `ReporterType` raw value; empty when not answered.
    var reporterType = ""
    var anonymous = true
    var contactName = ""
    var contactPhone = ""
    var contactEmail = ""
    var contactBestTime = ""
    var contactConsent = false
    /// Hidden from people; bots fill it.
    var honeypot = ""
    /// An awareness campaign's code (`/report?c=CODE`): kept only when it names a campaign
    /// (`CampaignCodes`); public form only.
    var campaignCode = ""

    // Practitioner reports classify as they record.
    var exploitationTypes: [String] = []
    var countyLines = false
    var ageGroup = ""
    var labourSector = ""
    var indicators: [IndicatorTick] = []
    var persons: [Person] = []
    var addresses: [Address] = []

    /// Identifies the content, so a replayed submission can be told from a different one.
    var fingerprint: String {
        var copy = self
        copy.honeypot = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(copy)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// One problem with a submitted report, in words the reporter understands.
struct ReportIssue: Sendable, Equatable {
    var field: String
    /// A `PublicReportText` key, for problems the public form can have.
    var key: String?
    var values: [String: String] = [:]
    /// Placeholders filled with another text of the catalogue, in the reporter's language
    /// (`question` → the question's own text, so the message names the question).
    var textValues: [String: String] = [:]
    /// Practitioner-only problems are in English.
    var english: String

    init(_ field: String, key: String, values: [String: String] = [:], textValues: [String: String] = [:]) {
        self.field = field
        self.key = key
        self.values = values
        self.textValues = textValues
        self.english = ""
        self.english = message(in: .en)
    }

    /// "Please choose one option." for a question, named: "Which best describes you? Please choose one option."
    static func choiceRequired(_ field: String, question: String) -> ReportIssue {
        ReportIssue(field, key: "validation.choice.required", textValues: ["question": question])
    }

    init(_ field: String, english: String) {
        self.field = field
        self.english = english
    }

    func message(in language: PublicLanguage) -> String {
        guard let key else { return english }
        var all = values
        for (name, textKey) in textValues { all[name] = PublicReportText.text(textKey, in: language) }
        return PublicReportText.format(key, in: language, values: all)
    }
}

/// Validation failed: the problems and the language to tell them in.
struct ReportIssues: Error, Sendable {
    var issues: [ReportIssue]
    var language: PublicLanguage

    var fieldErrors: [AppError.FieldError] { issues.map { .init($0.field, $0.message(in: language)) } }
    /// 422 with every problem named, and a summary in the reporter's language.
    var appError: AppError {
        AppError(.unprocessableContent, title: "Invalid input", PublicReportText.text("validation.summary", in: language), fieldErrors: fieldErrors)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
