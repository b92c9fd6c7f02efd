import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

/// What the linker reads of reports and mentions, and how it words what it finds.
extension ReportLinker {
    // MARK: Facts the linker works on

    struct ReportFacts: Sendable {
        let id: UUID
        let reference: String
        let receivedAt: Date
        /// The reporting agency, or "public".
        let source: String
        let postcode: String?

        /// Earlier reports first; the id settles reports received in the same millisecond.
        ///
        /// Compared in whole milliseconds: a report's time in memory (where intake made it) and
        /// as read back from the database (PostgreSQL keeps microseconds, SQLite a double) must
        /// order two reports the same way, or an instance linking a report it just took and a
        /// rebuild reading it back would disagree about which of two reports came first.
        static func before(_ a: ReportFacts, _ b: ReportFacts) -> Bool {
            let (ta, tb) = (millisecond(a.receivedAt), millisecond(b.receivedAt))
            return ta != tb ? ta < tb : a.id.sortsBefore(b.id)
        }

        static func millisecond(_ date: Date) -> Double { (date.timeIntervalSince1970 * 1000).rounded() }
    }

    struct MentionFacts: Sendable {
        let id: UUID
        let reportID: UUID
        let kind: MentionKind
        let value: String
        let normalised: String?
        let dateOfBirth: String
        let postcode: String?

        init?(_ m: ReportMention) {
            guard let id = m.id else { return nil }
            self.id = id
            reportID = m.reportID
            kind = MentionKind(rawValue: m.kind) ?? .url
            value = m.value
            normalised = m.normalised
            dateOfBirth = m.dateOfBirth
            postcode = m.postcode
        }

        init(row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            reportID = try row.decode(column: "report_id", as: UUID.self)
            kind = MentionKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .url
            value = try row.decode(column: "value", as: String.self)
            normalised = try row.decode(column: "normalised", as: String?.self)
            dateOfBirth = try row.decode(column: "date_of_birth", as: String.self)
            postcode = try row.decode(column: "postcode", as: String?.self)
        }

        /// An address given only as a postcode (the report's own location, often).
        var isPostcodeOnly: Bool { kind == .address && PostcodeNormaliser.parse(value) != nil }

        /// The value two mentions must share to link their reports; nil for people (the engine
        /// compares them) and for values too short or vague to mean anything.
        var key: String? {
            guard let normalised, normalised.count >= 3 else { return nil }
            switch kind {
            case .person: return nil
            // A street without a postcode could be anywhere; a postcode alone is many homes.
            case .address: return isPostcodeOnly ? nil : postcode.map { "address|\($0)|\(normalised)" }
            default: return "\(kind.rawValue)|\(normalised)"
            }
        }
    }

    /// Every report, with only the columns `facts` reads (a rebuild loads them all).
    static func factsQuery(_ db: any Database) -> QueryBuilder<Report> {
        Report.query(on: db).field(\.$id).field(\.$reference).field(\.$receivedAt).field(\.$reportingAgencyID).field(\.$postcode)
    }

    static func facts(_ r: Report) -> ReportFacts? {
        guard let id = r.id else { return nil }
        return ReportFacts(id: id, reference: r.reference, receivedAt: r.receivedAt, source: r.reportingAgencyID?.uuidString ?? "public",
                    postcode: r.postcode)
    }

    /// The engine's record for one person mention: the name and date of birth, with the
    /// report's address and phone when it gives exactly one (otherwise we cannot tell whose).
    static func personRecord(_ m: MentionFacts, reportMentions: [MentionFacts], reportPostcode: String?) -> RawRecord {
        var values: [Linkage.Field: String] = [.fullName: m.value]
        if !m.dateOfBirth.isEmpty { values[.dateOfBirth] = m.dateOfBirth }
        let addresses = reportMentions.filter { $0.kind == .address && !$0.isPostcodeOnly }
        if addresses.count == 1 {
            values[.address] = addresses[0].value
            if let postcode = addresses[0].postcode { values[.postcode] = postcode }
        } else if let reportPostcode {
            values[.postcode] = reportPostcode
        }
        for (kind, field) in [(MentionKind.phone, Linkage.Field.phone), (.email, .email), (.username, .username)] {
            let found = reportMentions.filter { $0.kind == kind }
            if found.count == 1, let n = found[0].normalised { values[field] = n }
        }
        return RawRecord(id: m.id.uuidString, values: values)
    }

    static func phrase(for kind: MentionKind) -> String {
        switch kind {
        case .phone: "same phone"
        case .vehicle: "same vehicle"
        case .email: "same email address"
        case .username: "same username"
        case .url: "same web address"
        case .business: "same business name"
        case .address: "same address"
        case .person: "same person"
        }
    }

