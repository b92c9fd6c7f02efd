import Foundation

/// What an indicator's values are measured in.
public enum IndicatorUnit: String, CaseIterable, Codable, Sendable {
    case count
    case percent
    case days
    /// Points on a 1–5 answer scale (a change in confidence: "+1.2 points").
    case points

    public var label: String {
        switch self {
        case .count: "Count"
        case .percent: "Per cent"
        case .days: "Days"
        case .points: "Points on a 1 to 5 scale"
        }
    }

    /// A value as shown: "42", "87.5%", "12.5 days".
    public func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        let number = rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
        switch self {
        case .count: return number
        case .percent: return number + "%"
        case .days: return number + (rounded == 1 ? " day" : " days")
        case .points: return (rounded > 0 ? "+" : "") + number + (abs(rounded) == 1 ? " point" : " points")
        }
    }
}

/// Which way is better (Clear Impact's "polarity").
public enum IndicatorDirection: String, CaseIterable, Codable, Sendable {
    case higher
    case lower

    public var label: String { self == .higher ? "Higher is better" : "Lower is better" }
}

/// How often an indicator is reported.
public enum IndicatorFrequency: String, CaseIterable, Codable, Sendable {
    case month, quarter, year

    public var label: String {
        switch self {
        case .month: "Monthly"
        case .quarter: "Quarterly"
        case .year: "Yearly"
        }
    }
}

/// A calendar month, `YYYY-MM`: the period computed indicators are reported for.
public struct MonthPeriod: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    /// The month `day` falls in.
    public init(_ day: CalendarDate) {
        year = day.year
        month = day.month
    }

    public var description: String { String(format: "%04d-%02d", year, month) }

    /// "December 2026".
    public var label: String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(names[month - 1]) \(year)"
    }

    /// "Dec 26", for chart axes.
    public var shortLabel: String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[month - 1]) \(String(format: "%02d", year % 100))"
    }

    /// The month `count` months later (earlier for a negative count), kept within the calendar.
    public func adding(months count: Int) -> MonthPeriod {
        let index = min(max(year * 12 + (month - 1) + count, 12), 9999 * 12 + 11)
        return MonthPeriod(year: index / 12, month: index % 12 + 1) ?? self
    }

    /// The first day of the month.
    public var firstDay: CalendarDate { (try? CalendarDate(year: year, month: month, day: 1)) ?? .first }

    /// The months from `first` to `last`, both included (empty if `last` is before `first`).
    public static func range(_ first: MonthPeriod, _ last: MonthPeriod) -> [MonthPeriod] {
        guard first <= last else { return [] }
        var months: [MonthPeriod] = []
        var m = first
        while m <= last, months.count < 1200 {
            months.append(m)
            m = m.adding(months: 1)
        }
        return months
    }

    public static func < (a: MonthPeriod, b: MonthPeriod) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// The indicators Cairn computes from its own records for each month, never typed in. Each key
/// is stable: scripts outside the project read them through `GET /api/v1/indicators/{key}`.
public enum ComputedIndicator: String, CaseIterable, Codable, Sendable {
    case reportsReceived = "reports.received"
    case reportsBySector = "reports.by_sector"
    case reportsTriagedOnTime = "reports.triaged_on_time"
    case reportsWithOutcome = "reports.with_outcome"
    case reportsMedianDaysToOutcome = "reports.median_days_to_outcome"
    case referralsAcceptedRate = "referrals.accepted_rate"
    case nrmReferrals = "nrm.referrals"
    case nrmMedianDaysToReasonableGrounds = "nrm.median_days_to_reasonable_grounds"
    case casesMSCOSImproved = "cases.mscos_improved"
    case casesReexploitationSigns = "cases.reexploitation_signs"
    case trainingPeopleTrained = "training.people_trained"
    case trainingConfidenceChange = "training.confidence_change"
    case campaignsReach = "campaigns.reach"
    case campaignsReports = "campaigns.reports"

    public var key: String { rawValue }

