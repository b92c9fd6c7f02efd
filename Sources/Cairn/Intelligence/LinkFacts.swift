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

        init(_ m: ReceivedMention, of reportID: UUID) {
            id = m.id
            self.reportID = reportID
            kind = MentionKind(rawValue: m.kind) ?? .url
            value = m.value
            normalised = m.normalised
            dateOfBirth = m.dateOfBirth
            postcode = m.postcode
        }

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

    static func facts(_ r: ReceivedReport) -> ReportFacts {
        ReportFacts(id: r.id, reference: r.reference, receivedAt: r.receivedAt, source: r.reportingAgencyID?.uuidString ?? "public",
                    postcode: r.postcode)
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

/// How the linker words what it finds: a phrase for each reason ("same phone", "similar name
/// and date of birth at the same address") and a link's summary. Pure: nothing here reads or
/// writes.
extension ReportLinker {
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
}
