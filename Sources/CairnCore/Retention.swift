import Foundation

/// The kinds of record the partnership's retention schedule covers. Each has a period, counted
/// from a moment in the record's life (`clock`), after which it is anonymised or deleted.
/// Anonymising keeps what figures are made of (dates, categories, statuses, ratings) and clears
/// everything that says who or what it was about; deleting removes the record outright and is
/// kept for records no figure needs.
public enum RetentionKind: String, CaseIterable, Codable, Sendable {
    /// Reports closed with no further action: no indicators found, a duplicate, or no outcome.
    case closedReports = "closed_reports"
    case closedCases = "closed_cases"
    case intelligenceItems = "intelligence_items"
    /// The reporter's name, phone, email and best time to call, on any closed report.
    case reporterContacts = "reporter_contacts"
    case sessions
    case auditEntries = "audit_entries"

    public var label: String {
        switch self {
        case .closedReports: "Reports closed with no further action"
        case .closedCases: "Closed cases"
        case .intelligenceItems: "Intelligence items"
        case .reporterContacts: "Reporters’ contact details"
        case .sessions: "Sign-in sessions"
        case .auditEntries: "Audit log entries"
        }
    }

    /// What the period is counted from, completing "… months …".
    public var clock: String {
        switch self {
        case .closedReports: "after the report was closed"
        case .closedCases: "after the case was closed"
        case .intelligenceItems: "after the item was last reviewed or changed"
        case .reporterContacts: "after the report was closed"
        case .sessions: "after the session expired"
        case .auditEntries: "after the entry was written"
        }
    }

    public var action: RetentionAction {
        switch self {
        case .closedReports, .closedCases: .anonymise
        case .intelligenceItems, .reporterContacts, .sessions, .auditEntries: .delete
        }
    }

    /// What happens to a record that is due, in a sentence for the schedule's page.
    public var whatHappens: String {
        switch self {
        case .closedReports:
            "Anonymised: the account, place, people, phones, vehicles, businesses, the reporter’s contact details, notes and "
                + "linkage data are removed; the reference, dates, type, urgency, reporter type, postcode district, outcome and "
                + "referral statuses stay for the figures. A report a case was opened from is kept while the case is."
        case .closedCases:
            "Anonymised: who the survivor is, their chosen name, account, notes, the NRM reference, the team and alerts are "
                + "removed; the dates, NRM decisions, outcome ratings, warning signs and statuses stay for the figures."
        case .intelligenceItems: "Deleted, with its grading and sharing."
        case .reporterContacts: "The reporter’s name, phone, email and best time to call are deleted; the report stays."
        case .sessions: "Deleted (who signed in from which address, and when)."
        case .auditEntries:
            "Deleted, oldest first. The chain is anchored at the first entry kept, and an entry saying what was removed is "
                + "added, so the check of the log still proves nothing else was changed."
        }
    }

    /// The starting schedule, shown until an administrator sets each kind; none is applied
    /// before an administrator has set it.
    public var defaultRule: (period: RetentionPeriod, reason: String) {
        switch self {
        case .closedReports:
            (RetentionPeriod(24, .months), "Long enough to link a later report to it and answer a complaint; after that no action means no need to keep who was named.")
        case .closedCases:
            (RetentionPeriod(6, .years), "Six years after support ends, the limitation period for a claim about the support given.")
        case .intelligenceItems:
            (RetentionPeriod(6, .years), "Reviewed as police intelligence is (Management of Police Information): an item nobody has reviewed or changed for six years is no longer needed.")
        case .reporterContacts:
            (RetentionPeriod(12, .months), "Kept only to ask the reporter more while the report is worked on, and for a year after in case it is re-opened.")
        case .sessions:
            (RetentionPeriod(30, .days), "Kept a month after expiry to investigate a misused account; nothing else needs them.")
        case .auditEntries:
            (RetentionPeriod(7, .years), "Long enough to answer for any access to a record that is itself kept up to six years.")
        }
    }

    /// The shortest period an administrator may set. The audit log keeps at least a year, so
    /// nobody can set a short period and erase the record of what they did.
    public func minimum(_ unit: RetentionUnit) -> Int {
        guard self == .auditEntries else { return 1 }
        switch unit {
        case .days: return 365
        case .months: return 12
        case .years: return 1
        }
    }
}

public enum RetentionAction: String, Sendable {
    case anonymise, delete

    public var label: String {
        switch self {
        case .anonymise: "anonymised"
        case .delete: "deleted"
        }
    }
}

public enum RetentionUnit: String, CaseIterable, Codable, Sendable {
    case days, months, years

