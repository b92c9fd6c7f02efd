import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

// What Intelligence reads of reports: a report's headline beside its links, networks, alerts
// and items; the counts behind hotspots; and the facts and mentions the linker compares. Plain
// values only. Intelligence authorises and audits what it shows of them.

/// A report as Intelligence names it beside a link, a network, an alert or an item.
struct ReportBrief: Sendable, Equatable {
    let id: UUID
    let reference: String
    let receivedAt: Date
    /// `ReportStatus` raw value.
    let status: String
    let types: Set<ExploitationType>
    let countyLines: Bool
    let postcodeDistrict: String?

    var reportStatus: ReportStatus { ReportStatus(rawValue: status) ?? .new }

    /// "Labour exploitation, Criminal exploitation (county lines)", as report lists show it.
    var typesText: String {
        Report.typesText(types, countyLines: countyLines)
    }

    init(_ r: Report) throws {
        id = try r.requireID()
        reference = r.reference
        receivedAt = r.receivedAt
        status = r.status
        types = r.types
        countyLines = r.countyLines
        postcodeDistrict = r.postcodeDistrict
    }
}

/// A report as the linker compares it.
struct LinkableReport: Sendable {
    let id: UUID
    let reference: String
    let receivedAt: Date
    /// nil for a report from the public.
    let reportingAgencyID: UUID?
    let postcode: String?
}

/// One thing a stored report names, as the linker compares it.
struct LinkableMention: Sendable {
    let id: UUID
    let reportID: UUID
    /// `MentionKind` raw value.
    let kind: String
    let value: String
    let normalised: String?
    let dateOfBirth: String
    let postcode: String?
}

/// Which kinds of mention a read takes.
enum MentionKinds: Sendable {
    case all
    case only(MentionKind)
    case allBut(MentionKind)
}

extension ReportDirectory {
    // MARK: Reports as Intelligence shows them

