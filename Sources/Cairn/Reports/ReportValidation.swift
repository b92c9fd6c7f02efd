import CairnCore
import Crypto
import Foundation
import Linkage

/// A report that passed validation: typed values and the mentions to store.
struct ValidReport: Sendable {
    struct Mention: Sendable, Hashable {
        var kind: MentionKind
        var value: String
        var normalised: String?
        var aliases = ""
        var dateOfBirth = ""
        var age = ""
        var nationality = ""
        var postcode: String?
    }

    var source: ReportSource
    var language: PublicLanguage
    var dangerNow: Bool
    var description: String
    var location: String
    var postcode: Postcode?
    var occurred: String
    var people: String
    var vehicles: String
    var phones: String
    var businesses: String
    var websites: String
    var reporterType: ReporterType
    var anonymous: Bool
    var contactName: String?
    var contactPhone: String?
    var contactEmail: String?
    var contactBestTime: String?
    var classified: Bool
    var exploitation: ExploitationSummary
    var ageGroup: AgeGroup
    var labourSector: LabourSector?
    var indicators: [(indicator: Indicator, knowledge: IndicatorKnowledge)]
    var mentions: [Mention]

    func triageAnswers(catalogue: IndicatorCatalogue) -> TriageAnswers {
        TriageAnswers(dangerNow: dangerNow, ageGroup: ageGroup, exploitation: exploitation, labourSector: labourSector,
                      indicators: indicators.map { IndicatorObservation($0.indicator.id, $0.knowledge) },
                      catalogue: catalogue, area: postcode?.district)
    }
}

enum ReportValidation {
    static let maxDescription = 10_000
    static let maxFreeText = 2_000
    static let maxShort = 200
    static let maxItems = 50