    public var name: String {
        switch self {
        case .reportsReceived: "Reports received"
        case .reportsBySector: "Reports by who made them"
        case .reportsTriagedOnTime: "Reports triaged on time"
        case .reportsWithOutcome: "Reports closed with an outcome within 28 days"
        case .reportsMedianDaysToOutcome: "Median days from report to outcome"
        case .referralsAcceptedRate: "Referrals accepted"
        case .nrmReferrals: "NRM referrals"
        case .nrmMedianDaysToReasonableGrounds: "Median days to a reasonable grounds decision"
        case .casesMSCOSImproved: "Survivors whose outcomes improved by the 6-month review"
        case .casesReexploitationSigns: "Re-exploitation warning signs recorded"
        case .trainingPeopleTrained: "People trained"
        case .trainingConfidenceChange: "Change in confidence after training"
        case .campaignsReach: "Awareness campaigns' reach"
        case .campaignsReports: "Reports arriving with a campaign code"
        }
    }

    public var unit: IndicatorUnit {
        switch self {
        case .reportsReceived, .reportsBySector, .nrmReferrals, .casesReexploitationSigns: .count
        case .campaignsReach, .campaignsReports: .count
        case .reportsTriagedOnTime, .reportsWithOutcome, .referralsAcceptedRate, .casesMSCOSImproved: .percent
        case .reportsMedianDaysToOutcome, .nrmMedianDaysToReasonableGrounds: .days
        case .trainingPeopleTrained: .count
        case .trainingConfidenceChange: .points
        }
    }

    public var direction: IndicatorDirection {
        switch self {
        case .reportsMedianDaysToOutcome, .nrmMedianDaysToReasonableGrounds, .casesReexploitationSigns: .lower
        default: .higher
        }
    }

    /// What it measures, in a sentence.
    public var definition: String {
        switch self {
        case .reportsReceived: "The number of reports of concern received in the month, from the public and from practitioners."
        case .reportsBySector: "Reports received in the month, split by who made them (the public, or the practitioner's sector)."
        case .reportsTriagedOnTime: "Of the reports received in the month whose triage deadline has passed or which have been triaged, the share triaged by the deadline their urgency sets."
        case .reportsWithOutcome: "Of the reports received in the month at least 28 days ago (or closed sooner), the share closed with a recorded outcome within 28 days of being received."
        case .reportsMedianDaysToOutcome: "For reports received in the month and closed with an outcome, the median number of days from receipt to closing."
        case .referralsAcceptedRate: "Of the referrals made in the month that the receiving agency has answered, the share it accepted."
        case .nrmReferrals: "The number of National Referral Mechanism referrals made in the month for survivors Cairn supports."
        case .nrmMedianDaysToReasonableGrounds: "For reasonable grounds decisions received in the month, the median number of days since the NRM referral."
        case .casesMSCOSImproved: "Of the survivors whose 6-month outcome review was recorded in the month, the share whose own ratings of the core outcomes rose on balance since intake."
        case .casesReexploitationSigns: "The number of re-exploitation warning signs recorded on cases, by the month they were seen."
        case .trainingPeopleTrained: "The number of people trained at the partnership's training sessions held in the month, split by the sector they work in."
        case .trainingConfidenceChange: "How much attendees' confidence rose from before to after the training sessions held in the month, in points on the questionnaire's 1 to 5 scale."
        case .campaignsReach: "The people reached by awareness campaigns starting in the month, as each campaign counted them on each channel (leaflets handed out, people spoken to, impressions…)."
        case .campaignsReports: "The number of reports received in the month through the public form opened from a campaign's code or QR code."
        }
    }

