import Foundation

/// What a training course covers. Stored as its raw value.
public enum TrainingTopic: String, Codable, CaseIterable, Sendable {
    case spottingSigns = "spotting_signs"
    case howToReport = "how_to_report"
    case victimCare = "victim_care"
    case countyLines = "county_lines"
    case labourExploitation = "labour_exploitation"
    case sexualExploitation = "sexual_exploitation"
    case criminalExploitation = "criminal_exploitation"
    case domesticServitude = "domestic_servitude"
    case employmentRights = "employment_rights"
    case dutyToNotify = "duty_to_notify"

    public var label: String {
        switch self {
        case .spottingSigns: "Spotting the signs"
        case .howToReport: "How to report"
        case .victimCare: "Victim care and trauma-informed practice"
        case .countyLines: "County lines"
        case .labourExploitation: "Labour exploitation"
        case .sexualExploitation: "Sexual exploitation"
        case .criminalExploitation: "Criminal exploitation"
        case .domesticServitude: "Domestic servitude"
        case .employmentRights: "Employment rights"
        case .dutyToNotify: "Duty to Notify and the NRM"
        }
    }
}

/// Where the people trained (or a campaign's audience) work: the sectors most likely to meet
/// victims. Stored as its raw value. `agencyTypes` and `reporterTypes` say which partner
/// agencies and which reporters of a concern belong to a sector, for comparisons with reports.
public enum Sector: String, Codable, CaseIterable, Sendable {
    case hospitality
    case lettingHousing = "letting_housing"
    case primaryCare = "primary_care"
    case hospitals
    case jobcentre
    case police
    case council
    case fireRescue = "fire_rescue"
    case schools
    case retail
    case agriculture
    case construction
    case carWashes = "car_washes"
    case nailBars = "nail_bars"
    case generalPublic = "general_public"
    case other

    public var label: String {
        switch self {
        case .hospitality: "Hotels and hospitality"
        case .lettingHousing: "Letting agents and housing"
        case .primaryCare: "GPs and primary care"
        case .hospitals: "A&E and hospitals"
        case .jobcentre: "Jobcentre"
        case .police: "Police"
        case .council: "Council staff"
        case .fireRescue: "Fire and rescue"
        case .schools: "Schools"
        case .retail: "Retail"
        case .agriculture: "Agriculture"
        case .construction: "Construction"
        case .carWashes: "Car washes"
        case .nailBars: "Nail bars"
        case .generalPublic: "The general public"
        case .other: "Other"
        }
    }

    /// Partner agencies of these types belong to the sector.
    public var agencyTypes: Set<AgencyType> {
        switch self {
        case .police: [.police]
        case .council: [.localAuthority]
        case .primaryCare, .hospitals: [.health]
        case .jobcentre: [.dwpJobcentre]
        default: []
        }
    }

    /// Reports made by these reporters come from the sector.
    public var reporterTypes: Set<ReporterType> {
        switch self {
        case .hospitality: [.hotel]
        case .lettingHousing: [.lettingAgent, .landlord]
        case .generalPublic: [.memberOfPublic]
        default: []
        }
    }
}

/// How a session is delivered.
public enum TrainingDelivery: String, Codable, CaseIterable, Sendable {
    case inPerson = "in_person"
    case online

    public var label: String { self == .inPerson ? "In person" : "Online" }
}

/// Whether a confidence answer sheet was filled in before or after the session.
public enum ConfidencePhase: String, Codable, CaseIterable, Sendable {
    case before
    case after

    public var label: String { self == .before ? "Before the session" : "After the session" }
}

/// The fixed confidence questionnaire: each answered 1 (strongly disagree) to 5 (strongly agree).
public enum ConfidenceQuestion: String, Codable, CaseIterable, Sendable {
    case recogniseSigns = "recognise_signs"
    case howToReport = "how_to_report"
    case afterReporting = "after_reporting"

    public var wording: String {
        switch self {
        case .recogniseSigns: "I can recognise the signs of modern slavery"
        case .howToReport: "I know how to report a concern"
        case .afterReporting: "I know what happens after I report"
        }
    }

