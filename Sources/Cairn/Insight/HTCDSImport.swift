import CairnCore
import Foundation
import Linkage

/// Reading an HTCDS v2.0 CSV for a demonstration import: every row is checked (its header, its
/// picklist values, its dates and their order) and each problem is reported with its line.
///
/// Copes with the toolkit templates' defects: the typo `vic_TraffickinStatusDecisionMakingOrg`,
/// a column without a name (column A's row numbers, column AJ), a second row of human labels
/// under the names, and header names in another case. Identifying and free-text template fields
/// are recognised and never read. A header that is no HTCDS field is refused.
public struct HTCDSFile: Sendable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The rows that passed, with their lines.
    let cases: [(line: Int, value: ImportedCase)]
    public let problems: [Problem]
    /// Rows read (not counting the header and a label row).
    public let rows: Int
    public var goodRows: Int { cases.count }

    public static func read(_ data: Data, today: CalendarDate = CalendarDate(Date(), in: .london)) -> HTCDSFile {
        var header: [String?] = []
        var headerRead = false
        var problems: [Problem] = []
        var cases: [(Int, ImportedCase)] = []
        var rows = 0
        var firstRow = true
        CSV.forEachRecord(data) { fields, line in
            if !headerRead {
                headerRead = true
                header = Self.header(fields, problems: &problems)
                return true
            }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { return true }
            var row: [String: String] = [:]
            for (i, name) in header.enumerated() {
                guard let name, i < fields.count else { continue }
                row[name] = fields[i].trimmingCharacters(in: .whitespaces)
            }
            defer { firstRow = false }
            // The templates' second row holds labels ("Case Status"), not a case.
            if firstRow, let status = row[HTCDS.caseStatus], status.lowercased().contains("status") { return true }
            rows += 1
            if fields.count > header.count, fields[header.count...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                problems.append(.init(line: line, message: "\(fields.count) fields, but the header names \(header.count)."))
                return true
            }
            switch Self.imported(row, today: today) {
            case .success(let c): cases.append((line, c))
            case .failure(let issues): problems += issues.messages.map { Problem(line: line, message: $0) }
            }
            return problems.count < 1000
        }
        if !headerRead { problems.append(.init(line: 1, message: "The file is empty: it needs a header row of HTCDS field names.")) }
        let fileProblems = problems.filter { $0.line == 1 }
        return HTCDSFile(cases: fileProblems.isEmpty ? cases : [], problems: problems, rows: rows)
    }

    /// The standard name of each column (nil: a column without a name, which is skipped).
    private static func header(_ fields: [String], problems: inout [Problem]) -> [String?] {
        var seen: Set<String> = []
        var out: [String?] = []
        for (i, raw) in fields.enumerated() {
            let text = (i == 0 ? raw.replacingOccurrences(of: "\u{FEFF}", with: "") : raw).trimmingCharacters(in: .whitespaces)
            if text.isEmpty { out.append(nil); continue }
            guard let name = HTCDS.field(forHeader: text) else {
                problems.append(.init(line: 1, message: "column \(i + 1): “\(text.prefix(60))” is not an HTCDS v2.0 field name."))
                out.append(nil)
                continue
            }
            if !seen.insert(name).inserted { problems.append(.init(line: 1, message: "column \(i + 1): \(name) appears twice.")) }
            out.append(HTCDS.ignoredTemplateFields.contains(name) ? nil : name)
        }
        for required in [HTCDS.caseStatus, HTCDS.incomingReferralDate] where !seen.contains(required) {
            problems.append(.init(line: 1, message: "the header has no \(required) column."))
        }
        return out
    }

    struct Issues: Error { var messages: [String] = [] }

    private static func imported(_ row: [String: String], today: CalendarDate) -> Result<ImportedCase, Issues> {
        var issues = Issues()
        func bad(_ field: String, _ value: String, _ allowed: [String]) {
            issues.messages.append("\(field) “\(value.prefix(60))” is not one of \(allowed.joined(separator: ", ")).")
        }
        func date(_ field: String, required: Bool) -> CalendarDate? {
            let text = row[field] ?? ""
            if text.isEmpty {
                if required { issues.messages.append("\(field) is empty: it needs a date written YYYY-MM-DD.") }
                return nil
            }
            guard let day = try? CalendarDate(parsing: text) else {
                issues.messages.append("\(field) “\(text.prefix(30))” is not a date written YYYY-MM-DD.")
                return nil
            }
            if day > today { issues.messages.append("\(field) \(day) is in the future.") }
            return day
        }
        if let consent = row[HTCDS.consent], !["true", "yes", "1", "y"].contains(consent.lowercased()) {
            issues.messages.append("\(HTCDS.consent) is “\(consent.prefix(20))”: only cases whose survivor consented may be imported.")
        }
        let statusText = row[HTCDS.caseStatus] ?? ""
        let status: CaseStatus?
        var closure: ClosureReason?
        switch statusText.lowercased() {
        case "active": status = .open
        case "followup": status = .followUp
        case "closed": status = .closed
        case "closedreferred": status = .closed; closure = .transferredToAnotherService
        default: status = nil; bad(HTCDS.caseStatus, statusText, HTCDS.caseStatuses)
        }
        let opened = date(HTCDS.incomingReferralDate, required: true)
        let closed = date(HTCDS.closedDate, required: false)
        if let opened, let closed, closed < opened {
            issues.messages.append("\(HTCDS.closedDate) \(closed) is before \(HTCDS.incomingReferralDate) \(opened).")
        }
        if let closed, status == .open { issues.messages.append("\(HTCDS.closedDate) \(closed) is given, but the case is Active.") }
        if let value = row[HTCDS.traffickingStatus], !value.isEmpty, !HTCDS.traffickingStatuses.contains(value) {
            bad(HTCDS.traffickingStatus, value, HTCDS.traffickingStatuses)
        }
        if let value = row[HTCDS.decisionMakingOrg], !value.isEmpty, !HTCDS.decisionMakingOrgs.contains(value) {
            bad(HTCDS.decisionMakingOrg, value, HTCDS.decisionMakingOrgs)
        }
        let types = HTCDSTypeOfExploitation.allCases.map(\.rawValue)
        for value in (row[HTCDS.typeOfExploitation] ?? "").split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !value.isEmpty {
            if !types.contains(value) { bad(HTCDS.typeOfExploitation, value, types) }
        }
        if let value = row[HTCDS.forcedLabourIndustry], !value.isEmpty {
            let letter = value.prefix(2)
            if !(letter.count == 2 && letter.last == "_" && ("A"..."U").contains(String(letter.prefix(1)))) {
                issues.messages.append("\(HTCDS.forcedLabourIndustry) “\(value.prefix(60))” is not an ISIC v4 section (A_… to U_…).")
            }
        }
        var age = AgeGroup.unknown
        if let value = row[HTCDS.ageGroup], !value.isEmpty {
            if let found = AgeGroup.allCases.first(where: { HTCDS.ageGroupValue($0) == value }) { age = found } else { bad(HTCDS.ageGroup, value, HTCDS.ageGroups) }
        }
        if status == .closed, closure == nil {
            let text = row[HTCDS.reasonForCaseClosure] ?? ""
            closure = ClosureReason.allCases.first { $0.label.caseInsensitiveCompare(text) == .orderedSame || $0.rawValue == text } ?? .other
        }
        guard issues.messages.isEmpty, let status, let opened else { return .failure(issues) }
        return .success(ImportedCase(openedOn: opened, status: status, closureReason: closure, closedOn: status == .open ? nil : closed, ageGroup: age))
    }
}
