import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

/// The facts of reports and mentions the linker works on, and how it reads them from Reports
/// (`ReportDirectory`, always in sets).
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
            before(a.receivedAt, a.id, b.receivedAt, b.id)
        }

        /// The same order for any report known by when it was received and its id.
        static func before(_ a: Date, _ aID: UUID, _ b: Date, _ bID: UUID) -> Bool {
            let (ta, tb) = (millisecond(a), millisecond(b))
            return ta != tb ? ta < tb : aID.sortsBefore(bID)
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

        init(_ m: LinkableMention) {
            id = m.id
            reportID = m.reportID
            kind = MentionKind(rawValue: m.kind) ?? .url
            value = m.value
            normalised = m.normalised
            dateOfBirth = m.dateOfBirth
            postcode = m.postcode
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

    static func facts(_ r: LinkableReport) -> ReportFacts {
        ReportFacts(id: r.id, reference: r.reference, receivedAt: r.receivedAt, source: r.reportingAgencyID?.uuidString ?? "public",
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

    // MARK: Reads, through Reports' directory

    /// Every mention of these reports, by report.
    nonisolated func mentions(of reports: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [MentionFacts]] {
        var mentions: [UUID: [MentionFacts]] = [:]
        for m in try await directory.linkableMentions(.all, ofReports: reports, on: sql) {
            mentions[m.reportID, default: []].append(MentionFacts(m))
        }
        return mentions
    }

    /// The mentions with these ids, by id (as text, as the engine names them).
    nonisolated func mentionsByID(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [String: MentionFacts] {
        var found: [String: MentionFacts] = [:]
        for m in try await directory.linkableMentions(ids: ids, on: sql) { found[m.id.uuidString] = MentionFacts(m) }
        return found
    }

    /// The facts of the reports with these ids that exist, by id.
    nonisolated func reportFacts(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: ReportFacts] {
        try await directory.linkableReports(ids, on: sql).mapValues(Self.facts)
    }

    /// Every report's facts (building the index; a rebuild).
    nonisolated func allReportFacts(on sql: any SQLDatabase) async throws -> [ReportFacts] {
        try await directory.allLinkableReports(on: sql).map(Self.facts)
    }
}
