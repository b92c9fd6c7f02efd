import Foundation
import Testing

@testable import CairnCore

/// The retention schedule's rules: what an administrator may set, and when a record is due.
@Suite struct RetentionRuleTests {
    func issues(_ kind: RetentionKind = .closedReports, amount: String, unit: String = "months", reason: String = "A reason") -> [String: String] {
        do {
            _ = try RetentionRule(kind: kind, amount: amount, unit: unit, reason: reason)
            return [:]
        } catch {
            return Dictionary(error.issues.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
        }
    }

    @Test func aPeriodIsAWholeNumberWithinTheUnitsBoundsAndAReasonIsRequired() throws {
        let rule = try RetentionRule(kind: .closedReports, amount: " 24 ", unit: "Months", reason: "  Long enough to link later reports.  ")
        #expect(rule.period == RetentionPeriod(24, .months))
        #expect(rule.reason == "Long enough to link later reports.")
        #expect(rule.period.description == "24 months")
        #expect(RetentionPeriod(1, .years).description == "1 year")

        #expect(issues(amount: "0")["amount"] == "Enter a period from 1 to 1200 months")
        #expect(issues(amount: "-3")["amount"] == "Enter a period from 1 to 1200 months")
        #expect(issues(amount: "1201")["amount"] == "Enter a period from 1 to 1200 months")
        #expect(issues(amount: "99999999999999999999999")["amount"] == "Enter a period from 1 to 1200 months")
        #expect(issues(amount: "36501", unit: "days")["amount"] == "Enter a period from 1 to 36500 days")
        #expect(issues(amount: "101", unit: "years")["amount"] == "Enter a period from 1 to 100 years")
        for text in ["two", "2.5", "1e3", "٣", "--2", "2 4", "0x10"] {
            #expect(issues(amount: text)["amount"] == "Enter the period as a whole number, like 24", "\(text)")
        }
        #expect(issues(amount: "")["amount"] == "Enter how long to keep them, as a whole number")
        #expect(issues(amount: "3", unit: "weeks")["unit"] == "Choose days, months or years")
        #expect(issues(amount: "-3", unit: "")["amount"] == "Enter a period of at least 1")
        #expect(issues(amount: "3", reason: "   ")["reason"] == "Enter the reason for keeping them this long")
        #expect(issues(amount: "3", reason: String(repeating: "x", count: 501))["reason"]?.hasPrefix("The reason must be 500 characters or fewer") == true)
        #expect(issues(amount: "3", reason: "tab\tand\nnew line are fine").isEmpty)
        #expect(issues(amount: "3", reason: "bell \u{07}")["reason"] == "The reason contains control characters")
        // Every problem at once.
        #expect(Set(issues(amount: "0", unit: "weeks", reason: "").keys) == ["unit", "reason", "amount"])
    }

    /// The audit log is kept at least a year, so nobody can set a short period and erase the
    /// record of what they did.
    @Test func theAuditLogIsKeptAtLeastAYear() throws {
        #expect(issues(.auditEntries, amount: "11")["amount"] == "Enter a period from 12 to 1200 months (the audit log is kept at least a year)")
        #expect(issues(.auditEntries, amount: "364", unit: "days")["amount"] == "Enter a period from 365 to 36500 days (the audit log is kept at least a year)")
        #expect(issues(.auditEntries, amount: "12").isEmpty)
        #expect(issues(.auditEntries, amount: "1", unit: "years").isEmpty)
        #expect(issues(.sessions, amount: "1", unit: "days").isEmpty)
    }

    @Test func theCutoffIsThePeriodBeforeNowByTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12) -> Date {
            calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h))!
        }
        #expect(RetentionPeriod(24, .months).cutoff(at: at(2026, 3, 31)) == at(2024, 3, 31))
        // A month before 31 March is the last day of February (a leap year here).
        #expect(RetentionPeriod(1, .months).cutoff(at: at(2024, 3, 31)) == at(2024, 2, 29))
        #expect(RetentionPeriod(30, .days).cutoff(at: at(2026, 3, 1)) == at(2026, 1, 30))
        #expect(RetentionPeriod(7, .years).cutoff(at: at(2026, 12, 6)) == at(2019, 12, 6))
        // The longest periods allowed still give a date.
        #expect(RetentionPeriod(100, .years).cutoff(at: at(2026, 1, 1)) == at(1926, 1, 1))
        #expect(RetentionPeriod(36_500, .days).cutoff(at: Date()) > .distantPast)
    }

    @Test func everyKindHasADefaultThatItsOwnRulesAccept() throws {
        for kind in RetentionKind.allCases {
            let rule = kind.defaultRule
            let checked = try RetentionRule(kind: kind, amount: String(rule.period.amount), unit: rule.period.unit.rawValue, reason: rule.reason)
            #expect(checked.period == rule.period)
            #expect(!kind.label.isEmpty && !kind.clock.isEmpty && !kind.whatHappens.isEmpty)
        }
        #expect(RetentionKind.closedReports.defaultRule.period == RetentionPeriod(24, .months))
        #expect(RetentionKind.closedCases.defaultRule.period == RetentionPeriod(6, .years))
        #expect(RetentionKind.reporterContacts.defaultRule.period == RetentionPeriod(12, .months))
        #expect(RetentionKind.sessions.defaultRule.period == RetentionPeriod(30, .days))
        #expect(RetentionKind.auditEntries.defaultRule.period == RetentionPeriod(7, .years))
        #expect(AccessPolicy.allows([.administrator], .manageRetention))
        #expect(!AccessPolicy.allows(Set(Role.allCases).subtracting([.administrator]), .manageRetention))
    }
}
