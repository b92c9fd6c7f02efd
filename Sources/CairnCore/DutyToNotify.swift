import Foundation

/// Where the exploitation happened, as the notification asks.
public enum ExploitationLocation: String, Codable, CaseIterable, Sendable {
    case uk, overseas, both, unknown
}

/// Broad age bands, so the notification carries no date of birth.
public enum AgeBand: String, Codable, CaseIterable, Sendable {
    case age18to24 = "18_24"
    case age25to34 = "25_34"
    case age35to44 = "35_44"
    case age45to54 = "45_54"
    case age55to64 = "55_64"
    case age65plus = "65_plus"
    case unknown
}

public enum NotifiedGender: String, Codable, CaseIterable, Sendable {
    case female, male, other, unknown
}

/// An anonymous Duty to Notify (MSA 2015 s.52) about an adult who did not consent to an NRM referral.
///
/// s.52(3): the notice may not identify the person or include information that enables
/// identification. This type therefore has no field for a name, date of birth, address,
/// contact detail or case link; the only free text, `account`, is screened by
/// `IdentifierScreen` and the initialiser refuses text that fails it.
public struct DutyToNotifyRecord: Hashable, Sendable {
    public let notifyingAgencyType: AgencyType
    public let notifiedOn: CalendarDate
    public let exploitationTypes: Set<ExploitationType>
    public let countyLines: Bool
    public let location: ExploitationLocation
    public let gender: NotifiedGender
    public let ageBand: AgeBand
    /// ISO 3166-1 alpha-2 country code of nationality, or nil when unknown.
    public let nationality: String?
    /// Catalogue ids of the indicators seen, never a description of the person.
    public let indicatorIDs: [String]
    public let account: String

    /// - Parameter namesToExclude: every name, alias and nickname of the person known to the
    ///   notifier; the account is refused if it contains any of them.
    public init(
        notifyingAgencyType: AgencyType, notifiedOn: CalendarDate, exploitationTypes: Set<ExploitationType>,
        countyLines: Bool = false, location: ExploitationLocation, gender: NotifiedGender, ageBand: AgeBand,
        nationality: String?, indicatorIDs: [String] = [], account: String, namesToExclude: [String]
    ) throws(ValidationFailure) {
        self.notifyingAgencyType = notifyingAgencyType
        self.notifiedOn = notifiedOn
        self.exploitationTypes = exploitationTypes
        self.countyLines = countyLines
        self.location = location
        self.gender = gender
        self.ageBand = ageBand
        self.nationality = nationality?.uppercased()
        self.indicatorIDs = indicatorIDs
        self.account = account
        let issues = validate(namesToExclude: namesToExclude)
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }

    public func validate(namesToExclude: [String]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if exploitationTypes.isEmpty {
            issues.append(.init(field: "exploitationTypes", message: "Choose at least one type of exploitation, or “not known”."))
        }
        if countyLines && !exploitationTypes.contains(.criminal) {
            issues.append(.init(field: "countyLines", message: "County lines is a kind of criminal exploitation; tick criminal exploitation too."))
        }
        if let code = nationality, !(code.count == 2 && code.allSatisfy { $0.isASCII && $0.isLetter }) {
            issues.append(.init(field: "nationality", message: "Give nationality as a two-letter country code, for example PL or VN."))
        }
        let findings = IdentifierScreen.findings(in: account, names: namesToExclude, referenceYear: notifiedOn.year)
        issues += findings.map { ValidationIssue(field: "account", message: $0.message) }
        return issues
    }
}

extension DutyToNotifyRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case notifyingAgencyType, notifiedOn, exploitationTypes, countyLines, location, gender, ageBand, nationality,
             indicatorIDs, account
    }

    /// Decoding screens the account again (without names, which are not stored), so a record
    /// edited outside Cairn cannot smuggle identifiers back in.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                notifyingAgencyType: c.decode(AgencyType.self, forKey: .notifyingAgencyType),
                notifiedOn: c.decode(CalendarDate.self, forKey: .notifiedOn),
                exploitationTypes: c.decode(Set<ExploitationType>.self, forKey: .exploitationTypes),
                countyLines: c.decode(Bool.self, forKey: .countyLines),
                location: c.decode(ExploitationLocation.self, forKey: .location),
                gender: c.decode(NotifiedGender.self, forKey: .gender),
                ageBand: c.decode(AgeBand.self, forKey: .ageBand),
                nationality: c.decodeIfPresent(String.self, forKey: .nationality),
                indicatorIDs: c.decode([String].self, forKey: .indicatorIDs),
                account: c.decode(String.self, forKey: .account),
                namesToExclude: [])
        } catch let failure as ValidationFailure {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: failure.description))
        }
    }
}