    public static let scale = 1...5
}

/// One anonymous answer sheet: which attendee (a pairing number, so a before sheet meets its
/// after sheet), when, and an answer to each question.
public struct ConfidenceSheet: Sendable, Hashable {
    public let pair: Int
    public let phase: ConfidencePhase
    public let answers: [ConfidenceQuestion: Int]

    public init(pair: Int, phase: ConfidencePhase, answers: [ConfidenceQuestion: Int]) {
        self.pair = pair
        self.phase = phase
        self.answers = answers
    }
}

/// The before/after results of one question over a set of sheets.
public struct ConfidenceResult: Sendable, Equatable {
    public let question: ConfidenceQuestion
    public let before: Int
    public let after: Int
    public let pairs: Int
    public let meanBefore: Double?
    public let meanAfter: Double?
    /// The mean of (after − before) over attendees who answered both.
    public let meanChange: Double?

    public init(question: ConfidenceQuestion, before: Int, after: Int, pairs: Int, meanBefore: Double?, meanAfter: Double?, meanChange: Double?) {
        self.question = question
        self.before = before
        self.after = after
        self.pairs = pairs
        self.meanBefore = meanBefore
        self.meanAfter = meanAfter
        self.meanChange = meanChange
    }

    /// Each question's result: means over every sheet of the phase, the change over pairs only.
    /// Sheets are keyed by a group (a session) and pair number: pairs never meet across groups.
    public static func results<Group: Hashable>(_ sheets: [(Group, ConfidenceSheet)]) -> [ConfidenceResult] {
        ConfidenceQuestion.allCases.map { q in
            var before: [Double] = [], after: [Double] = []
            var byPair: [PairKey<Group>: (b: Int?, a: Int?)] = [:]
            for (group, sheet) in sheets {
                guard let value = sheet.answers[q] else { continue }
                let key = PairKey(group: group, pair: sheet.pair)
                if sheet.phase == .before {
                    before.append(Double(value)); byPair[key, default: (nil, nil)].b = value
                } else {
                    after.append(Double(value)); byPair[key, default: (nil, nil)].a = value
                }
            }
            let changes = byPair.values.compactMap { p -> Double? in
                guard let b = p.b, let a = p.a else { return nil }
                return Double(a - b)
            }
            return ConfidenceResult(question: q, before: before.count, after: after.count, pairs: changes.count,
                                    meanBefore: mean(before), meanAfter: mean(after), meanChange: mean(changes))
        }
    }

    /// The mean paired change over every question and pair (the plan's indicator), with how
    /// many pairs it rests on.
    public static func overallChange<Group: Hashable>(_ sheets: [(Group, ConfidenceSheet)]) -> (change: Double?, pairs: Int) {
        var befores: [PairKey<Group>: ConfidenceSheet] = [:], afters: [PairKey<Group>: ConfidenceSheet] = [:]
        for (group, sheet) in sheets {
            let key = PairKey(group: group, pair: sheet.pair)
            if sheet.phase == .before { befores[key] = sheet } else { afters[key] = sheet }
        }
        var changes: [Double] = []
        var pairs = 0
        for (key, b) in befores {
            guard let a = afters[key] else { continue }
            pairs += 1
            for q in ConfidenceQuestion.allCases {
                if let x = b.answers[q], let y = a.answers[q] { changes.append(Double(y - x)) }
            }
        }
        return (mean(changes), pairs)
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    struct PairKey<Group: Hashable>: Hashable {
        let group: Group
        let pair: Int
    }
}

/// Who a named attendee is for counting "people trained": the same person on two registers
/// counts once. Matched on the email when one is given, otherwise on name and agency, each
/// folded (case, accents, spacing).
public enum AttendeeIdentity {
    public static func key(name: String, agency: String, email: String) -> String {
        let mail = fold(email)
        if !mail.isEmpty { return "e:" + mail.replacingOccurrences(of: " ", with: "") }
        return "n:" + fold(name) + "|" + fold(agency)
    }

    public static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_GB"))
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
