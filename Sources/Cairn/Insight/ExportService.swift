import CairnCore
import FluentKit
import Foundation

/// The exports of survivor-support data: the HTCDS v2.0 export of consenting cases for a
/// period (CSV or JSON) and the case aggregates CSV (counts only, small numbers suppressed);
/// and the HTCDS import into a fresh database for demonstration. Cases are read through
/// `CaseExchange` and exploitation types through `ReportDirectory`. Each export is audited
/// before its first byte: who, what, which period, how many cases.
struct ExportService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let cases: CaseExchange
    let reports: ReportDirectory

    /// Cases read per page (a test makes it small to see several pages).
    static let pageSize = 500
    /// The longest period an export may cover.
    static let maximumYears = 20

    enum Format: String, CaseIterable, Sendable {
        case csv, json
    }

    /// A period of whole days, checked: both dates real, `from` not after `to`, at most 20 years.
    struct Period: Sendable, Equatable {
        let from: CalendarDate
        let to: CalendarDate

        static func parse(from: String?, to: String?) throws -> Period {
            var v = Validator()
            func day(_ text: String?, _ field: String) -> CalendarDate? {
                guard let text, !text.isEmpty else { v.add(field, "Give the \(field == "from" ? "first" : "last") day of the period, written YYYY-MM-DD."); return nil }
                guard text.count == 10, let day = try? CalendarDate(parsing: text) else {
                    v.add(field, "“\(text.prefix(30))” is not a date written YYYY-MM-DD."); return nil
                }
                return day
            }
            let start = day(from, "from"), end = day(to, "to")
            if let start, let end {
                if start > end { v.add("from", "The period starts (\(start)) after it ends (\(end)).") }
                else if end > start.adding(months: maximumYears * 12) { v.add("to", "The period is longer than \(maximumYears) years.") }
            }
            try v.check()
            guard let start, let end else { throw AppError.badRequest("Give the period as from and to dates.") }
            return Period(from: start, to: end)
        }
    }

    static func format(_ text: String?) throws -> Format {
        guard let text, !text.isEmpty else { return .csv }
        guard let format = Format(rawValue: text) else {
            throw AppError.invalid([.init("format", "“\(text.prefix(20))” is not a format Cairn exports: choose csv or json.")])
        }
        return format
    }

    // MARK: HTCDS

    /// The HTCDS v2.0 records of the cases opened in `period` whose survivor agreed to
    /// anonymised sharing (a consent in force today), oldest first.
    func htcds(_ period: Period, format: Format, identity: Identity, address: String, pageSize: Int = pageSize,
               now: Date = Date()) async throws -> (download: ExportDownload, count: Int) {
        guard identity.can(.exportStatistics) else { throw AppError.forbidden }
        let today = CalendarDate(now, in: .london)
        let count = try await cases.consentingCount(from: period.from, to: period.to, today: today)
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.htcds.exported", recordType: "case", address: address,
                                          detail: "\(period.from) to \(period.to); \(count) cases; \(format.rawValue)"))
        let (cases, reports) = (self.cases, self.reports)
        let size = max(1, pageSize)
        let page: @Sendable (UUID?) async throws -> (records: [[String: String]], next: UUID?) = { after in
            let (found, last) = try await cases.consentingPage(from: period.from, to: period.to, today: today, after: after, limit: size)
            let facts = try await reports.exploitationFacts(ofReports: found.compactMap(\.reportID))
            return (found.map { HTCDS.record($0, exploitation: $0.reportID.flatMap { facts[$0] }) }, last)
        }
        let name = "cairn-htcds-\(period.from)-\(period.to).\(format.rawValue)"
        switch format {
        case .csv:
            let csv = CSVStream<UUID>(header: HTCDS.columns) { after in
                let (records, next) = try await page(after)
                return .init(rows: records.map { r in HTCDS.columns.map { r[$0] ?? "" } }, next: next)
            }
            return (ExportDownload(csv: csv, filename: name), count)
        case .json:
            return (ExportDownload(contentType: "application/json", filename: name, chunks: JSONArrayStream(page: page)), count)
        }
    }

    // MARK: Case aggregates

    static let aggregateColumns = ["measure", "key", "count", "suppressed"]

    /// Counts over every case, by status, age group, month opened and NRM decision; a count
    /// under `SmallNumbers.threshold` is left empty and marked, and where a measure would hide
    /// only one cell the next smallest is hidden too, so the hidden one cannot be worked out
    /// from the total that another measure gives.
    func caseAggregates(identity: Identity, address: String) async throws -> ExportDownload {
        guard identity.can(.viewCaseStatistics) else { throw AppError.forbidden }
        let rows = Self.suppressed(try await cases.aggregates())
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.aggregates.exported", recordType: "case", address: address,
                                          detail: "\(rows.count) counts as CSV"))
        let csv = CSVStream<Int>(header: Self.aggregateColumns) { _ in
            .init(rows: rows.map { [$0.measure, $0.key, $0.count.map(String.init) ?? "", $0.count == nil ? "yes" : "no"] }, next: nil)
        }
        return ExportDownload(csv: csv, filename: "cairn-case-aggregates.csv")
    }

    static func suppressed(_ counts: [(measure: String, key: String, count: Int)]) -> [(measure: String, key: String, count: Int?)] {
        var out: [(measure: String, key: String, count: Int?)] = []
        var measures: [String] = []
        for c in counts where !measures.contains(c.measure) { measures.append(c.measure) }
        for measure in measures {
            let cells = counts.filter { $0.measure == measure }
            var hidden = Set(cells.indices.filter { SmallNumbers.hides(count: cells[$0].count) })
            if hidden.count == 1, let next = cells.indices.filter({ !hidden.contains($0) && cells[$0].count > 0 }).min(by: { cells[$0].count < cells[$1].count }) {
                hidden.insert(next)
            }
            for (i, cell) in cells.enumerated() { out.append((measure, cell.key, hidden.contains(i) ? nil : cell.count)) }
        }
        return out
    }
}

/// A JSON array of records written a page at a time: `[`, each record, `]`.
struct JSONArrayStream: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let page: @Sendable (UUID?) async throws -> (records: [[String: String]], next: UUID?)

    struct AsyncIterator: AsyncIteratorProtocol {
        let page: @Sendable (UUID?) async throws -> (records: [[String: String]], next: UUID?)
        var state = 0
        var cursor: UUID?
        var first = true

        mutating func next() async throws -> [UInt8]? {
            switch state {
            case 0:
                state = 1
                return Array("[".utf8)
            case 1:
                let (records, next) = try await page(cursor)
                cursor = next
                if next == nil { state = 2 }
                guard !records.isEmpty else { state = 3; return Array("]\n".utf8) }
                var out: [UInt8] = []
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                for record in records {
                    out += Array((first ? "\n" : ",\n").utf8)
                    first = false
                    out += try encoder.encode(record)
                }
                return out
            case 2:
                state = 3
                return Array("\n]\n".utf8)
            default:
                return nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(page: page) }
}