/// Finds obvious identifiers in free text that must stay anonymous.
///
/// A safety net, not a guarantee: it catches names the caller supplies, emails, phone
/// numbers, dates of birth and full UK postcodes. The messages never repeat the text found,
/// so they are safe to log or show on a shared screen.
public enum IdentifierScreen {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case name, email, phoneNumber = "phone_number", dateOfBirth = "date_of_birth", postcode
    }

    public struct Finding: Hashable, Sendable {
        public let kind: Kind
        /// Character offset of the match in the text, so a form can highlight it.
        public let offset: Int
        public let length: Int

        public var message: String {
            let what = switch kind {
            case .name: "a name of the person"
            case .email: "an email address"
            case .phoneNumber: "a phone number"
            case .dateOfBirth: "a date of birth"
            case .postcode: "a full postcode"
            }
            return "The text contains \(what) (at character \(offset + 1)). Remove it: a Duty to Notify must not identify the person (Modern Slavery Act 2015 s.52(3))."
        }
    }

    /// - Parameter referenceYear: the year the text is written; full dates 14 or more years
    ///   earlier are treated as birth dates, because events in an account are rarely that old.
    public static func findings(in text: String, names: [String], referenceYear: Int) -> [Finding] {
        var found: [(kind: Kind, range: Range<String.Index>)] = []
        for match in text.matches(of: #/[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+/#) {
            found.append((.email, match.range))
        }
        // Nine or more digits, allowing spaces, dashes, dots and brackets between them.
        for match in text.matches(of: #/\+?\(?\d(?:[\s\-.()]{0,2}\d){8,}/#) { found.append((.phoneNumber, match.range)) }
        for match in text.matches(of: #/(?i)\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b/#) {
            found.append((.postcode, match.range))
        }
        for range in dateOfBirthRanges(in: text, referenceYear: referenceYear) { found.append((.dateOfBirth, range)) }
        // A name inside an email address is reported once, as the email.
        for range in nameRanges(in: text, names: names) where !found.contains(where: { $0.range.overlaps(range) }) {
            found.append((.name, range))
        }
        return found.map {
            Finding(kind: $0.kind, offset: text.distance(from: text.startIndex, to: $0.range.lowerBound),
                    length: text.distance(from: $0.range.lowerBound, to: $0.range.upperBound))
        }
        .sorted { ($0.offset, $0.kind.rawValue) < ($1.offset, $1.kind.rawValue) }
    }

    private static func fold(_ s: Substring) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// Whole-word matches of any part (two letters or more) of any supplied name, ignoring
    /// case and accents, so "Ana" in "Ana Popescu" is found in "ana went…" and "Ána".
    private static func nameRanges(in text: String, names: [String]) -> [Range<String.Index>] {
        let parts = Set(names.flatMap { $0.split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "’" }) }
            .filter { $0.count >= 2 }.map(fold))
        guard !parts.isEmpty else { return [] }
        var ranges: [Range<String.Index>] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isLetter else { index = text.index(after: index); continue }
            var end = index
            while end < text.endIndex, text[end].isLetter || text[end] == "'" || text[end] == "’" {
                end = text.index(after: end)
            }
            if parts.contains(fold(text[index..<end])) { ranges.append(index..<end) }
            index = end
        }
        return ranges
    }

    private static func dateOfBirthRanges(in text: String, referenceYear: Int) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        // Any date after a birth keyword ("DOB", "d.o.b.", "born", "date of birth").
        let keyword = #/(?i)\b(d\.?o\.?b\.?|born|date of birth|birthday)[\s:,\-]*(on\s+)?(\d{1,2}(st|nd|rd|th)?[\s/.\-]+([a-z]+|\d{1,2})[\s/.\-]+\d{2,4}|\d{4}-\d{1,2}-\d{1,2})/#
        for match in text.matches(of: keyword) { ranges.append(match.range) }
        // Full dates whose year is long enough ago to be a birth year.
        let numeric = #/\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b/#
        for match in text.matches(of: numeric) {
            if let year = Int(match.output.3), referenceYear - year >= 14 { ranges.append(match.range) }
        }
        let iso = #/\b(\d{4})-(\d{2})-(\d{2})\b/#
        for match in text.matches(of: iso) {
            if let year = Int(match.output.1), referenceYear - year >= 14 { ranges.append(match.range) }
        }
        // A literal, checked when compiled: nothing here can fail at run time.
        let written = #/(?i)\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b/#
        for match in text.matches(of: written) {
            if let year = Int(match.output.3), referenceYear - year >= 14 { ranges.append(match.range) }
        }
        // One finding per place, even when two patterns overlap.
        var kept: [Range<String.Index>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !kept.contains(where: { $0.overlaps(range) }) {
            kept.append(range)
        }
        return kept
    }
}