    /// The longest period accepted in this unit: a hundred years.
    public var maximum: Int {
        switch self {
        case .days: 36_500
        case .months: 1_200
        case .years: 100
        }
    }
}

/// How long a kind of record is kept, in whole days, months or years.
public struct RetentionPeriod: Hashable, Sendable, CustomStringConvertible {
    public let amount: Int
    public let unit: RetentionUnit

    public init(_ amount: Int, _ unit: RetentionUnit) {
        self.amount = amount
        self.unit = unit
    }

    public var description: String {
        let name = amount == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue
        return "\(amount) \(name)"
    }

    /// The moment a record's clock must have started before to be due at `now`: `now` less the
    /// period, by the calendar (24 months before 31 March is 31 March two years earlier; a month
    /// before 31 March is the last day of February). UTC, so every instance agrees.
    public func cutoff(at now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let component: Calendar.Component = switch unit {
        case .days: .day
        case .months: .month
        case .years: .year
        }
        // Bounded by `RetentionUnit.maximum`, so this cannot fail for a valid period.
        return calendar.date(byAdding: component, value: -amount, to: now) ?? .distantPast
    }
}

/// One kind's rule as an administrator set it, checked.
public struct RetentionRule: Hashable, Sendable {
    public let kind: RetentionKind
    public let period: RetentionPeriod
    public let reason: String

    public static let reasonLimit = 500

    /// Reads the form's text: the amount a whole number within the unit's bounds (and the kind's
    /// minimum), the unit one of days, months or years, and a reason of 1 to 500 characters.
    /// Every problem is reported, each named by its field.
    public init(kind: RetentionKind, amount: String, unit: String, reason: String) throws(ValidationFailure) {
        var issues: [ValidationIssue] = []
        let unitValue = RetentionUnit(rawValue: unit.trimmingWhitespace().lowercased())
        if unitValue == nil { issues.append(.init(field: "unit", message: "Choose days, months or years")) }
        let text = amount.trimmingWhitespace()
        let digits = text.drop { $0 == "-" || $0 == "+" }
        let whole = !digits.isEmpty && text.count - digits.count <= 1 && digits.allSatisfy { $0.isASCII && $0.isNumber }
        // A whole number too long for `Int` is simply out of range.
        let number = whole ? Int(text) : nil
        if text.isEmpty {
            issues.append(.init(field: "amount", message: "Enter how long to keep them, as a whole number"))
        } else if !whole {
            issues.append(.init(field: "amount", message: "Enter the period as a whole number, like 24"))
        } else if let unitValue {
            let low = kind.minimum(unitValue)
            if number.map({ $0 < low || $0 > unitValue.maximum }) ?? true {
                let floor = low > 1 ? " (the audit log is kept at least a year)" : ""
                issues.append(.init(field: "amount", message: "Enter a period from \(low) to \(unitValue.maximum) \(unitValue.rawValue)\(floor)"))
            }
        } else if number.map({ $0 < 1 }) ?? true {
            issues.append(.init(field: "amount", message: "Enter a period of at least 1"))
        }
        let cleaned = reason.trimmingWhitespace()
        if cleaned.isEmpty {
            issues.append(.init(field: "reason", message: "Enter the reason for keeping them this long"))
        } else if cleaned.count > Self.reasonLimit {
            issues.append(.init(field: "reason", message: "The reason must be \(Self.reasonLimit) characters or fewer (it is \(cleaned.count))"))
        } else if cleaned.unicodeScalars.contains(where: { $0.value < 0x20 && $0.value != 0x0A && $0.value != 0x0D && $0.value != 0x09 || (0x7F...0x9F).contains($0.value) }) {
            issues.append(.init(field: "reason", message: "The reason contains control characters"))
        }
        guard issues.isEmpty, let number, let unitValue else { throw ValidationFailure(issues) }
        self.kind = kind
        self.period = RetentionPeriod(number, unitValue)
        self.reason = cleaned
    }

    public init(kind: RetentionKind, period: RetentionPeriod, reason: String) {
        self.kind = kind
        self.period = period
        self.reason = reason
    }
}

/// A record that is due (or would be), as the preview lists it: its reference and the moment
/// its clock started, never its content.
public struct RetentionDue: Hashable, Sendable {
    /// The record's reference (a report's `CRN-…`, a case's `SC-…`, an item's reference), or a
    /// description that names no one for records without one (a session, a range of entries).
    public let reference: String
    public let since: Date
    /// Why a due record is kept all the same (a case was opened from the report), or nil.
    public var keptBecause: String?

    public init(reference: String, since: Date, keptBecause: String? = nil) {
        self.reference = reference
        self.since = since
        self.keptBecause = keptBecause
    }
}