    /// The reports with these ids that exist, by id.
    func briefs(_ ids: [UUID]) async throws -> [UUID: ReportBrief] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await Report.query(on: db).filter(\.$id ~~ Array(Set(ids))).all().map { r in
            let brief = try ReportBrief(r)
            return (brief.id, brief)
        }, uniquingKeysWith: { a, _ in a })
    }

    func brief(_ id: UUID) async throws -> ReportBrief? {
        try await briefs([id])[id]
    }

    /// When each of these reports was received (the reports that exist).
    func receivedTimes(of ids: [UUID]) async throws -> [UUID: Date] {
        var found: [UUID: Date] = [:]
        for chunk in SQLRows.chunks(Array(Set(ids))) {
            for row in try await database.sql.select().columns("id", "received_at").from(Report.schema)
                .where("id", .in, SQLBind.group(chunk)).all() {
                found[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "received_at", as: Date.self)
            }
        }
        return found
    }

    /// The id of the report with this reference, if the person may see it; nil alike for a
    /// reference that is malformed, unknown, or of a report they may not see.
    func visibleReportID(reference: String, identity: Identity) async throws -> UUID? {
        try await ReportAccess(database: database).visibleReport(reference: reference, identity: identity)?.0.id
    }

    /// Reports received in each bucket of a period (the intelligence dashboard's denominator).
    func receivedPerMonth(_ period: PeriodBuckets) async throws -> [MonthPeriod: Int] {
        let rows = try await database.sql.raw("""
            SELECT \(period.bucket("received_at")) AS m, COUNT(*) AS n FROM reports \
            WHERE received_at >= \(bind: period.start) AND received_at < \(bind: period.end) GROUP BY 1
            """).all()
        var result: [MonthPeriod: Int] = [:]
        for row in rows {
            guard let month = period.month(try row.decode(column: "m", as: Int.self)) else { continue }
            result[month] = try row.decode(column: "n", as: Int.self)
        }
        return result
    }

    // MARK: Hotspots

    /// Where (postcode district, nil when none was given) and when each report received since
    /// `from` was received, of one type of exploitation or all. No more than that.
    func receivedByDistrict(since from: Date, type: ExploitationType?) async throws -> [(district: String?, receivedAt: Date)] {
        var query = Report.query(on: db).filter(\.$receivedAt >= from).field(\.$postcodeDistrict).field(\.$receivedAt)
        if let type {
            query = query.filter(Report.hasType(type))
        }
        return try await query.all().map { ($0.postcodeDistrict, $0.receivedAt) }
    }

    // MARK: What the linker compares

    // The linker's reads run on every linking pass: SQLKit with only the columns needed
    // (decoding whole Fluent models by reflection was a tenth of the server's time under
    // sustained intake), in chunks of ids, on the connection or transaction the pass reads on.

    private func reportQuery(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns("id", "reference", "received_at", "reporting_agency_id", "postcode").from(Report.schema)
    }

    private static func linkable(report row: any SQLRow) throws -> LinkableReport {
        LinkableReport(id: try row.decode(column: "id", as: UUID.self), reference: try row.decode(column: "reference", as: String.self),
                       receivedAt: try row.decode(column: "received_at", as: Date.self),
                       reportingAgencyID: try row.decode(column: "reporting_agency_id", as: UUID?.self),
                       postcode: try row.decode(column: "postcode", as: String?.self))
    }

    /// The reports with these ids that exist, by id.
    func linkableReports(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: LinkableReport] {
        var found: [UUID: LinkableReport] = [:]
        for chunk in SQLRows.chunks(Array(Set(ids))) {
            for row in try await reportQuery(sql).where("id", .in, SQLBind.group(chunk)).all() {
                let report = try Self.linkable(report: row)
                found[report.id] = report
            }
        }
        return found
    }

    /// Every report (building the linker's index; a rebuild).
    func allLinkableReports(on sql: any SQLDatabase) async throws -> [LinkableReport] {
        try await reportQuery(sql).all().map(Self.linkable(report:))
    }

    private func mentionQuery(_ sql: any SQLDatabase, _ kinds: MentionKinds) -> SQLSelectBuilder {
        let query = sql.select().columns("id", "report_id", "kind", "value", "normalised", "date_of_birth", "postcode").from(ReportMention.schema)
        switch kinds {
        case .all: return query
        case .only(let kind): return query.where("kind", .equal, SQLBind(kind.rawValue))
        case .allBut(let kind): return query.where("kind", .notEqual, SQLBind(kind.rawValue))
        }
    }

    private static func linkable(mention row: any SQLRow) throws -> LinkableMention {
        LinkableMention(id: try row.decode(column: "id", as: UUID.self), reportID: try row.decode(column: "report_id", as: UUID.self),
                        kind: try row.decode(column: "kind", as: String.self), value: try row.decode(column: "value", as: String.self),
                        normalised: try row.decode(column: "normalised", as: String?.self),
                        dateOfBirth: try row.decode(column: "date_of_birth", as: String.self),
                        postcode: try row.decode(column: "postcode", as: String?.self))
    }

    /// Every mention of these kinds (a rebuild; every person, to build the linker's index).
    func linkableMentions(_ kinds: MentionKinds, on sql: any SQLDatabase) async throws -> [LinkableMention] {
        try await mentionQuery(sql, kinds).all().map(Self.linkable(mention:))
    }

    /// The mentions of these kinds in these reports.
    func linkableMentions(_ kinds: MentionKinds, ofReports reports: [UUID], on sql: any SQLDatabase) async throws -> [LinkableMention] {
        var found: [LinkableMention] = []
        for chunk in SQLRows.chunks(reports) {
            found += try await mentionQuery(sql, kinds).where("report_id", .in, SQLBind.group(chunk)).all().map(Self.linkable(mention:))
        }
        return found
    }

    /// The mentions with these ids.
    func linkableMentions(ids: [UUID], on sql: any SQLDatabase) async throws -> [LinkableMention] {
        var found: [LinkableMention] = []
        for chunk in SQLRows.chunks(Array(Set(ids))) {
            found += try await mentionQuery(sql, .all).where("id", .in, SQLBind.group(chunk)).all().map(Self.linkable(mention:))
        }
        return found
    }

    /// Every mention of one of these kinds whose normalised value is one of these, in one
    /// look-up per chunk of values (the kind and value index). A mention of another of the
    /// kinds that happens to share a value is among them: the linker sorts them by its key.
    func linkableMentions(kinds: [String], normalised values: [String], on sql: any SQLDatabase) async throws -> [LinkableMention] {
        var found: [LinkableMention] = []
        for chunk in SQLRows.chunks(values) {
            found += try await mentionQuery(sql, .all)
                .where("kind", .in, SQLBind.group(kinds))
                .where("normalised", .in, SQLBind.group(chunk))
                .all().map(Self.linkable(mention:))
        }
        return found
    }
}