    /// How it is computed from Cairn's records, in words.
    public var method: String {
        switch self {
        case .reportsReceived: "Counts every report whose received time falls in the month (Europe/London), whatever became of it."
        case .reportsBySector: "Counts reports received in the month by the reporter type recorded on each; the value is the total."
        case .reportsTriagedOnTime: "Numerator: reports received in the month first answered (triaged, accepted or closed) no later than their deadline. Denominator: those answered, plus those not answered whose deadline has passed. Reports still inside their deadline are left out until answered or late."
        case .reportsWithOutcome: "Numerator: reports received in the month and closed with an outcome no more than 28 days after receipt. Denominator: reports received in the month that are either that old or already so closed."
        case .reportsMedianDaysToOutcome: "Takes each report received in the month that is closed with an outcome, the days between receipt and closing, and reports the middle value (the mean of the two middle values for an even count)."
        case .referralsAcceptedRate: "Numerator: referrals sent in the month and accepted. Denominator: referrals sent in the month and accepted or rejected; those still awaiting an answer are left out."
        case .nrmReferrals: "Counts cases whose recorded NRM referral date falls in the month."
        case .nrmMedianDaysToReasonableGrounds: "Takes each case whose reasonable grounds decision date falls in the month, the days from its NRM referral date to that decision, and reports the median."
        case .casesMSCOSImproved: "For each case with an intake review and a 6-month review recorded in the month, compares the survivor's ratings of the core outcomes rated at both: improved when more outcomes rose than fell."
        case .casesReexploitationSigns: "Counts warning signs recorded on cases whose observed date falls in the month."
        case .trainingPeopleTrained: "Adds the attendance counts of sessions held in the month, and the people on their registers, each person once however many sessions they attended (matched by email, or by name and agency)."
        case .trainingConfidenceChange: "For each attendee of a session held in the month with both a before and an after sheet, takes the after answer minus the before answer for each of the three questions, and reports the mean of all those changes; the basis is the number of attendees with both sheets."
        case .campaignsReach: "Adds up the reach recorded on every channel of each campaign whose start date falls in the month (Europe/London); a campaign's whole reach counts in the month it starts, not spread over its run, and archived campaigns still count. Reach is as recorded: channels count different things, and one person reached twice counts twice."
        case .campaignsReports: "Counts reports whose received time falls in the month and which arrived with the code of an existing campaign; unknown codes are dropped at intake and never counted."
        }
    }

    /// Whether its figures describe survivors, and so follow the small-numbers rule.
    public var describesSurvivors: Bool {
        switch self {
        case .nrmReferrals, .nrmMedianDaysToReasonableGrounds, .casesMSCOSImproved, .casesReexploitationSigns: true
        default: false
        }
    }
}

/// One month of a computed indicator: the value and what it was computed from.
public struct IndicatorFigure: Sendable, Equatable {
    public let period: MonthPeriod
    /// The value, or nil where there is nothing to compute from or it is suppressed.
    public let value: Double?
    /// How many records the value rests on (the denominator of a rate, the count of a median).
    public let basis: Int
    /// The numerator of a rate (so rates over several months add numerators and denominators).
    public let numerator: Int?
    /// Hidden by the small-numbers rule.
    public let suppressed: Bool
    /// A breakdown (reports by reporter type): label and count.
    public let breakdown: [String: Int]

    public init(period: MonthPeriod, value: Double?, basis: Int, numerator: Int? = nil, suppressed: Bool = false, breakdown: [String: Int] = [:]) {
        self.period = period
        self.value = value
        self.basis = basis
        self.numerator = numerator
        self.suppressed = suppressed
        self.breakdown = breakdown
    }

    /// A count.
    public static func count(_ period: MonthPeriod, _ n: Int, survivors: Bool, breakdown: [String: Int] = [:]) -> IndicatorFigure {
        if survivors, SmallNumbers.hides(count: n) { return IndicatorFigure(period: period, value: nil, basis: n, suppressed: true) }
        return IndicatorFigure(period: period, value: Double(n), basis: n, breakdown: breakdown)
    }

    /// A percentage, numerator over denominator; none when nothing is counted.
    public static func rate(_ period: MonthPeriod, _ numerator: Int, of denominator: Int, survivors: Bool) -> IndicatorFigure {
        if survivors, denominator > 0, SmallNumbers.hides(over: denominator) {
            return IndicatorFigure(period: period, value: nil, basis: denominator, suppressed: true)
        }
        let value = denominator == 0 ? nil : Double(numerator) * 100 / Double(denominator)
        return IndicatorFigure(period: period, value: value, basis: denominator, numerator: survivors && denominator == 0 ? nil : numerator)
    }

    /// The median of `values` (days); none when there are none.
    public static func median(_ period: MonthPeriod, _ values: [Double], survivors: Bool) -> IndicatorFigure {
        if survivors, !values.isEmpty, SmallNumbers.hides(over: values.count) {
            return IndicatorFigure(period: period, value: nil, basis: values.count, suppressed: true)
        }
        return IndicatorFigure(period: period, value: Statistics.median(values), basis: values.count)
    }
}

public enum Statistics {
    /// The middle value (the mean of the two middle ones for an even count); nil for none.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