    /// Checks every field and collects every problem, so the person fixes them in one go.
    static func validate(_ input: ReportInput, source: ReportSource, catalogue: IndicatorCatalogue,
                         requireFormAnswers: Bool, now: Date = Date()) -> Result<ValidReport, ReportIssues> {
        var issues: [ReportIssue] = []
        let language = PublicLanguage(code: input.language)
        if language == nil {
            issues.append(ReportIssue("language", english: "Language must be one of: \(PublicLanguage.allCases.map(\.rawValue).joined(separator: ", "))."))
        }
        if !input.honeypot.isEmpty {
            issues.append(ReportIssue("website_confirm", key: "report.honeypot.label"))
        }

        func text(_ value: String, field: String, max: Int, required: Bool = false) -> String {
            let cleaned = value.trimmingWhitespace()
            if required, cleaned.isEmpty {
                issues.append(ReportIssue(field, key: "validation.description.required"))
            } else if cleaned.utf8.count > max, cleaned.count > max {  // no more characters than bytes
                issues.append(ReportIssue(field, key: "validation.description.tooLong", values: ["max": String(max)]))
            } else if cleaned.unicodeScalars.contains(where: Validator.isDisallowedControl) {
                issues.append(ReportIssue(field, english: "This field contains control characters; remove them and try again."))
            }
            return cleaned
        }

        let description = text(input.description, field: "description", max: maxDescription, required: true)
        let location = text(input.location, field: "location", max: 500)
        let occurred = text(input.occurred, field: "occurred", max: maxShort)
        let people = text(input.people, field: "people", max: 5_000)
        let vehicles = text(input.vehicles, field: "vehicles", max: maxFreeText)
        let phones = text(input.phones, field: "phones", max: maxFreeText)
        let businesses = text(input.businesses, field: "businesses", max: maxFreeText)
        let websites = text(input.websites, field: "websites", max: maxFreeText)

        var postcode: Postcode?
        let postcodeText = input.postcode.trimmingWhitespace()
        if !postcodeText.isEmpty {
            postcode = PostcodeNormaliser.parse(postcodeText)
            if postcode == nil { issues.append(ReportIssue("postcode", key: "validation.postcode.invalid")) }
        } else if let found = findPostcode(in: location) {
            postcode = found
        }

        var dangerNow = input.dangerNow ?? false
        if input.dangerNow == nil {
            if requireFormAnswers { issues.append(.choiceRequired("dangerNow", question: "report.danger.question")) }
            dangerNow = false
        }

        var reporterType = source == .practitioner ? ReporterType.practitioner : .memberOfPublic
        if !input.reporterType.isEmpty {
            if let parsed = ReporterType(rawValue: input.reporterType) { reporterType = parsed } else {
                issues.append(.choiceRequired("reporterType", question: "report.reporter.label"))
            }
        } else if requireFormAnswers, source == .public {
            issues.append(.choiceRequired("reporterType", question: "report.reporter.label"))
        }

        // Contact details only when the reporter chose to give them, and agreed to be contacted.
        var contactName: String?, contactPhone: String?, contactEmail: String?, contactBest: String?
        let anonymous = input.anonymous
        if !anonymous {
            contactName = text(input.contactName, field: "contactName", max: maxShort)
            let phone = text(input.contactPhone, field: "contactPhone", max: 40)
            let email = text(input.contactEmail, field: "contactEmail", max: 254)
            contactBest = text(input.contactBestTime, field: "contactBestTime", max: maxShort)
            if !phone.isEmpty {
                if PhoneNormaliser.e164(phone) == nil { issues.append(ReportIssue("contactPhone", key: "validation.phone.invalid")) }
                contactPhone = phone
            }
            if !email.isEmpty {
                if !AccountService.isPlausibleEmail(email) { issues.append(ReportIssue("contactEmail", key: "validation.email.invalid")) }
                contactEmail = email
            }
            if phone.isEmpty, email.isEmpty, source == .public {
                issues.append(ReportIssue("contactPhone", key: "validation.contact.required"))
            }
            if source == .public, !input.contactConsent {
                issues.append(ReportIssue("contactConsent", key: "validation.consent.required"))
            }
            contactName = contactName?.isEmpty == true ? nil : contactName
            contactBest = contactBest?.isEmpty == true ? nil : contactBest
        }

        // Mentions: what linkage works on, one per item.
        var mentions: [ValidReport.Mention] = []
        for item in items(phones) {
            if let e164 = PhoneNormaliser.e164(item) {
                mentions.append(.init(kind: .phone, value: item, normalised: e164))
            } else {
                issues.append(ReportIssue("phones", key: "validation.phone.invalid"))
                break
            }
        }
        for item in items(vehicles) {
            mentions.append(.init(kind: .vehicle, value: item, normalised: VehicleNormaliser.normalise(item)))
        }
        for item in items(businesses) {
            mentions.append(.init(kind: .business, value: item, normalised: BusinessNormaliser.normalise(item)))
        }
        for item in items(websites) {
            mentions.append(onlineMention(item))
        }
        if let postcode, !location.isEmpty || !postcodeText.isEmpty {
            let line = location.isEmpty ? postcode.full : location
            mentions.append(.init(kind: .address, value: line, normalised: AddressNormaliser.parse(line).key.nilIfEmpty, postcode: postcode.full))
        }

        // Practitioner classification.
        var classified = false
        var exploitation = ExploitationSummary(types: [.notKnown])
        var ageGroup = AgeGroup.unknown
        var labourSector: LabourSector?
        var ticks: [(indicator: Indicator, knowledge: IndicatorKnowledge)] = []
        if source == .practitioner || !input.exploitationTypes.isEmpty || !input.ageGroup.isEmpty || !input.indicators.isEmpty {
            classified = source == .practitioner
            var types = Set<ExploitationType>()
            for raw in input.exploitationTypes {
                if let type = ExploitationType(rawValue: raw) { types.insert(type) } else {
                    issues.append(ReportIssue("exploitationTypes", english: "Unknown type of exploitation “\(raw.prefix(40))”."))
                }
            }
            if source == .public, types.isEmpty { types = [.notKnown] }
            exploitation = ExploitationSummary(types: types, countyLines: input.countyLines)
            for problem in exploitation.validate() { issues.append(ReportIssue(problem.field, english: problem.message)) }
            if input.ageGroup.isEmpty {
                if source == .practitioner { issues.append(ReportIssue("ageGroup", english: "Choose whether the person is an adult, a child, possibly a child, or not known.")) }
            } else if let age = AgeGroup(rawValue: input.ageGroup) {
                ageGroup = age
            } else {
                issues.append(ReportIssue("ageGroup", english: "Age group must be one of: \(AgeGroup.allCases.map(\.rawValue).joined(separator: ", "))."))
            }
            if !input.labourSector.isEmpty {
                if let sector = LabourSector(rawValue: input.labourSector) { labourSector = sector } else {
                    issues.append(ReportIssue("labourSector", english: "Unknown labour sector “\(input.labourSector.prefix(40))”."))
                }
            }
            var seen = Set<String>()
            for tick in input.indicators {
                guard let indicator = catalogue.indicator(id: tick.id), !indicator.retired else {
                    issues.append(ReportIssue("indicators", english: "“\(tick.id.prefix(60))” is not a current indicator."))
                    continue
                }
                guard let knowledge = IndicatorKnowledge(rawValue: tick.knowledge) else {
                    issues.append(ReportIssue("indicators", english: "Say whether “\(indicator.text)” was observed or disclosed."))
                    continue
                }
                if seen.insert(indicator.id).inserted { ticks.append((indicator, knowledge)) }
            }
        }

        if input.persons.count > maxItems || input.addresses.count > maxItems {
            issues.append(ReportIssue("persons", english: "A report can hold at most \(maxItems) people and \(maxItems) addresses."))
        }
        let year = Calendar(identifier: .gregorian).component(.year, from: now)
        for (index, person) in input.persons.enumerated() {
            let field = "persons[\(index)]"
            let name = text(person.name, field: "\(field).name", max: maxShort)
            let aliases = text(person.aliases, field: "\(field).aliases", max: 500)
            let dob = text(person.dateOfBirth, field: "\(field).dateOfBirth", max: 40)
            let age = text(person.age, field: "\(field).age", max: 20)
            let nationality = text(person.nationality, field: "\(field).nationality", max: 100)
            if name.isEmpty, aliases.isEmpty, dob.isEmpty, age.isEmpty, nationality.isEmpty { continue }
            if name.isEmpty, aliases.isEmpty {
                issues.append(ReportIssue("\(field).name", english: "Give person \(index + 1)’s name or a name they use, or leave their row empty."))
                continue
            }
            var dobText = ""
            if !dob.isEmpty {
                let parsed = DateNormaliser.parse(dob, referenceYear: year)
                if !parsed.isKnown {
                    issues.append(ReportIssue("\(field).dateOfBirth", english: "Person \(index + 1)’s date of birth is not a date we can read; try 14/03/1990, March 1990 or 1990."))
                } else if Int(parsed.year) > year {
                    issues.append(ReportIssue("\(field).dateOfBirth", key: "validation.date.future"))
                } else {
                    dobText = parsed.text
                }
            }
            if !age.isEmpty, !(Int(age).map { (0...120).contains($0) } ?? false) {
                issues.append(ReportIssue("\(field).age", english: "Person \(index + 1)’s age must be a whole number of years from 0 to 120."))
            }
            let display = name.isEmpty ? aliases : name
            let split = NameNormaliser.split(fullName: display)
            mentions.append(.init(kind: .person, value: display,
                                  normalised: ([split.family] + split.given).filter { !$0.isEmpty }.joined(separator: " ").nilIfEmpty,
                                  aliases: aliases, dateOfBirth: dobText.isEmpty ? dob : dobText, age: age, nationality: nationality))
        }
        for (index, address) in input.addresses.enumerated() {
            let field = "addresses[\(index)]"
            let line = text(address.line, field: "\(field).line", max: 300)
            let code = address.postcode.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty, code.isEmpty { continue }
            var parsed: Postcode?
            if !code.isEmpty {
                parsed = PostcodeNormaliser.parse(code)
                if parsed == nil { issues.append(ReportIssue("\(field).postcode", key: "validation.postcode.invalid")) }
            }
            let key = AddressNormaliser.parse(line).key
            mentions.append(.init(kind: .address, value: line.isEmpty ? code : line, normalised: key.nilIfEmpty, postcode: parsed?.full))
            if postcode == nil { postcode = parsed }
        }
        if mentions.count > 200 {
            issues.append(ReportIssue("phones", english: "A report can list at most 200 people, places, phones and other details."))
        }

        guard issues.isEmpty, let language else { return .failure(ReportIssues(issues: issues, language: language ?? .en)) }
        return .success(ValidReport(
            source: source, language: language, dangerNow: dangerNow, description: description, location: location,
            postcode: postcode, occurred: occurred, people: people, vehicles: vehicles, phones: phones, businesses: businesses,
            websites: websites, reporterType: reporterType, anonymous: anonymous, contactName: contactName,
            contactPhone: contactPhone, contactEmail: contactEmail, contactBestTime: contactBest, classified: classified,
            exploitation: exploitation, ageGroup: ageGroup, labourSector: labourSector, indicators: ticks, mentions: mentions))
    }

    /// Splits a free-text list on new lines, commas and semicolons.
    static func items(_ text: String) -> [String] {
        Array(text.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == ";" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.prefix(maxItems))
    }

    static func onlineMention(_ item: String) -> ValidReport.Mention {
        if item.contains("@"), !item.hasPrefix("@"), let email = EmailNormaliser.normalise(item) {
            return .init(kind: .email, value: item, normalised: email)
        }
        if !item.hasPrefix("@"), item.contains("."), let url = URLNormaliser.normalise(item) {
            return .init(kind: .url, value: item, normalised: url)
        }
        return .init(kind: .username, value: item, normalised: UsernameNormaliser.normalise(item))
    }

    /// A postcode written inside a place description ("flat above the car wash, WM1 4AB").
    static func findPostcode(in text: String) -> Postcode? {
        let words = text.uppercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        guard words.count >= 2 else { return words.first.flatMap(PostcodeNormaliser.parse) }
        for i in 0..<(words.count - 1) where words[i + 1].count == 3 {
            if let postcode = PostcodeNormaliser.parse(words[i] + words[i + 1]), postcode.outward == words[i] { return postcode }
        }
        return nil
    }
}
