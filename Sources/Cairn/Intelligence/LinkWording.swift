import CairnCore
import Foundation
import Linkage

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
