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
            self.init(ReceivedMention(id: id, kind: m.kind, value: m.value, normalised: m.normalised, dateOfBirth: m.dateOfBirth, postcode: m.postcode),
                      of: m.reportID)
        }

        init(_ m: ReceivedMention, of reportID: UUID) {
            id = m.id
            self.reportID = reportID
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

    static func facts(_ r: ReceivedReport) -> ReportFacts {
        ReportFacts(id: r.id, reference: r.reference, receivedAt: r.receivedAt, source: r.reportingAgencyID?.uuidString ?? "public",
                    postcode: r.postcode)
    }

    static func facts(_ r: Report) -> ReportFacts? {
        guard let id = r.id else { return nil }
        return ReportFacts(id: id, reference: r.reference, receivedAt: r.receivedAt, source: r.reportingAgencyID?.uuidString ?? "public",
                    postcode: r.postcode)
    }

    /// The engine's record for one person mention: the name and date of birth, with the
    /// report's address and phone when it gives exactly one (otherwise we cannot tell whose).
    /// Even one phone may not be this person's (a victim's phone held by the controller named
    /// beside him), so the engine counts these only when the names at least partly agree, and
    /// never puts two people of one report in one cluster.
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
        // Every contact detail here is the report's, not known to be this person's; and the
        // people one report names are different people.
        return RawRecord(id: m.id.uuidString, values: values, group: m.reportID.uuidString, contactFromGroup: true)
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

    /// What decided a person link, from the engine's explanation: "similar name and date of
    /// birth at the same address", or "same phone and e-mail address; names differ". Only
    /// evidence that counted (weighed for the link) is named, so a phone the engine set aside
    /// is never given as a reason, and a name that does not agree is never called similar.
    static func phrase(for explanation: MatchExplanation) -> String {
        func term(_ comparison: ComparisonKind) -> ExplanationTerm? { explanation.terms.first { $0.comparison == comparison.rawValue } }
        func counted(_ comparison: ComparisonKind) -> ExplanationTerm? { term(comparison).flatMap { $0.weight > 0 ? $0 : nil } }
        let given = term(.givenName)?.levelIndex ?? 0, family = term(.familyName)?.levelIndex ?? 0
        let givenAgrees = (1...4).contains(given), familyAgrees = (1...3).contains(family)
        var name: String?
        switch (givenAgrees, familyAgrees) {
        case (true, true): name = given == 1 && family == 1 ? "same name" : "similar name"
        case (true, false): name = (given == 1 ? "same given name" : "similar given name") + (family > 0 ? " (family name differs)" : "")
        case (false, true): name = (family == 1 ? "same family name" : "similar family name") + (given > 0 ? " (given name differs)" : "")
        case (false, false): name = nil
        }
        if name != nil && explanation.namesSwapped { name? += ", written the other way round" }
        var dob: (joined: String, alone: String)?
        switch counted(.dateOfBirth)?.level {
        case "exact"?: dob = ("and date of birth", "same date of birth")
        case "one part differs"?, "partial date consistent"?: dob = ("and a matching date of birth", "a matching date of birth")
        default: break
        }
        var contact: (joined: String, alone: String)?
        switch counted(.contact)?.level {
        case "same phone and home"?: contact = ("with the same phone and address", "same phone and address")
        case "same phone"?: contact = ("with the same phone", "same phone")
        case "same home"?: contact = ("at the same address", "same address")
        case "shared phone or home"?: contact = ("sharing a phone or address", "a shared phone or address")
        case "same postcode"?: contact = ("in the same postcode", "same postcode")
        case "same district or town"?: contact = ("in the same area", "same area")
        default: break
        }
        var others: [String] = []
        switch counted(.email)?.level {
        case "exact"?: others.append("the same e-mail address")
        case "same mailbox name"?: others.append("a similar e-mail address")
        default: break
        }
        for (comparison, words) in [(ComparisonKind.username, "username"), (.vehicle, "vehicle"), (.business, "business")] {
            if let level = counted(comparison)?.level { others.append(level == "exact" ? "the same \(words)" : "a similar \(words)") }
        }
        if let name {
            var parts = [name]
            if let dob { parts.append(dob.joined) }
            if let contact { parts.append(contact.joined) }
            if !others.isEmpty { parts.append((contact == nil ? "with " : "and ") + others.joined(separator: " and ")) }
            return parts.joined(separator: " ")
        }
        // The names do not agree: say what did, and that they differ.
        let evidence = [dob?.alone, contact?.alone].compactMap { $0 } + others.map { $0.replacingOccurrences(of: "the same ", with: "same ") }
        return evidence.isEmpty ? "names differ" : evidence.joined(separator: ", ") + "; names differ"
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