    /// "similar name at the same address", from the engine's explanation.
    static func phrase(for explanation: MatchExplanation) -> String {
        func level(_ comparison: ComparisonKind) -> String? { explanation.terms.first { $0.comparison == comparison.rawValue }?.level }
        let exactName = level(.givenName)?.hasPrefix("exact") == true && level(.familyName)?.hasPrefix("exact") == true
        var parts = [exactName ? "same name" : "similar name"]
        if level(.dateOfBirth) == "exact" { parts.append("and date of birth") }
        else if level(.dateOfBirth) == "one part differs" || level(.dateOfBirth) == "partial date consistent" { parts.append("and a matching date of birth") }
        switch level(.contact) {
        case "same phone and home": parts.append("with the same phone and address")
        case "same phone": parts.append("with the same phone")
        case "same home": parts.append("at the same address")
        case "shared phone or home": parts.append("sharing a phone or address")
        case "same postcode": parts.append("in the same postcode")
        case "same district or town": parts.append("in the same area")
        default: break
        }
        return parts.joined(separator: " ")
    }

    static let kindOrder: [String: Int] = Dictionary(uniqueKeysWithValues: MentionKind.allCases.enumerated().map { ($1.rawValue, $0) })

    static func summary(_ reasons: [LinkReason]) -> String {
        var seen = Set<String>()
        let ordered = reasons.sorted { (kindOrder[$0.kind] ?? 9, -$0.probability) < (kindOrder[$1.kind] ?? 9, -$1.probability) }
        return ordered.compactMap { seen.insert($0.phrase).inserted ? $0.phrase : nil }.joined(separator: ", ")
    }

    // MARK: Reads on the hot path

    // Hot reads go through SQLKit with only the columns needed: decoding whole Fluent models
    // (by reflection) was a tenth of the server's time under sustained intake.

    static func mentionQuery(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns("id", "report_id", "kind", "value", "normalised", "date_of_birth", "postcode").from(ReportMention.schema)
    }

    /// Every mention of these reports, by report.
    static func mentions(of reports: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [MentionFacts]] {
        var mentions: [UUID: [MentionFacts]] = [:]
        for chunk in SQLRows.chunks(reports) {
            for row in try await mentionQuery(sql).where("report_id", .in, SQLBind.group(chunk)).all() {
                let m = try MentionFacts(row: row)
                mentions[m.reportID, default: []].append(m)
            }
        }
        return mentions
    }

    static func reportFactsQuery(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns("id", "reference", "received_at", "reporting_agency_id", "postcode").from(Report.schema)
    }

    static func reportFacts(row: any SQLRow) throws -> ReportFacts {
        ReportFacts(id: try row.decode(column: "id", as: UUID.self), reference: try row.decode(column: "reference", as: String.self),
                    receivedAt: try row.decode(column: "received_at", as: Date.self),
                    source: try row.decode(column: "reporting_agency_id", as: UUID?.self)?.uuidString ?? "public",
                    postcode: try row.decode(column: "postcode", as: String?.self))
    }

    /// Every report's facts (building the index; a rebuild).
    static func allReportFacts(on sql: any SQLDatabase) async throws -> [ReportFacts] {
        try await reportFactsQuery(sql).all().map(reportFacts(row:))
    }

    static func reportFacts(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: ReportFacts] {
        var found: [UUID: ReportFacts] = [:]
        for chunk in SQLRows.chunks(Array(Set(ids))) {
            for row in try await reportFactsQuery(sql).where("id", .in, SQLBind.group(chunk)).all() {
                let facts = try reportFacts(row: row)
                found[facts.id] = facts
            }
        }
        return found
    }

    struct KeyRow: Sendable {
        let firstMentionID: UUID
        let lastMentionID: UUID
        let reports: Int
    }

    static func keyRows(_ keys: [String], on sql: any SQLDatabase) async throws -> [String: KeyRow] {
        var found: [String: KeyRow] = [:]
        for chunk in SQLRows.chunks(keys) {
            let rows = try await sql.select().columns("key", "first_mention_id", "last_mention_id", "reports")
                .from(LinkKeyRow.schema).where("key", .in, SQLBind.group(chunk)).all()
            for row in rows {
                found[try row.decode(column: "key", as: String.self)] = KeyRow(
                    firstMentionID: try row.decode(column: "first_mention_id", as: UUID.self),
                    lastMentionID: try row.decode(column: "last_mention_id", as: UUID.self),
                    reports: try row.decode(column: "reports", as: Int.self))
            }
        }
        return found
    }
}
